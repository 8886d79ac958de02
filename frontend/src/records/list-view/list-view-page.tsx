import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import { DataTable } from "../../components/data-table";
import { SearchInput } from "../../components/form-element";
import { PageHeader } from "../../components/page-header";
import { Spinner } from "../../components/spinner";
import { NotFoundPage } from "../../app/routes/not-found-page";
import { buildUrl } from "../../lib/api-client";
import { useSession } from "../../lib/session";
import { formatNumber } from "../fields/format";
import { RecordFormModal } from "../form/record-form-modal";
import { findField, useMetaIndex, useMetaLabels } from "../metadata/use-object-meta";
import { recordExtension } from "../record-page/record-extensions";
import { ListFilters } from "./list-filters";
import { useRecordColumns } from "./record-columns";
import { PAGE_SIZE, toListParams, useListState, useRecordList } from "./use-record-list";

/** Object home: the list view for any registered object, driven by its metadata. */
export function ListViewPage() {
  const { object = "" } = useParams();
  const { data: metaIndex, isLoading } = useMetaIndex();
  const meta = metaIndex?.byName[object];
  if (isLoading) return <Spinner />;
  if (!meta) return <NotFoundPage />;
  return <ListView key={meta.name} objectName={meta.name} />;
}

function ListView({ objectName }: { objectName: string }) {
  const { t, i18n } = useTranslation();
  const labels = useMetaLabels();
  const navigate = useNavigate();
  const { data: metaIndex } = useMetaIndex();
  const { data: user } = useSession();
  const meta = metaIndex!.byName[objectName];
  const { state, update } = useListState(meta);
  const list = useRecordList(meta, state);
  const columns = useRecordColumns(meta, meta.list_columns);
  const [searchText, setSearchText] = useState(state.search);
  const [creating, setCreating] = useState(false);
  const plural = labels.objectPlural(meta);
  const canWrite = !meta.admin_only_write || Boolean(user?.is_admin);
  const hasOwner = meta.filters.includes("owner") || meta.fields.some((field) => field.name === "owner_id");

  useEffect(() => {
    if (searchText === state.search) return;
    const handle = window.setTimeout(() => update({ search: searchText.trim() }), 300);
    return () => window.clearTimeout(handle);
    // Debounce on the typed text only; the URL state it writes to must not restart the timer.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [searchText]);

  useEffect(() => {
    document.title = `${plural} | ${t("app.name")}`;
  }, [plural, t]);

  const number = (value: number) => formatNumber(value, i18n.language);
  // The export is the list as shown: its search, filters, scope, sort and columns.
  const exportUrl = (format: "csv" | "xlsx") => buildUrl(`${meta.api_path}/export`, { ...toListParams(state), columns: meta.list_columns.join(","), format });
  const total = list.count.data;
  const itemsText = total ? t(total.capped ? "list.itemsCapped" : "list.items", { count: total.count, total: number(total.count) }) : "";
  // Past the server's cap the number of pages is unknown: the pager says "Page 3" and Next follows the cursors.
  const pages = total && !total.capped ? Math.max(1, Math.ceil(total.count / PAGE_SIZE), list.page) : null;
  const sortColumn = columns.find((column) => column.key === state.ordering.replace(/^-/, ""));
  const sortLabel = sortColumn?.label ?? (state.ordering ? labels.fieldLabel(meta, findField(meta, state.ordering.replace(/^-/, ""))) : "");
  const scopeTitle = state.scope === "mine" ? t("list.my", { plural }) : t("list.all", { plural });

  return (
    <div className="crm-page">
      <PageHeader
        variant="object-home"
        icon={meta.icon}
        meta={plural}
        title={scopeTitle}
        actions={
          <div className="slds-page-header__controls">
            {recordExtension(meta.name).listControls?.map((Control, index) => (
              <div key={index} className="slds-page-header__control">
                <Control meta={meta} />
              </div>
            ))}
            <div className="slds-page-header__control">
              <div className="slds-button-group" role="group" aria-label={t("imports.export")}>
                <a className="slds-button slds-button_neutral" href={exportUrl("csv")} download>
                  {t("imports.exportCsv")}
                </a>
                <a className="slds-button slds-button_neutral" href={exportUrl("xlsx")} download title={t("imports.exportXlsx")}>
                  XLSX
                </a>
              </div>
            </div>
            {canWrite && meta.creatable ? (
              <div className="slds-page-header__control">
                <Link className="slds-button slds-button_neutral" to={`/o/${meta.name}/import`}>
                  {t("imports.import")}
                </Link>
              </div>
            ) : null}
            {canWrite && meta.creatable ? (
              <div className="slds-page-header__control">
                <button type="button" className="slds-button slds-button_neutral" onClick={() => setCreating(true)}>
                  {t("common.new")}
                </button>
              </div>
            ) : null}
          </div>
        }
      >
        <div className="slds-page-header__row crm-list-toolbar">
          <div className="slds-page-header__col-meta">
            <p className="slds-page-header__meta-text" aria-live="polite">
              {[itemsText, sortLabel ? t("list.sortedBy", { field: sortLabel }) : ""].filter(Boolean).join(" • ")}
            </p>
          </div>
          <div className="slds-page-header__col-controls">
            <div className="slds-page-header__controls crm-list-controls">
              {hasOwner ? (
                <div className="slds-page-header__control">
                  <div className="slds-button-group" role="group" aria-label={t("list.listViews")}>
                    <button
                      type="button"
                      aria-pressed={state.scope === "mine"}
                      className={`slds-button ${state.scope === "mine" ? "slds-button_brand" : "slds-button_neutral"}`}
                      onClick={() => update({ scope: "mine" })}
                    >
                      {t("list.my", { plural })}
                    </button>
                    <button
                      type="button"
                      aria-pressed={state.scope === "all"}
                      className={`slds-button ${state.scope === "all" ? "slds-button_brand" : "slds-button_neutral"}`}
                      onClick={() => update({ scope: "all" })}
                    >
                      {t("list.all", { plural })}
                    </button>
                  </div>
                </div>
              ) : null}
              <div className="slds-page-header__control crm-list-search">
                <SearchInput
                  id={`list-search-${meta.name}`}
                  label={t("list.searchLabel", { plural })}
                  labelHidden
                  placeholder={t("list.searchPlaceholder")}
                  value={searchText}
                  onChange={setSearchText}
                />
              </div>
            </div>
          </div>
        </div>
        <ListFilters meta={meta} values={state.filters} onChange={(filters) => update({ filters })} />
      </PageHeader>

      <div className="slds-card crm-list-card slds-is-relative">
        {list.rows.isFetching ? <Spinner size="small" /> : null}
        {list.rows.isError ? (
          <div className="slds-p-around_medium slds-text-color_error" role="alert">
            {t("errors.loadFailed")}
          </div>
        ) : (
          <DataTable
            label={scopeTitle}
            columns={columns}
            rows={list.rows.data?.results ?? []}
            ordering={state.ordering}
            onSort={(ordering) => update({ ordering })}
            emptyText={list.rows.isLoading ? t("common.loading") : t("list.empty")}
          />
        )}
        {list.page > 1 || list.hasNext ? (
          <nav className="slds-grid slds-grid_align-spread slds-grid_vertical-align-center slds-p-around_small" aria-label={t("list.pagination")}>
            <button type="button" className="slds-button slds-button_neutral" disabled={list.page <= 1} onClick={list.previous}>
              {t("list.previous")}
            </button>
            <span className="slds-text-body_small">
              {pages ? t("list.page", { page: number(list.page), pages: number(pages) }) : t("list.pageOnly", { page: number(list.page) })}
            </span>
            <button type="button" className="slds-button slds-button_neutral" disabled={!list.canNext} onClick={list.next}>
              {t("list.next")}
            </button>
          </nav>
        ) : null}
      </div>

      {creating ? <RecordFormModal meta={meta} onClose={() => setCreating(false)} onSaved={(record) => navigate(`/o/${meta.name}/${record.id}`)} /> : null}
    </div>
  );
}
