import { useQuery } from "@tanstack/react-query";
import { Fragment, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { Spinner } from "../../components/spinner";
import { RowHeader, Table } from "../../components/table";
import { useToast } from "../../components/toast";
import { errorText } from "../../lib/api-client";
import { formatDateTime } from "../../records/fields/format";
import { runQuery, runsQuery, useRunAction, type RunFilters, type WorkflowRun } from "./api/automation-queries";

const BADGE: Record<string, string> = {
  running: "slds-theme_warning",
  waiting: "slds-badge_lightest",
  succeeded: "slds-theme_success",
  failed: "slds-theme_error",
  stopped: "slds-theme_error",
};

export type RunHistoryProps = {
  filters: RunFilters;
  title: string;
  showRecord?: boolean;
  /** For a narrow column (a record page's side): run, status and start only; the rest is in Details. */
  compact?: boolean;
};

/** Runs of a workflow or on a record, newest first; a row opens its steps with input, result and error. */
export function RunHistory({ filters, title, showRecord, compact }: RunHistoryProps) {
  const { t, i18n } = useTranslation();
  const runs = useQuery(runsQuery(filters));
  const [open, setOpen] = useState<number | null>(null);
  const rows = runs.data?.results ?? [];
  return (
    <section className="slds-card slds-m-top_medium" aria-label={title}>
      <div className="slds-card__header">
        <h2 className="slds-card__header-title">{title}</h2>
      </div>
      {runs.isLoading ? <Spinner /> : null}
      <Table
        className="crm-card-table"
        label={title}
        columns={[
          { key: "run", label: t("automation.workflows.run") },
          { key: "status", label: t("automation.workflows.status") },
          ...(compact ? [] : [{ key: "record", label: showRecord ? t("automation.workflows.record") : t("automation.workflows.version") }]),
          { key: "started", label: t("automation.workflows.started") },
          ...(compact ? [] : [{ key: "error", label: t("automation.workflows.error") }]),
          { key: "actions", label: t("common.actions"), labelHidden: true },
        ]}
      >
        {rows.map((run) => (
          <Fragment key={run.id}>
            <tr className="slds-hint-parent">
              <RowHeader title={`${run.workflow_name} #${run.id}`} />
              <td>
                <span className={`slds-badge ${BADGE[run.status] ?? ""}`}>{t(`automation.workflows.states.${run.status}`)}</span>
              </td>
              {compact ? null : (
                <td>
                  {showRecord ? (
                    <Link to={`/o/${run.object_name}/${run.record_id}`}>{`${run.object_name} ${run.record_id}`}</Link>
                  ) : (
                    `v${run.workflow_version_number}`
                  )}
                </td>
              )}
              <td>{formatDateTime(run.created_at, i18n.language)}</td>
              {compact ? null : (
                <td className="slds-text-color_error">
                  <div className="slds-line-clamp_small" title={run.error || undefined}>
                    {run.error}
                  </div>
                </td>
              )}
              <td className="slds-text-align_right">
                <button
                  type="button"
                  className="slds-button slds-button_neutral"
                  aria-expanded={open === run.id}
                  aria-label={`${t("automation.workflows.details")} #${run.id}`}
                  onClick={() => setOpen(open === run.id ? null : run.id)}
                >
                  {t("automation.workflows.details")}
                </button>
              </td>
            </tr>
            {open === run.id ? (
              <tr>
                <td colSpan={compact ? 4 : 6}>
                  {run.error ? <p className="slds-text-color_error slds-p-horizontal_small">{run.error}</p> : null}
                  <RunSteps run={run} />
                </td>
              </tr>
            ) : null}
          </Fragment>
        ))}
      </Table>
      {!runs.isLoading && rows.length === 0 ? <p className="slds-p-around_medium slds-text-color_weak">{t("automation.workflows.noRuns")}</p> : null}
    </section>
  );
}

function RunSteps({ run }: { run: WorkflowRun }) {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const detail = useQuery(runQuery(run.id));
  const action = useRunAction();
  if (!detail.data) return <Spinner />;
  const steps = (detail.data.steps as { type: string }[] | undefined) ?? [];
  const act = async (kind: "retry" | "replay", index = 0) => {
    try {
      await action.mutateAsync({ run, action: kind, body: kind === "retry" ? { version: run.version } : { from_step: index } });
      toast.show({
        variant: "success",
        message: kind === "retry" ? t("automation.workflows.retried") : t("automation.workflows.replayed", { number: index + 1 }),
      });
    } catch (error) {
      toast.show({ variant: "error", message: errorText(error, t("errors.generic")) });
    }
  };
  return (
    <div className="slds-p-around_small crm-run-steps">
      <ol className="slds-list_ordered">
        {steps.map((step, index) => {
          const attempts = detail.data.step_runs.filter((row) => row.index === index);
          const last = attempts[attempts.length - 1];
          return (
            <li key={index} className="slds-m-bottom_small">
              <div className="slds-grid slds-grid_vertical-align-center slds-gutters_x-small">
                <strong className="slds-col slds-grow-none">{t(`automation.workflows.stepTypes.${step.type}`, { defaultValue: step.type })}</strong>
                {last ? (
                  <span className={`slds-col slds-grow-none slds-badge ${BADGE[last.status] ?? ""}`}>{t(`automation.workflows.states.${last.status}`)}</span>
                ) : null}
                {last ? <span className="slds-col slds-grow-none slds-text-color_weak">{formatDateTime(last.finished_at, i18n.language)}</span> : null}
                <button type="button" className="slds-col slds-grow-none slds-button" disabled={action.isPending} onClick={() => void act("replay", index)}>
                  {t("automation.workflows.replay", { number: index + 1 })}
                </button>
              </div>
              {last ? (
                <dl className="slds-dl_horizontal slds-text-body_small">
                  <dt className="slds-dl_horizontal__label">{t("automation.workflows.input")}</dt>
                  <dd className="slds-dl_horizontal__detail">
                    <code>{JSON.stringify(last.input)}</code>
                  </dd>
                  <dt className="slds-dl_horizontal__label">{last.error ? t("automation.workflows.error") : t("automation.workflows.result")}</dt>
                  <dd className={`slds-dl_horizontal__detail${last.error ? " slds-text-color_error" : ""}`}>
                    {last.error || <code>{JSON.stringify(last.result)}</code>}
                  </dd>
                </dl>
              ) : null}
            </li>
          );
        })}
      </ol>
      {run.status === "failed" ? (
        <button type="button" className="slds-button slds-button_brand" disabled={action.isPending} onClick={() => void act("retry")}>
          {t("automation.workflows.retry")}
        </button>
      ) : null}
    </div>
  );
}
