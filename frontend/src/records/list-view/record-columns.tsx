import { Link } from "react-router";
import type { DataTableColumn } from "../../components/data-table";
import { FieldValue } from "../fields/field-renderers";
import { findField, recordTitle, useMetaLabels } from "../metadata/use-object-meta";
import type { ObjectMeta, RecordData } from "../metadata/types";

/** Table columns for a list of records: the first column links to the record page. */
export function useRecordColumns(meta: ObjectMeta | undefined, names: string[]): DataTableColumn<RecordData>[] {
  const labels = useMetaLabels();
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
            {firstColumnText(meta, name, field.display, row)}
          </Link>
        ) : (
          <FieldValue field={field} record={row} />
        ),
    };
  });
}

function firstColumnText(meta: ObjectMeta, name: string, display: string | null, row: RecordData): string {
  if (name === meta.title_field || name === "name") return recordTitle(meta, row);
  const value = row[display ?? name];
  return value === null || value === undefined || value === "" ? recordTitle(meta, row) : String(value);
}
