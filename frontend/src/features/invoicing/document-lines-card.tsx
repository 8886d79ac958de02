import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Card } from "../../components/card";
import { ConfirmModal } from "../../components/modal";
import { Table } from "../../components/table";
import { useToast } from "../../components/toast";
import { ApiError, api } from "../../lib/api-client";
import { useCurrency } from "../../lib/session";
import { recordKeys } from "../../records/api/record-queries";
import { formatCurrency, formatNumber } from "../../records/fields/format";
import type { RecordExtensionProps } from "../../records/record-page/record-extensions";
import { DocumentLineModal, type DocumentLine as Line } from "./document-line-modal";

type Summary = { category: string; rate: string; base: string; tax: string };

/** The quote's or invoice's lines with their VAT, the VAT breakdown per rate and the legal notes. */
export function DocumentLinesCard({ meta, record, canWrite, canEdit = canWrite }: RecordExtensionProps) {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<Line | "new" | null>(null);
  const [removing, setRemoving] = useState<Line | null>(null);
  // Lines change on a draft only (an issued invoice or a closed quote answers 409).
  const editable = canEdit && record.status === "Draft";
  const remove = useMutation({
    mutationFn: (line: Line) => api.delete(`${meta.api_path}/${record.id}/line_items/${line.id}?version=${line.version}`),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: recordKeys.all(meta.name) });
      toast.show({ variant: "success", message: t("sales.invoicing.lineRemoved") });
    },
    onError: (error) => toast.show({ variant: "error", message: error instanceof ApiError ? error.message : t("errors.generic") }),
  });
  const organizationCurrency = useCurrency();
  const currency = String(record.currency ?? "") || organizationCurrency;
  const money = (value: unknown) => formatCurrency(value ?? 0, i18n.language, currency);
  const lines = (record.line_items as Line[] | undefined) ?? [];
  const summary = (record.vat_summary as Summary[] | undefined) ?? [];
  const notes = (record.legal_notes as string[] | undefined) ?? [];
  const title = `${t("sales.billing.lineItems")} (${lines.length})`;
  return (
    <Card
      className="crm-related-list"
      icon="product"
      title={title}
      actions={
        editable ? (
          <button type="button" className="slds-button slds-button_neutral" onClick={() => setEditing("new")}>
            {t("sales.invoicing.addLine")}
          </button>
        ) : undefined
      }
    >
      <Table
        scroll
        label={title}
        columns={[
          { key: "description", label: t("sales.invoicing.description") },
          { key: "quantity", label: t("sales.billing.quantity"), align: "right" },
          { key: "unit_price", label: t("sales.billing.unitPrice"), align: "right" },
          { key: "discount", label: t("sales.invoicing.discount"), align: "right" },
          { key: "vat", label: t("sales.invoicing.vat"), align: "right" },
          { key: "net", label: t("sales.invoicing.net"), align: "right" },
          ...(editable ? [{ key: "actions", label: t("common.actions") }] : []),
        ]}
      >
        {lines.map((line) => (
          <tr key={line.id}>
            <th scope="row">{line.description || line.product_name}</th>
            <td className="slds-text-align_right">{formatNumber(line.quantity, i18n.language)}</td>
            <td className="slds-text-align_right">{money(line.unit_price)}</td>
            <td className="slds-text-align_right">{Number(line.discount_percent) ? `${formatNumber(line.discount_percent, i18n.language)} %` : ""}</td>
            <td className="slds-text-align_right">{line.tax_category === "S" ? `${formatNumber(line.vat_rate, i18n.language)} %` : line.tax_category}</td>
            <td className="slds-text-align_right">{money(line.net_amount)}</td>
            {editable ? (
              <td className="crm-line-actions">
                <button
                  type="button"
                  className="slds-button slds-button_icon slds-button_icon-border-filled slds-button_icon-x-small"
                  title={t("sales.invoicing.editLineOf", { name: line.description || line.product_name || "" })}
                  aria-label={t("sales.invoicing.editLineOf", { name: line.description || line.product_name || "" })}
                  onClick={() => setEditing(line)}
                >
                  ✎
                </button>{" "}
                <button
                  type="button"
                  className="slds-button slds-button_icon slds-button_icon-border-filled slds-button_icon-x-small"
                  title={t("sales.invoicing.removeLineOf", { name: line.description || line.product_name || "" })}
                  aria-label={t("sales.invoicing.removeLineOf", { name: line.description || line.product_name || "" })}
                  onClick={() => setRemoving(line)}
                >
                  ✕
                </button>
              </td>
            ) : null}
          </tr>
        ))}
      </Table>
      {summary.length ? (
        <div className="slds-p-around_medium">
          <h3 className="slds-text-title_caps slds-m-bottom_x-small">{t("sales.invoicing.vatSummary")}</h3>
          <ul>
            {summary.map((row) => (
              <li key={`${row.category}-${row.rate}`}>
                {row.category} {formatNumber(row.rate, i18n.language)} %: {money(row.base)} → {money(row.tax)}
              </li>
            ))}
          </ul>
          {notes.map((note) => (
            <p key={note} className="slds-text-color_weak slds-m-top_x-small">
              {note}
            </p>
          ))}
        </div>
      ) : null}
      {editing ? (
        <DocumentLineModal
          apiPath={meta.api_path}
          object={meta.name}
          recordId={record.id}
          line={editing === "new" ? undefined : editing}
          onClose={() => setEditing(null)}
        />
      ) : null}
      {removing ? (
        <ConfirmModal
          title={t("sales.invoicing.removeLine")}
          body={t("sales.invoicing.removeLineBody", { name: removing.description || removing.product_name || "" })}
          confirmLabel={t("sales.invoicing.removeLine")}
          busy={remove.isPending}
          onCancel={() => setRemoving(null)}
          onConfirm={() =>
            remove
              .mutateAsync(removing)
              .catch(() => undefined)
              .finally(() => setRemoving(null))
          }
        />
      ) : null}
    </Card>
  );
}
