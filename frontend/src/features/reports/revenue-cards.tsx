import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Card } from "../../components/card";
import { Table } from "../../components/table";
import { api } from "../../lib/api-client";
import { useCurrency } from "../../lib/session";
import { formatCurrency } from "../../records/fields/format";
import "./revenue-cards.css";

type MrrMonth = { month: string; mrr: string; new: string; expansion: string; contraction: string; churn: string; accounts: number };
type Invoiced = { year: number; months: number[]; invoiced: string[]; paid: string[]; total_invoiced: string; total_paid: string };

const WIDTH = 720;
const HEIGHT = 180;

/** Monthly recurring revenue from contracts over the last 12 months: a bar chart and its movements. */
export function MrrCard() {
  const { t, i18n } = useTranslation();
  const currency = useCurrency();
  const money = (value: string) => formatCurrency(value, i18n.language, currency);
  const report = useQuery({ queryKey: ["reports", "mrr"], queryFn: () => api.get<{ months: MrrMonth[] }>("reports/mrr", { months: 12 }) });
  const months = (report.data?.months ?? []).filter((month): month is MrrMonth => typeof month === "object" && month !== null);
  const top = Math.max(1, ...months.map((month) => Number(month.mrr)));
  const slot = WIDTH / Math.max(1, months.length);
  const monthLabel = (month: string) => new Intl.DateTimeFormat(i18n.language, { month: "short", year: "2-digit" }).format(new Date(`${month}-01T00:00:00`));
  return (
    <Card className="slds-m-top_small" icon="report" title={t("sales.reports.mrrTitle")}>
      <div className="slds-p-horizontal_medium">
        <svg viewBox={`0 0 ${WIDTH} ${HEIGHT + 24}`} role="img" aria-label={t("sales.reports.mrrChart")} className="crm-mrr-chart">
          {months.map((month, index) => {
            const height = (Number(month.mrr) / top) * HEIGHT;
            return (
              <g key={month.month}>
                <title>{`${monthLabel(month.month)}: ${money(month.mrr)}`}</title>
                <rect x={index * slot + slot * 0.15} y={HEIGHT - height} width={slot * 0.7} height={height} fill="#0176d3" rx="2" />
                <text x={index * slot + slot / 2} y={HEIGHT + 16} textAnchor="middle" fontSize="11" fill="#444">
                  {monthLabel(month.month)}
                </text>
              </g>
            );
          })}
        </svg>
      </div>
      <Table
        scroll
        label={t("sales.reports.mrrTitle")}
        columns={[
          { key: "month", label: t("sales.reports.month") },
          { key: "mrr", label: "MRR", align: "right" },
          { key: "new", label: t("sales.reports.new"), align: "right" },
          { key: "expansion", label: t("sales.reports.expansion"), align: "right" },
          { key: "contraction", label: t("sales.reports.contraction"), align: "right" },
          { key: "churn", label: t("sales.reports.churn"), align: "right" },
        ]}
      >
        {months.map((month) => (
          <tr key={month.month}>
            <th scope="row">{monthLabel(month.month)}</th>
            <td className="slds-text-align_right">{money(month.mrr)}</td>
            <td className="slds-text-align_right">{money(month.new)}</td>
            <td className="slds-text-align_right">{money(month.expansion)}</td>
            <td className="slds-text-align_right">{money(month.contraction)}</td>
            <td className="slds-text-align_right">{money(month.churn)}</td>
          </tr>
        ))}
      </Table>
    </Card>
  );
}

/** What the year's retainer invoices billed per month of service, next to what of it is paid. */
export function RetainerInvoicedCard({ year }: { year: number }) {
  const { t, i18n } = useTranslation();
  const currency = useCurrency();
  const money = (value: string) => formatCurrency(value, i18n.language, currency);
  const report = useQuery({
    queryKey: ["reports", "retainer-invoiced", year],
    queryFn: () => api.get<Invoiced>("reports/retainer-invoiced", { year }),
  });
  const data = report.data && Array.isArray(report.data.invoiced) && Array.isArray(report.data.paid) ? report.data : undefined;
  const monthName = (month: number) => new Intl.DateTimeFormat(i18n.language, { month: "short" }).format(new Date(year, month - 1, 1));
  return (
    <Card className="slds-m-top_small" icon="file" title={t("sales.reports.invoicedTitle", { year })}>
      {data ? (
        <Table
          scroll
          label={t("sales.reports.invoicedTitle", { year })}
          columns={[
            { key: "what", label: "" },
            ...data.months.map((month) => ({ key: String(month), label: monthName(month), align: "right" as const })),
            { key: "total", label: t("sales.reports.total"), align: "right" },
          ]}
        >
          <tr>
            <th scope="row">{t("sales.reports.invoiced")}</th>
            {data.invoiced.map((value, index) => (
              <td key={index} className="slds-text-align_right">
                {money(value)}
              </td>
            ))}
            <td className="slds-text-align_right">{money(data.total_invoiced)}</td>
          </tr>
          <tr>
            <th scope="row">{t("sales.reports.paid")}</th>
            {data.paid.map((value, index) => (
              <td key={index} className="slds-text-align_right">
                {money(value)}
              </td>
            ))}
            <td className="slds-text-align_right">{money(data.total_paid)}</td>
          </tr>
        </Table>
      ) : null}
    </Card>
  );
}
