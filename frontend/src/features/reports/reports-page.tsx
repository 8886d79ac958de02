import { useQuery } from "@tanstack/react-query";
import { useEffect, useId } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { FormElement, Select } from "../../components/form-element";
import { PageHeader } from "../../components/page-header";
import { Spinner } from "../../components/spinner";
import { ApiError } from "../../lib/api-client";
import { useCurrency } from "../../lib/session";
import { retainerReportQuery } from "./api/report-queries";
import { RetainerGrid } from "./retainer-grid";
import { MrrCard, RetainerInvoicedCard } from "./revenue-cards";

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
  const report = useQuery(retainerReportQuery(year, page));
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
      <PageHeader
        icon="report"
        meta={t("work.reports.title")}
        title={t("work.reports.retainerTitle")}
        actions={
          <FormElement id={yearId} label={t("work.reports.year")} className="crm-year-picker">
            <Select
              id={yearId}
              value={String(year)}
              onChange={(value) => goTo(Number(value), 1)}
              options={years.map((value) => ({ value: String(value), label: String(value) }))}
            />
          </FormElement>
        }
        metaText={
          <>
            {t("work.reports.retainerSubtitle")}
            {report.data ? ` • ${t("work.reports.accounts", { count: report.data.count, total: number(report.data.count) })}` : ""}
          </>
        }
      />
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
      <RetainerInvoicedCard year={year} />
      <MrrCard />
    </div>
  );
}
