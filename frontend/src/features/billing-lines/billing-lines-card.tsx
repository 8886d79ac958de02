import { useTranslation } from "react-i18next";
import { Table } from "../../components/table";
import { Card } from "../../components/card";
import { useCurrency } from "../../lib/session";
import { formatCurrency, formatNumber } from "../../records/fields/format";
import type { RecordExtensionProps } from "../../records/record-page/record-extensions";
import "./billing-lines.css";

type LineRow = { id: number; product_name: string; quantity: string; price_at_purchase?: string; price_per_cycle?: string; line_total?: string };

/** Read-only line items of an order or contract. */
export function BillingLinesCard({ meta, record }: RecordExtensionProps) {
  const { t, i18n } = useTranslation();
  const currency = useCurrency();
  const money = (value: unknown) => formatCurrency(value ?? 0, i18n.language, currency);
  const lines = (record.line_items as LineRow[] | undefined) ?? [];
  const isContract = meta.name === "contract";
  const title = `${t("sales.billing.lineItems")} (${lines.length})`;
  return (
    <Card className="crm-related-list" icon="product" title={title}>
      <Table
        scroll
        className="crm-billing-table"
        label={title}
        columns={[
          { key: "product", label: t("sales.billing.product") },
          { key: "quantity", label: t("sales.billing.quantity"), align: "right" },
          { key: "price", label: isContract ? t("sales.billing.pricePerCycle") : t("sales.billing.unitPrice"), align: "right" },
          !isContract && { key: "total", label: t("sales.billing.lineTotal"), align: "right" },
        ]}
      >
        {lines.map((line) => (
          <tr key={line.id}>
            <th scope="row">
              <div className="slds-truncate" title={line.product_name}>
                {line.product_name}
              </div>
            </th>
            <td className="slds-text-align_right">{formatNumber(line.quantity, i18n.language)}</td>
            <td className="slds-text-align_right">{money(isContract ? line.price_per_cycle : line.price_at_purchase)}</td>
            {isContract ? null : <td className="slds-text-align_right">{money(line.line_total)}</td>}
          </tr>
        ))}
      </Table>
    </Card>
  );
}
