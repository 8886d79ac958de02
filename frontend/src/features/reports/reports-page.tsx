import { useQuery } from "@tanstack/react-query";
import { useEffect, useId } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { ObjectIcon } from "../../components/icon";
import { Spinner } from "../../components/spinner";
import { api } from "../../lib/api-client";
import { useCurrency } from "../../lib/session";
import { RetainerGrid, type RetainerReport } from "./retainer-grid";

/** Reports: the 12-month retainer payments report for a chosen year. */
export function ReportsPage() {
  const { t } = useTranslation();
  const currency = useCurrency();
  const yearId = useId();
  const [params, setParams] = useSearchParams();
  const thisYear = new Date().getFullYear();
  const year = Number(params.get("year")) || thisYear;
  const years = Array.from({ length: 7 }, (_, index) => thisYear + 1 - index);
  const report = useQuery({
    queryKey: ["reports", "retainer-payments", year],
    queryFn: ({ signal }) => api.get<RetainerReport>("reports/retainer-payments", { year }, signal),
  });

  useEffect(() => {
    document.title = `${t("work.reports.retainerTitle")} | ${t("app.name")}`;
  }, [t]);

  return (
    <div className="crm-page">
      <div className="slds-page-header crm-card-shadow">
        <div className="slds-page-header__row">
          <div className="slds-page-header__col-title">
            <div className="slds-media">
              <div className="slds-media__figure">
                <ObjectIcon icon="report" size="small" />
              </div>
              <div className="slds-media__body">
                <div className="slds-page-header__name">
                  <div className="slds-page-header__name-title">
                    <span className="slds-page-header__name-meta">{t("work.reports.title")}</span>
                    <h1 className="slds-page-header__title slds-truncate">{t("work.reports.retainerTitle")}</h1>
                  </div>
                </div>
              </div>
            </div>
          </div>
          <div className="slds-page-header__col-actions">
            <div className="slds-form-element crm-year-picker">
              <label className="slds-form-element__label" htmlFor={yearId}>
                {t("work.reports.year")}
              </label>
              <div className="slds-form-element__control">
                <div className="slds-select_container">
                  <select id={yearId} className="slds-select" value={year} onChange={(event) => setParams({ year: event.target.value })}>
                    {years.map((value) => (
                      <option key={value} value={value}>
                        {value}
                      </option>
                    ))}
                  </select>
                </div>
              </div>
            </div>
          </div>
        </div>
        <div className="slds-page-header__row">
          <p className="slds-page-header__meta-text slds-text-body_small">
            {t("work.reports.retainerSubtitle")}
            {report.data ? ` • ${t("work.reports.accounts", { count: report.data.rows.length })}` : ""}
          </p>
        </div>
      </div>
      <div className="slds-card">
        {report.isLoading ? <Spinner /> : null}
        {report.isError ? (
          <p className="slds-p-around_medium slds-text-color_error" role="alert">
            {t("errors.loadFailed")}
          </p>
        ) : null}
        {report.data && report.data.rows.length === 0 ? (
          <p className="slds-p-around_large slds-text-align_center slds-text-color_weak">{t("work.reports.empty", { year })}</p>
        ) : null}
        {report.data && report.data.rows.length > 0 ? <RetainerGrid report={report.data} currency={currency} /> : null}
      </div>
    </div>
  );
}
