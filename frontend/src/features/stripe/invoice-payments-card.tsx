import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { Card, CardEmpty } from "../../components/card";
import { Table } from "../../components/table";
import { useCurrency } from "../../lib/session";
import { formatCurrency } from "../../records/fields/format";
import type { RecordExtensionProps } from "../../records/record-page/record-extensions";

type Allocation = { id: number; payment_id: number; amount: string; payment_date: string; payment_method: string; payment_status: string };

/** The payments that settle the invoice (Stripe ones among them), with their method and status. */
export function InvoicePaymentsCard({ record }: RecordExtensionProps) {
  const { t, i18n } = useTranslation();
  const organizationCurrency = useCurrency();
  if (record.kind !== "Invoice" || record.status === "Draft") return null;
  const currency = String(record.currency ?? "") || organizationCurrency;
  const rows = (record.allocations as Allocation[] | undefined) ?? [];
  const title = `${t("stripe.payments.title")} (${rows.length})`;
  return (
    <Card className="crm-related-list" icon="partner_fund_allocation" title={title}>
      {rows.length ? (
        <Table
          label={title}
          columns={[
            { key: "date", label: t("stripe.payments.date") },
            { key: "method", label: t("stripe.payments.method") },
            { key: "status", label: t("stripe.payments.status") },
            { key: "amount", label: t("stripe.payments.amount"), align: "right" },
          ]}
        >
          {rows.map((row) => (
            <tr key={row.id}>
              <th scope="row">
                <Link to={`/o/payment/${row.payment_id}`}>{new Date(row.payment_date).toLocaleDateString(i18n.language)}</Link>
              </th>
              <td>{row.payment_method}</td>
              <td>{row.payment_status}</td>
              <td className="slds-text-align_right">{formatCurrency(row.amount, i18n.language, currency)}</td>
            </tr>
          ))}
        </Table>
      ) : (
        <CardEmpty>{t("stripe.payments.none")}</CardEmpty>
      )}
    </Card>
  );
}
