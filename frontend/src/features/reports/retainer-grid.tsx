import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { formatCurrency } from "../../records/fields/format";

export type RetainerRow = { account_id: number; account_name: string; months: string[]; total: string };
/** One page of accounts (`rows`); `totals` and `count` cover every account of the year. */
export type RetainerReport = {
  year: number;
  months: number[];
  rows: RetainerRow[];
  totals: { months: string[]; total: string };
  count: number;
  page: number;
  page_size: number;
};

export type RetainerGridProps = { report: RetainerReport; currency: string };

/** Accounts x months grid of retainer payments with row totals; the footer holds the year's totals over all accounts. */
export function RetainerGrid({ report, currency }: RetainerGridProps) {
  const { t, i18n } = useTranslation();
  const money = (value: string | number) => (Number(value) === 0 ? "—" : formatCurrency(value, i18n.language, currency));
  const monthName = (month: number) => new Intl.DateTimeFormat(i18n.language, { month: "short" }).format(new Date(report.year, month - 1, 1));
  const totals = report.totals;
  return (
    <div className="crm-report-scroll" tabIndex={0} role="region" aria-label={t("work.reports.retainerTitle")}>
      <table className="slds-table slds-table_bordered slds-table_col-bordered slds-table_striped crm-report-table">
        <thead>
          <tr className="slds-line-height_reset">
            <th scope="col" className="crm-report-sticky">
              <div className="slds-truncate">{t("work.reports.account")}</div>
            </th>
            {report.months.map((month) => (
              <th key={month} scope="col" className="slds-text-align_right">
                <div className="slds-truncate">{monthName(month)}</div>
              </th>
            ))}
            <th scope="col" className="slds-text-align_right">
              <div className="slds-truncate">{t("work.reports.total")}</div>
            </th>
          </tr>
        </thead>
        <tbody>
          {report.rows.map((row) => (
            <tr key={row.account_id} className="slds-hint-parent">
              <th scope="row" className="crm-report-sticky">
                <div className="slds-truncate" title={row.account_name}>
                  <Link to={`/o/account/${row.account_id}`}>{row.account_name}</Link>
                </div>
              </th>
              {row.months.map((value, index) => (
                <td key={index} className="slds-text-align_right crm-number">
                  {money(value)}
                </td>
              ))}
              <td className="slds-text-align_right crm-number">
                <strong>{money(row.total)}</strong>
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr className="crm-report-total">
            <th scope="row" className="crm-report-sticky">
              {t("work.reports.grandTotal")}
            </th>
            {totals.months.map((value, index) => (
              <td key={index} className="slds-text-align_right crm-number">
                {money(value)}
              </td>
            ))}
            <td className="slds-text-align_right crm-number" data-testid="grand-total">
              {money(totals.total)}
            </td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
