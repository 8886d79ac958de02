import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { FormElement, Select } from "../../components/form-element";
import { PageHeader } from "../../components/page-header";
import { Spinner } from "../../components/spinner";
import { RowHeader, Table } from "../../components/table";
import { useToast } from "../../components/toast";
import { api, errorText, type Page } from "../../lib/api-client";
import { formatDateTime } from "../../records/fields/format";
import { recordTitle, useMetaIndex, useMetaLabels } from "../../records/metadata/use-object-meta";
import type { ObjectMeta, RecordData } from "../../records/metadata/types";

const binKey = (object: string) => ["recycle-bin", object] as const;

/** Deactivated records of one object, newest change first, each with Restore (reactivates it with its version). */
export function RecycleBinPage() {
  const { t } = useTranslation();
  const labels = useMetaLabels();
  const { data: metaIndex, isLoading } = useMetaIndex();
  const objects = (metaIndex?.objects ?? []).filter((meta) => meta.can_deactivate);
  const [object, setObject] = useState("");
  const meta = metaIndex?.byName[object] ?? objects[0];

  useEffect(() => {
    document.title = `${t("recycleBin.title")} | ${t("app.name")}`;
  }, [t]);

  if (isLoading) return <Spinner />;
  return (
    <div className="crm-page">
      <PageHeader icon="recycle_bin" meta={t("recycleBin.meta")} title={t("recycleBin.title")} />
      <div className="slds-card slds-m-top_small">
        <div className="slds-card__header slds-grid slds-grid_vertical-align-end slds-gutters_x-small">
          <FormElement id="recycle-bin-object" label={t("recycleBin.object")} className="slds-col slds-grow-none crm-list-filter">
            {(control) => (
              <Select
                id={control.id}
                value={meta?.name ?? ""}
                onChange={setObject}
                options={objects.map((item) => ({ value: item.name, label: labels.objectPlural(item) }))}
              />
            )}
          </FormElement>
          <p className="slds-col slds-text-color_weak">{t("recycleBin.intro")}</p>
        </div>
        {meta ? <DeactivatedRecords key={meta.name} meta={meta} /> : null}
      </div>
    </div>
  );
}

function DeactivatedRecords({ meta }: { meta: ObjectMeta }) {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const labels = useMetaLabels();
  const queryClient = useQueryClient();
  const rows = useQuery({
    queryKey: binKey(meta.name),
    queryFn: ({ signal }) => api.get<Page<RecordData>>(meta.api_path, { is_active: "false", page_size: 50 }, signal),
  });
  const restore = useMutation({
    mutationFn: (record: RecordData) => api.patch<RecordData>(`${meta.api_path}/${record.id}`, { is_active: true, version: record.version }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: binKey(meta.name) }),
  });
  const records = rows.data?.results ?? [];
  return (
    <>
      {rows.isLoading ? <Spinner /> : null}
      <Table
        className="crm-card-table"
        label={t("recycleBin.of", { plural: labels.objectPlural(meta) })}
        columns={[
          { key: "name", label: t("recycleBin.name") },
          { key: "owner", label: t("recycleBin.owner") },
          { key: "updated", label: t("recycleBin.deactivatedAt") },
          { key: "actions", label: t("common.actions"), labelHidden: true },
        ]}
      >
        {records.map((record) => {
          const title = recordTitle(meta, record);
          return (
            <tr key={record.id} className="slds-hint-parent">
              <RowHeader title={title}>
                <Link to={`/o/${meta.name}/${record.id}`}>{title}</Link>
              </RowHeader>
              <td>{String(record.owner_name ?? "—")}</td>
              <td>{formatDateTime(record.updated_at, i18n.language)}</td>
              <td className="slds-text-align_right">
                <button
                  type="button"
                  className="slds-button slds-button_neutral"
                  disabled={restore.isPending}
                  onClick={async () => {
                    try {
                      await restore.mutateAsync(record);
                      toast.show({ variant: "success", message: t("recycleBin.restored", { name: title }) });
                    } catch (error) {
                      toast.show({ variant: "error", message: errorText(error, t("errors.loadFailed")) });
                    }
                  }}
                >
                  {t("recycleBin.restore")}
                </button>
              </td>
            </tr>
          );
        })}
      </Table>
      {!rows.isLoading && !records.length ? <p className="slds-p-around_medium slds-text-color_weak">{t("recycleBin.empty")}</p> : null}
    </>
  );
}
