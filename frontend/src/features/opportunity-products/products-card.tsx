import { useState } from "react";
import { useTranslation } from "react-i18next";
import { RowHeader, Table, lineColumns } from "../../components/table";
import { Card, CardEmpty } from "../../components/card";
import { ButtonIcon } from "../../components/icon";
import { ConfirmModal } from "../../components/modal";
import { useCurrency } from "../../lib/session";
import { formatCurrency, formatNumber } from "../../records/fields/format";
import type { RecordExtensionProps } from "../../records/record-page/record-extensions";
import { AddProductModal } from "./add-product-modal";
import { useOpportunityChange, type LineItem } from "./api/opportunity-products-queries";
import "./opportunity-products.css";

/** Products related list of an opportunity: add from the catalog, edit quantity and price in place, delete. */
export function ProductsCard({ record, canWrite }: RecordExtensionProps) {
  const { t, i18n } = useTranslation();
  const currency = useCurrency();
  const lines = (record.line_items as LineItem[] | undefined) ?? [];
  const change = useOpportunityChange(record.id);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<{ id: number; quantity: string; price: string } | null>(null);
  const [deleting, setDeleting] = useState<LineItem | null>(null);
  const writable = canWrite && record.is_active !== false;
  const title = `${t("sales.products.title")} (${lines.length})`;
  const money = (value: unknown) => formatCurrency(value, i18n.language, currency);

  const saveEdit = async (line: LineItem) => {
    if (!editing) return;
    try {
      await change.mutateAsync({
        method: "PUT",
        path: `line_items/${line.id}`,
        body: { quantity: editing.quantity, sale_price: editing.price, version: line.version },
        success: t("sales.products.updated", { name: line.product_name }),
      });
      setEditing(null);
    } catch {
      // The toast shows the server's message; the row stays in edit mode.
    }
  };

  return (
    <>
      <Card
        className="crm-related-list"
        icon="product"
        title={title}
        actions={
          writable ? (
            <button type="button" className="slds-button slds-button_neutral" onClick={() => setAdding(true)}>
              {t("sales.products.add")}
            </button>
          ) : null
        }
      >
        {lines.length === 0 ? (
          <CardEmpty>{t("record.relatedEmpty")}</CardEmpty>
        ) : (
          <Table
            scroll
            className="crm-lines-table"
            label={title}
            columns={lineColumns({
              product: t("sales.products.product"),
              quantity: t("sales.products.quantity"),
              price: t("sales.products.salesPrice"),
              total: t("sales.products.total"),
              actions: writable ? t("common.actions") : undefined,
            })}
          >
            {lines.map((line) =>
              editing?.id === line.id ? (
                <tr key={line.id} className="crm-line-editing">
                  <RowHeader title={line.product_name} />
                  <NumberInputCell
                    label={t("sales.products.quantity")}
                    min="0.01"
                    step="any"
                    value={editing.quantity}
                    onChange={(quantity) => setEditing({ ...editing, quantity })}
                  />
                  <NumberInputCell
                    label={t("sales.products.salesPrice")}
                    min="0"
                    step="0.01"
                    value={editing.price}
                    onChange={(price) => setEditing({ ...editing, price })}
                  />
                  <td colSpan={2}>
                    <div className="slds-button-group" role="group">
                      <button type="button" className="slds-button slds-button_neutral" onClick={() => setEditing(null)}>
                        {t("common.cancel")}
                      </button>
                      <button type="button" className="slds-button slds-button_brand" disabled={change.isPending} onClick={() => void saveEdit(line)}>
                        {t("common.save")}
                      </button>
                    </div>
                  </td>
                </tr>
              ) : (
                <tr key={line.id} className="slds-hint-parent">
                  <RowHeader title={line.product_name} />
                  <td className="slds-text-align_right">{formatNumber(line.quantity, i18n.language)}</td>
                  <td className="slds-text-align_right">{money(line.sale_price)}</td>
                  <td className="slds-text-align_right">{money(line.total)}</td>
                  {writable ? (
                    <td className="crm-col-actions">
                      <ButtonIcon
                        icon="edit"
                        size="small"
                        label={t("sales.products.edit", { name: line.product_name })}
                        onClick={() => setEditing({ id: line.id, quantity: line.quantity, price: line.sale_price })}
                      />
                      <ButtonIcon
                        icon="delete"
                        size="small"
                        label={t("sales.products.remove", { name: line.product_name })}
                        onClick={() => setDeleting(line)}
                      />
                    </td>
                  ) : null}
                </tr>
              ),
            )}
          </Table>
        )}
      </Card>
      {adding ? <AddProductModal opportunityId={record.id} onClose={() => setAdding(false)} /> : null}
      {deleting ? (
        <ConfirmModal
          title={t("sales.products.removeTitle")}
          body={t("sales.products.removeBody", { name: deleting.product_name })}
          confirmLabel={t("sales.products.delete")}
          destructive
          busy={change.isPending}
          onCancel={() => setDeleting(null)}
          onConfirm={() =>
            change
              .mutateAsync({
                method: "DELETE",
                path: `line_items/${deleting.id}?version=${deleting.version}`,
                success: t("sales.products.removed", { name: deleting.product_name }),
              })
              .catch(() => undefined)
              .finally(() => setDeleting(null))
          }
        />
      ) : null}
    </>
  );
}

type NumberInputCellProps = { label: string; min: string; step: string; value: string; onChange: (value: string) => void };

/** A number typed in place in a table row (a line's quantity or price). */
function NumberInputCell({ label, min, step, value, onChange }: NumberInputCellProps) {
  return (
    <td>
      <input
        className="slds-input crm-input-number"
        type="number"
        min={min}
        step={step}
        aria-label={label}
        value={value}
        onChange={(event) => onChange(event.target.value)}
      />
    </td>
  );
}
