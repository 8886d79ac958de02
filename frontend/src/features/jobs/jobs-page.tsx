import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Select } from "../../components/form-element";
import { PageHeader } from "../../components/page-header";
import { Spinner } from "../../components/spinner";
import { RowHeader, Table } from "../../components/table";
import { useToast } from "../../components/toast";
import { ApiError } from "../../lib/api-client";
import { formatDateTime, formatNumber } from "../../records/fields/format";
import { AdminGuard } from "../admin/admin-guard";
import { SetupNav } from "../admin/setup-nav";
import { JOB_STATES, JOBS_PAGE_SIZE, jobsQuery, useRetryJob, type Job } from "./api/job-queries";

const BADGE: Record<string, string> = {
  queued: "slds-badge_lightest",
  running: "slds-theme_warning",
  succeeded: "slds-theme_success",
  failed: "slds-theme_error",
};

/** Setup › Jobs: the organization's background jobs with their state and error; Retry for failed ones. */
export function JobsPage() {
  return (
    <AdminGuard>
      <JobsAdmin />
    </AdminGuard>
  );
}

export function JobsAdmin() {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const [state, setState] = useState("");
  const [page, setPage] = useState(1);
  const jobs = useQuery(jobsQuery(state, page));
  const retry = useRetryJob();

  useEffect(() => {
    document.title = `${t("jobs.title")} | ${t("work.admin.setup")}`;
  }, [t]);

  const onRetry = async (job: Job) => {
    try {
      await retry.mutateAsync(job);
      toast.show({ variant: "success", message: t("jobs.retried", { task: job.task }) });
    } catch (error) {
      toast.show({ variant: "error", message: error instanceof ApiError ? error.message : t("errors.generic") });
    }
  };

  const rows = jobs.data?.results ?? [];
  const count = jobs.data?.count ?? 0;
  const pages = Math.max(1, Math.ceil(count / JOBS_PAGE_SIZE));
  return (
    <div className="crm-page">
      <PageHeader
        icon="process"
        meta={t("work.admin.setup")}
        title={t("jobs.title")}
        metaText={jobs.isLoading ? undefined : t("list.items", { count, total: formatNumber(count, i18n.language) })}
      />
      <SetupNav />
      <div className="slds-card">
        <div className="slds-card__header slds-grid slds-grid_vertical-align-center slds-wrap">
          <p className="slds-col slds-text-color_weak slds-m-right_medium">{t("jobs.intro")}</p>
          <div className="slds-col_bump-left crm-jobs-filter">
            <Select
              aria-label={t("jobs.filter")}
              value={state}
              placeholder={t("jobs.all")}
              onChange={(value) => {
                setState(value);
                setPage(1);
              }}
              options={JOB_STATES.map((value) => ({ value, label: t(`jobs.states.${value}`) }))}
            />
          </div>
        </div>
        {jobs.isLoading ? <Spinner /> : null}
        <Table
          className="crm-card-table"
          label={t("jobs.title")}
          columns={[
            { key: "task", label: t("jobs.task") },
            { key: "state", label: t("jobs.state") },
            { key: "attempts", label: t("jobs.attempts"), align: "right" },
            { key: "error", label: t("jobs.error") },
            { key: "created", label: t("jobs.created") },
            { key: "finished", label: t("jobs.finished") },
            { key: "actions", label: t("common.actions"), labelHidden: true },
          ]}
        >
          {rows.map((job) => (
            <tr key={job.id} className="slds-hint-parent">
              <RowHeader title={job.task} />
              <td data-label={t("jobs.state")}>
                <span className={`slds-badge ${BADGE[job.state] ?? ""}`}>{t(`jobs.states.${job.state}`)}</span>
              </td>
              <td data-label={t("jobs.attempts")} className="slds-text-align_right">
                {formatNumber(job.attempts, i18n.language)}
              </td>
              <td data-label={t("jobs.error")} className="crm-job-error">
                {job.last_error ? (
                  <div className="slds-line-clamp_small slds-text-color_error" title={job.last_error}>
                    {job.last_error}
                  </div>
                ) : null}
              </td>
              <td data-label={t("jobs.created")}>{formatDateTime(job.created_at, i18n.language)}</td>
              <td data-label={t("jobs.finished")}>{job.finished_at ? formatDateTime(job.finished_at, i18n.language) : null}</td>
              <td className="slds-text-align_right">
                {job.state === "failed" ? (
                  <button
                    type="button"
                    className="slds-button slds-button_neutral"
                    aria-label={t("jobs.retryJob", { task: job.task })}
                    disabled={retry.isPending}
                    onClick={() => void onRetry(job)}
                  >
                    {t("jobs.retry")}
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </Table>
        {!jobs.isLoading && rows.length === 0 ? <p className="slds-p-around_medium slds-text-color_weak">{t("jobs.empty")}</p> : null}
        {pages > 1 ? (
          <div className="slds-card__footer slds-grid slds-grid_align-center slds-grid_vertical-align-center">
            <button type="button" className="slds-button slds-button_neutral" disabled={page <= 1} onClick={() => setPage(page - 1)}>
              {t("jobs.previous")}
            </button>
            <span className="slds-m-horizontal_medium">{t("jobs.page", { page })}</span>
            <button type="button" className="slds-button slds-button_neutral" disabled={page >= pages} onClick={() => setPage(page + 1)}>
              {t("jobs.next")}
            </button>
          </div>
        ) : null}
      </div>
    </div>
  );
}
