import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { DataTable } from "../../components/data-table";
import { Card, CardEmpty } from "../../components/card";
import { useSession } from "../../lib/session";
import { relatedQuery } from "../api/record-queries";
import { RecordFormModal } from "../form/record-form-modal";
import { useRecordColumns } from "../list-view/record-columns";
import { recordTitle, useMetaIndex, useMetaLabels } from "../metadata/use-object-meta";
import type { ObjectMeta, RecordData, RelatedListMeta } from "../metadata/types";

export type RelatedListProps = {
  parentMeta: ObjectMeta;
  parent: RecordData;
  related: RelatedListMeta;
  onChanged: () => void;
};

/** A related list card; New pre-fills and locks the lookup back to the parent record. */
export function RelatedList({ parentMeta, parent, related, onChanged }: RelatedListProps) {
  const { t } = useTranslation();
  const labels = useMetaLabels();
  const { data: metaIndex } = useMetaIndex();
  const { data: user } = useSession();
  const meta = metaIndex?.byName[related.object];
  const [creating, setCreating] = useState(false);
  const embedded = related.key ? (parent[related.key] as RecordData[] | undefined) : undefined;
  const fetched = useQuery({
    ...relatedQuery(meta ?? ({ name: related.object, api_path: "" } as ObjectMeta), related.field, parent.id),
    enabled: Boolean(meta) && !Array.isArray(embedded),
  });
  const columns = useRecordColumns(meta, related.columns).map((column) => ({ ...column, sortable: false }));
  if (!meta) return null;

  const rows = Array.isArray(embedded) ? embedded : (fetched.data?.results ?? []);
  const count = Array.isArray(embedded) ? embedded.length : (fetched.data?.count ?? 0);
  const title = t("record.relatedCount", {
    label: t(`objects.${meta.name}.label_plural`, { ns: "meta", defaultValue: related.label }),
    count,
  });
  const canWrite = (!meta.admin_only_write || Boolean(user?.is_admin)) && parent.is_active !== false;
  const lookupField = meta.fields.find((field) => field.name === related.field);
  // New pre-fills the lookup back to this record and locks it, so it must be a field of the form.
  const creatable = canWrite && meta.creatable && meta.form_fields.includes(related.field);
  // A lookup that can point at several objects (an activity's what_id) also names the parent's type.
  const typeField = ((meta.extra?.polymorphic ?? {}) as Record<string, string>)[related.field];

  return (
    <Card
      className="crm-related-list"
      icon={meta.icon}
      title={title}
      actions={
        creatable ? (
          <button type="button" className="slds-button slds-button_neutral" onClick={() => setCreating(true)}>
            {t("common.new")}
            <span className="slds-assistive-text"> {labels.objectLabel(meta)}</span>
          </button>
        ) : null
      }
    >
      {rows.length ? (
        <DataTable label={title} columns={columns} rows={rows} emptyText={t("record.relatedEmpty")} />
      ) : (
        <CardEmpty>{fetched.isLoading ? t("common.loading") : t("record.relatedEmpty")}</CardEmpty>
      )}
      {creating ? (
        <RecordFormModal
          meta={meta}
          initialValues={{
            [related.field]: parent.id,
            [lookupField?.display ?? related.field.replace(/_id$/, "_name")]: recordTitle(parentMeta, parent),
            ...(typeField ? { [typeField]: parentMeta.label } : {}),
          }}
          lockedFields={[related.field]}
          onClose={() => setCreating(false)}
          onSaved={onChanged}
        />
      ) : null}
    </Card>
  );
}
