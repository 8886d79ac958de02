import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { RowHeader, Table, lineColumns } from "../../components/table";
import { Card } from "../../components/card";
import { useCurrency } from "../../lib/session";
import { formatCurrency, formatNumber } from "../../records/fields/format";
import type { RecordExtensionProps } from "../../records/record-page/record-extensions";
import { billingLinesQuery } from "./api/billing-lines-queries";
import "./billing-lines.css";

/** Read-only line items of an order or contract. */
export function BillingLinesCard({ meta, record }: RecordExtensionProps) {
  const { t, i18n } = useTranslation();
  const currency = useCurrency();
  const money = (value: unknown) => formatCurrency(value ?? 0, i18n.language, currency);
  const { data } = useQuery(billingLinesQuery(meta, record.id));
  const lines = data?.lines ?? [];
  const isContract = data?.kind === "contract";
  const title = `${t("sales.billing.lineItems")} (${lines.length})`;
  return (
    <Card className="crm-related-list" icon="product" title={title}>
      <Table
        scroll
        className="crm-billing-table"
        label={title}
        columns={lineColumns({
          product: t("sales.billing.product"),
          quantity: t("sales.billing.quantity"),
          price: isContract ? t("sales.billing.pricePerCycle") : t("sales.billing.unitPrice"),
          total: isContract ? undefined : t("sales.billing.lineTotal"),
        })}
      >
        {lines.map((line) => (
          <tr key={line.id}>
            <RowHeader title={line.product_name} />
            <td className="slds-text-align_right">{formatNumber(line.quantity, i18n.language)}</td>
            {"price_per_cycle" in line ? (
              <td className="slds-text-align_right">{money(line.price_per_cycle)}</td>
            ) : (
              <>
                <td className="slds-text-align_right">{money(line.price_at_purchase)}</td>
                <td className="slds-text-align_right">{money(line.line_total)}</td>
              </>
            )}
          </tr>
        ))}
      </Table>
    </Card>
  );
}
