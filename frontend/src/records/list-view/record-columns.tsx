import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { DataTableColumn } from "../../components/data-table";
import { FieldValue } from "../fields/field-renderers";
import { formatDate, formatDateTime } from "../fields/format";
import { findField, recordTitle, useMetaLabels } from "../metadata/use-object-meta";
import type { FieldMeta, ObjectMeta, RecordData } from "../metadata/types";

/** Table columns for a list of records: the first column links to the record page. */
export function useRecordColumns(meta: ObjectMeta | undefined, names: string[]): DataTableColumn<RecordData>[] {
  const labels = useMetaLabels();
  const { i18n } = useTranslation();
  if (!meta) return [];
  return names.map((name, index) => {
    const field = findField(meta, name);
    return {
      key: name.replace(/_id$/, ""),
      label: labels.fieldLabel(meta, field),
      sortable: true,
      render: (row: RecordData) =>
        index === 0 ? (
          <Link to={`/o/${meta.name}/${row.id}`} title={recordTitle(meta, row)}>
            {firstColumnText(meta, name, field, row, i18n.language)}
          </Link>
        ) : (
          <FieldValue field={field} record={row} />
        ),
    };
  });
}

function firstColumnText(meta: ObjectMeta, name: string, field: FieldMeta, row: RecordData, language: string): string {
  const value = row[field.display ?? name];
  if (value === null || value === undefined || value === "") return recordTitle(meta, row);
  // A record named by a date (a payment) links with the date as the user reads it.
  if (field.type === "date") return formatDate(value, language);
  if (field.type === "datetime") return formatDateTime(value, language);
  if (name === meta.title_field || name === "name") return recordTitle(meta, row);
  return String(value);
}
