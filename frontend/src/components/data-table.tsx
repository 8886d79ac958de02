import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Icon } from "./icon";

export type DataTableColumn<Row> = {
  key: string;
  label: string;
  sortable?: boolean;
  render: (row: Row) => ReactNode;
};

export type DataTableProps<Row extends { id: number | string }> = {
  columns: DataTableColumn<Row>[];
  rows: Row[];
  /** Active ordering, e.g. "name" or "-name". */
  ordering?: string;
  onSort?: (ordering: string) => void;
  emptyText: string;
  label: string;
};

/** SLDS data table with sortable headers; on phones each row becomes a card of label/value pairs. */
export function DataTable<Row extends { id: number | string }>({ columns, rows, ordering, onSort, emptyText, label }: DataTableProps<Row>) {
  const { t } = useTranslation();
  const sortKey = ordering?.replace(/^-/, "");
  const descending = ordering?.startsWith("-") ?? false;
  return (
    <div className="crm-table-scroll">
      <table
        className="slds-table slds-table_cell-buffer slds-table_bordered slds-table_striped slds-max-medium-table_stacked-horizontal crm-data-table"
        aria-label={label}
      >
        <thead>
          <tr className="slds-line-height_reset">
            {columns.map((column) => {
              const active = sortKey === column.key;
              const ariaSort = active ? (descending ? "descending" : "ascending") : "none";
              if (!column.sortable || !onSort) {
                return (
                  <th key={column.key} scope="col">
                    <div className="slds-truncate" title={column.label}>
                      {column.label}
                    </div>
                  </th>
                );
              }
              return (
                <th
                  key={column.key}
                  scope="col"
                  aria-sort={ariaSort}
                  className={`slds-is-sortable ${active ? "slds-is-sorted" : ""} ${active && !descending ? "slds-is-sorted_asc" : ""}`}
                >
                  <button
                    type="button"
                    className="slds-th__action slds-text-link_reset crm-sort-button"
                    onClick={() => onSort(active && !descending ? `-${column.key}` : column.key)}
                    title={t("list.sortBy", { field: column.label })}
                  >
                    <span className="slds-truncate">{column.label}</span>
                    <span className="slds-icon_container slds-icon-utility-arrowdown">
                      <Icon
                        category="utility"
                        name={active && !descending ? "arrowup" : "arrowdown"}
                        className="slds-icon slds-icon-text-default slds-is-sortable__icon"
                      />
                    </span>
                    {active ? <span className="slds-assistive-text">{descending ? t("list.sortDescending") : t("list.sortAscending")}</span> : null}
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={columns.length}>
                <div className="slds-text-align_center slds-p-around_medium slds-text-color_weak">{emptyText}</div>
              </td>
            </tr>
          ) : (
            rows.map((row) => (
              <tr key={row.id} className="slds-hint-parent">
                {columns.map((column, index) =>
                  index === 0 ? (
                    <th key={column.key} scope="row" data-label={column.label}>
                      <div className="slds-truncate">{column.render(row)}</div>
                    </th>
                  ) : (
                    <td key={column.key} data-label={column.label}>
                      <div className="slds-truncate">{column.render(row)}</div>
                    </td>
                  ),
                )}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
