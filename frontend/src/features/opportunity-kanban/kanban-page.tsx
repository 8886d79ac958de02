import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { ObjectIcon } from "../../components/icon";
import { Spinner } from "../../components/spinner";
import { KanbanBoard } from "./kanban-board";
import { usePipelineBoard } from "./use-pipeline-board";
import { ViewSwitch } from "./view-switch";
import "./kanban.css";

/** /o/opportunity/pipeline: the opportunity pipeline as a Kanban board. */
export function KanbanPage() {
  const { t } = useTranslation();
  const board = usePipelineBoard();
  const plural = t("objects.opportunity.label_plural", { ns: "meta", defaultValue: "Opportunities" });

  useEffect(() => {
    document.title = `${t("sales.kanban.title")} | ${plural}`;
  }, [t, plural]);

  return (
    <div className="crm-page">
      <div className="slds-page-header slds-page-header_object-home crm-card-shadow">
        <div className="slds-page-header__row">
          <div className="slds-page-header__col-title">
            <div className="slds-media">
              <div className="slds-media__figure">
                <ObjectIcon icon="opportunity" size="small" />
              </div>
              <div className="slds-media__body">
                <div className="slds-page-header__name">
                  <div className="slds-page-header__name-title">
                    <span className="slds-page-header__name-meta">{plural}</span>
                    <h1 className="slds-page-header__title slds-truncate">{t("sales.kanban.title")}</h1>
                  </div>
                </div>
              </div>
            </div>
          </div>
          <div className="slds-page-header__col-actions">
            <div className="slds-page-header__controls">
              <div className="slds-page-header__control">
                <ViewSwitch current="kanban" />
              </div>
            </div>
          </div>
        </div>
      </div>
      {board.isLoading ? <Spinner /> : null}
      {board.isError ? (
        <div className="slds-card slds-p-around_medium slds-text-color_error" role="alert">
          {t("errors.loadFailed")}
        </div>
      ) : (
        <KanbanBoard
          columns={board.columns}
          onMove={(id, stage) => void board.move(id, stage)}
          onLoadMore={(stage) => void board.loadMore(stage)}
          loadingStage={board.loadingStage}
        />
      )}
    </div>
  );
}
