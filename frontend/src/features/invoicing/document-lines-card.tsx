import { useTranslation } from "react-i18next";
import { Card } from "../../components/card";
import { Table } from "../../components/table";
import { useCurrency } from "../../lib/session";
import { formatCurrency, formatNumber } from "../../records/fields/format";
import type { RecordExtensionProps } from "../../records/record-page/record-extensions";

type Line = {
  id: number;
  description: string;
  product_name: string | null;
  quantity: string;
  unit_price: string;
  discount_percent: string;
  vat_rate: string;
  tax_category: string;
  net_amount: string;
};
type Summary = { category: string; rate: string; base: string; tax: string };

/** The quote's or invoice's lines with their VAT, the VAT breakdown per rate and the legal notes. */
export function DocumentLinesCard({ record }: RecordExtensionProps) {
  const { t, i18n } = useTranslation();
  const organizationCurrency = useCurrency();
  const currency = String(record.currency ?? "") || organizationCurrency;
  const money = (value: unknown) => formatCurrency(value ?? 0, i18n.language, currency);
  const lines = (record.line_items as Line[] | undefined) ?? [];
  const summary = (record.vat_summary as Summary[] | undefined) ?? [];
  const notes = (record.legal_notes as string[] | undefined) ?? [];
  const title = `${t("sales.billing.lineItems")} (${lines.length})`;
  return (
    <Card className="crm-related-list" icon="product" title={title}>
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
    </Card>
  );
}
