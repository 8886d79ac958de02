import { useQuery } from "@tanstack/react-query";
import { useEffect, useId } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { ObjectIcon } from "../../components/icon";
import { Spinner } from "../../components/spinner";
import { ApiError, api } from "../../lib/api-client";
import { useCurrency } from "../../lib/session";
import { RetainerGrid, type RetainerReport } from "./retainer-grid";

/** Accounts per page of the report (the API allows up to 200). */
export const REPORT_PAGE_SIZE = 50;

/** Reports: the 12-month retainer payments report for a chosen year, one page of accounts at a time. */
export function ReportsPage() {
  const { t, i18n } = useTranslation();
  const currency = useCurrency();
  const yearId = useId();
  const [params, setParams] = useSearchParams();
  const thisYear = new Date().getFullYear();
  const year = Number(params.get("year")) || thisYear;
  const page = Math.max(1, Math.floor(Number(params.get("page"))) || 1);
  const years = Array.from({ length: 7 }, (_, index) => thisYear + 1 - index);
  const report = useQuery({
    queryKey: ["reports", "retainer-payments", year, page],
    queryFn: ({ signal }) => api.get<RetainerReport>("reports/retainer-payments", { year, page, page_size: REPORT_PAGE_SIZE }, signal),
    // Paging keeps the current page on screen until the next one arrives; a new year starts blank.
    placeholderData: (previous) => (previous?.year === year ? previous : undefined),
  });
  const number = (value: number) => new Intl.NumberFormat(i18n.language).format(value);
  const goTo = (nextYear: number, nextPage: number) =>
    setParams(nextPage > 1 ? { year: String(nextYear), page: String(nextPage) } : { year: String(nextYear) });
  // A page that no longer exists (fewer accounts since the link was made) falls back to the first one.
  const pastLastPage = page > 1 && report.error instanceof ApiError && report.error.status === 404;

  useEffect(() => {
    if (pastLastPage) setParams({ year: String(year) }, { replace: true });
  }, [pastLastPage, setParams, year]);

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
                  <select id={yearId} className="slds-select" value={year} onChange={(event) => goTo(Number(event.target.value), 1)}>
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
            {report.data ? ` • ${t("work.reports.accounts", { count: report.data.count, total: number(report.data.count) })}` : ""}
          </p>
        </div>
      </div>
      <div className="slds-card slds-is-relative">
        {report.isLoading ? <Spinner /> : report.isFetching ? <Spinner size="small" /> : null}
        {report.isError && !pastLastPage ? (
          <p className="slds-p-around_medium slds-text-color_error" role="alert">
            {t("errors.loadFailed")}
          </p>
        ) : null}
        {report.data && report.data.rows.length === 0 ? (
          <p className="slds-p-around_large slds-text-align_center slds-text-color_weak">{t("work.reports.empty", { year })}</p>
        ) : null}
        {report.data && report.data.rows.length > 0 ? <RetainerGrid report={report.data} currency={currency} /> : null}
        {report.data && report.data.count > report.data.page_size ? (
          <nav className="slds-grid slds-grid_align-spread slds-grid_vertical-align-center slds-p-around_small" aria-label={t("list.pagination")}>
            <button
              type="button"
              className="slds-button slds-button_neutral"
              disabled={report.isPlaceholderData || report.data.page <= 1}
              onClick={() => goTo(year, report.data.page - 1)}
            >
              {t("list.previous")}
            </button>
            <span className="slds-text-body_small" aria-live="polite">
              {t("work.reports.showing", {
                count: report.data.count,
                from: number((report.data.page - 1) * report.data.page_size + 1),
                to: number((report.data.page - 1) * report.data.page_size + report.data.rows.length),
                total: number(report.data.count),
              })}
            </span>
            <button
              type="button"
              className="slds-button slds-button_neutral"
              disabled={report.isPlaceholderData || report.data.page * report.data.page_size >= report.data.count}
              onClick={() => goTo(year, report.data.page + 1)}
            >
              {t("list.next")}
            </button>
          </nav>
        ) : null}
      </div>
    </div>
  );
}
