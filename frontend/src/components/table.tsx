import type { ReactNode } from "react";

export type TableColumn = {
  key: string;
  label: ReactNode;
  /** Numbers and amounts line up on the right. */
  align?: "right";
  className?: string;
  /** Name the column for screen readers only (e.g. a column of buttons). */
  labelHidden?: boolean;
};

export type TableProps = {
  /** Accessible name of the table. */
  label?: string;
  columns: readonly (TableColumn | false | null | undefined)[];
  /** Extra classes on the table. */
  className?: string;
  /** Let a wide table scroll sideways inside its card. */
  scroll?: boolean;
  /** The rows (tbody content). */
  children: ReactNode;
};

/** A bordered SLDS table with its header row; the rows are the caller's. */
export function Table({ label, columns, className, scroll, children }: TableProps) {
  const table = (
    <table className={`slds-table slds-table_bordered slds-table_cell-buffer${className ? ` ${className}` : ""}`} aria-label={label}>
      <thead>
        <tr className="slds-line-height_reset">
          {columns.map((column) =>
            column ? (
              <th
                key={column.key}
                scope="col"
                className={[column.align === "right" ? "slds-text-align_right" : "", column.className ?? ""].filter(Boolean).join(" ") || undefined}
              >
                {column.labelHidden ? <span className="slds-assistive-text">{column.label}</span> : column.label}
              </th>
            ) : null,
          )}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
  return scroll ? <div className="crm-table-scroll">{table}</div> : table;
}

/** The first cell of a row: names the row for screen readers and truncates a long name (with the full one as a tooltip). */
export function RowHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <th scope="row">
      <div className="slds-truncate" title={title}>
        {children ?? title}
      </div>
    </th>
  );
}

export type LineColumnLabels = { product: string; quantity: string; price: string; total?: string; actions?: string };

/** The columns of a table of product lines (an opportunity's, an order's or a contract's): product, quantity, price, then the optional total and actions. */
export function lineColumns({ product, quantity, price, total, actions }: LineColumnLabels): TableColumn[] {
  const columns: TableColumn[] = [
    { key: "product", label: product },
    { key: "quantity", label: quantity, align: "right" },
    { key: "price", label: price, align: "right" },
  ];
  if (total) columns.push({ key: "total", label: total, align: "right" });
  if (actions) columns.push({ key: "actions", label: actions, labelHidden: true, className: "crm-col-actions" });
  return columns;
}
