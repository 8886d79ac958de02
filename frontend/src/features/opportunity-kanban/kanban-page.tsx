import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { PageHeader } from "../../components/page-header";
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
      <PageHeader
        variant="object-home"
        icon="opportunity"
        meta={plural}
        title={t("sales.kanban.title")}
        actions={
          <div className="slds-page-header__controls">
            <div className="slds-page-header__control">
              <ViewSwitch current="kanban" />
            </div>
          </div>
        }
      />
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
