import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { Card, CardEmpty } from "../../components/card";
import { FormAlert, FormElement, ModalFooter, Select } from "../../components/form-element";
import { ConfirmModal, Modal } from "../../components/modal";
import { PageHeader } from "../../components/page-header";
import { Spinner } from "../../components/spinner";
import { RowHeader, Table } from "../../components/table";
import { useToast } from "../../components/toast";
import { NotFoundPage } from "../../app/routes/not-found-page";
import { ApiError, api } from "../../lib/api-client";
import { useFieldErrors } from "../../lib/use-field-errors";
import { useSession } from "../../lib/session";
import { recordKeys } from "../../records/api/record-queries";
import { formatDateTime, formatNumber } from "../../records/fields/format";
import { RecordFormModal } from "../../records/form/record-form-modal";
import { useMetaLabels } from "../../records/metadata/use-object-meta";
import type { RecordData } from "../../records/metadata/types";
import type { RecordPageProps } from "../../records/record-page/record-extensions";
import {
  LIVE_SEND_STATUSES,
  marketingKeys,
  RECIPIENT_STATUSES,
  RECIPIENTS_PAGE_SIZE,
  recipientsQuery,
  sendQuery,
  statsQuery,
  type EmailSend,
} from "./api/marketing-queries";
import { SendProgress, SendStatistics } from "./send-stats";
import "./marketing.css";

const SENDER_ROLES = ["owner", "admin", "manager"];
const STATUS_BADGE: Record<string, string> = {
  draft: "",
  scheduled: "slds-badge_lightest",
  sending: "slds-theme_info",
  paused: "slds-theme_warning",
  completed: "slds-theme_success",
  cancelled: "slds-badge_inverse",
};

type Action = "pause" | "resume" | "cancel";

/** An email send's page: its audience and content, test send, send now or at a time, pause, resume, cancel, progress, statistics and recipients. */
export function EmailSendPage({ meta, id }: RecordPageProps) {
  const { t, i18n } = useTranslation();
  const labels = useMetaLabels();
  const toast = useToast();
  const queryClient = useQueryClient();
  const { data: user } = useSession();
  const send = useQuery(sendQuery(id));
  const record = send.data;
  const live = LIVE_SEND_STATUSES.includes(record?.status ?? "");
  const stats = useQuery({ ...statsQuery(id, live), enabled: send.isSuccess });
  const [editing, setEditing] = useState(false);
  const [dialog, setDialog] = useState<"test" | "send" | "cancel" | null>(null);
  const [busy, setBusy] = useState(false);
  const canSend = SENDER_ROLES.includes(user?.role ?? "") || Boolean(user?.is_admin);

  useEffect(() => {
    if (record) document.title = `${record.name} | ${labels.objectLabel(meta)}`;
  }, [record, labels, meta]);

  if (send.isLoading) return <Spinner />;
  if (send.error instanceof ApiError && send.error.status === 404) return <NotFoundPage message={t("record.notFound")} />;
  if (!record) {
    return (
      <div className="slds-p-around_medium slds-text-color_error" role="alert">
        {t("errors.loadFailed")}
      </div>
    );
  }

  const refresh = (next?: EmailSend) => {
    if (next) queryClient.setQueryData(marketingKeys.send(id), next);
    void queryClient.invalidateQueries({ queryKey: marketingKeys.send(id) });
    void queryClient.invalidateQueries({ queryKey: [...recordKeys.all(meta.name), "list"] });
  };

  async function act(action: Action) {
    setBusy(true);
    try {
      const next = await api.post<EmailSend>(`email-campaigns/${id}/${action}`);
      refresh(next);
      toast.show({ variant: "success", message: t(`marketing.sends.done.${action}`, { name: next.name }) });
    } catch (error) {
      toast.show({ variant: "error", message: error instanceof ApiError ? error.message : t("errors.generic") });
      refresh();
    } finally {
      setBusy(false);
      setDialog(null);
    }
  }

  const status = record.status;
  const editable = ["draft", "scheduled", "paused"].includes(status);
  const actions = canSend ? (
    <div className="slds-button-group" role="group">
      {editable ? (
        <button type="button" className="slds-button slds-button_neutral" onClick={() => setEditing(true)}>
          {t("common.edit")}
        </button>
      ) : null}
      <button type="button" className="slds-button slds-button_neutral" onClick={() => setDialog("test")}>
        {t("marketing.sends.testSend")}
      </button>
      {status === "draft" || status === "scheduled" ? (
        <button type="button" className="slds-button slds-button_brand" onClick={() => setDialog("send")}>
          {status === "scheduled" ? t("marketing.sends.sendNowOrReschedule") : t("marketing.sends.send")}
        </button>
      ) : null}
      {status === "sending" || status === "scheduled" ? (
        <button type="button" className="slds-button slds-button_neutral" disabled={busy} onClick={() => void act("pause")}>
          {t("marketing.sends.pause")}
        </button>
      ) : null}
      {status === "paused" ? (
        <button type="button" className="slds-button slds-button_brand" disabled={busy} onClick={() => void act("resume")}>
          {t("marketing.sends.resume")}
        </button>
      ) : null}
      {["draft", "scheduled", "sending", "paused"].includes(status) ? (
        <button type="button" className="slds-button slds-button_text-destructive" onClick={() => setDialog("cancel")}>
          {t("marketing.sends.cancelSend")}
        </button>
      ) : null}
    </div>
  ) : null;

  const audience = record.segment_id ? (
    <Link to={`/o/segment/${record.segment_id}`}>{record.segment_name}</Link>
  ) : record.campaign_id ? (
    <Link to={`/o/campaign/${record.campaign_id}`}>{t("marketing.sends.membersOf", { name: record.campaign_name })}</Link>
  ) : (
    "—"
  );
  const facts: [string, ReactNode][] = [
    [
      t("marketing.sends.template"),
      <Link key="template" to={`/o/email_template/${record.template_id}`}>
        {record.template_name}
      </Link>,
    ],
    [t("marketing.sends.audience"), audience],
    [t("marketing.sends.from"), record.from_email || t("marketing.sends.defaultFrom")],
    [t("marketing.sends.scheduledAt"), record.scheduled_at ? formatDateTime(record.scheduled_at, i18n.language) : t("marketing.sends.notScheduled")],
    [
      t("marketing.sends.window"),
      record.window_start && record.window_end ? `${record.window_start.slice(0, 5)}–${record.window_end.slice(0, 5)}` : t("marketing.sends.anyTime"),
    ],
    [t("marketing.sends.startedAt"), formatDateTime(record.started_at, i18n.language) || "—"],
    [t("marketing.sends.completedAt"), formatDateTime(record.completed_at, i18n.language) || "—"],
  ];

  return (
    <div className="crm-page">
      <PageHeader
        variant="record-home"
        icon={meta.icon}
        meta={labels.objectLabel(meta)}
        title={
          <>
            {record.name}{" "}
            <span className={`slds-badge ${STATUS_BADGE[status] ?? ""} crm-send-status`} data-testid="send-status">
              {t(`marketing.sends.statuses.${status}`, { defaultValue: status })}
            </span>
          </>
        }
        titleText={record.name}
        actions={actions}
      >
        <ul className="slds-page-header__detail-row">
          {facts.map(([label, value]) => (
            <li key={label} className="slds-page-header__detail-block">
              <div className="slds-text-title slds-truncate" title={label}>
                {label}
              </div>
              <div className="slds-truncate">{value}</div>
            </li>
          ))}
        </ul>
      </PageHeader>
      {stats.data && stats.data.recipients > 0 ? (
        <div className="slds-card slds-p-around_small crm-path-card">
          <SendProgress stats={stats.data} />
        </div>
      ) : null}
      <div className="slds-grid slds-wrap slds-gutters_direct-small crm-record-body">
        <div className="slds-col slds-size_1-of-1 slds-large-size_7-of-12">{stats.data ? <SendStatistics stats={stats.data} /> : <Spinner size="small" />}</div>
        <div className="slds-col slds-size_1-of-1 slds-large-size_5-of-12">
          <RecipientList id={id} live={live} />
        </div>
      </div>
      {editing ? (
        <RecordFormModal
          meta={meta}
          record={record as unknown as RecordData}
          onClose={() => setEditing(false)}
          onSaved={(saved) => {
            refresh(saved as unknown as EmailSend);
            setEditing(false);
          }}
        />
      ) : null}
      {dialog === "test" ? <TestSendModal id={id} defaultTo={user?.email ?? ""} onClose={() => setDialog(null)} /> : null}
      {dialog === "send" ? (
        <SendModal
          record={record}
          onClose={() => setDialog(null)}
          onSent={(next) => {
            refresh(next);
            void queryClient.invalidateQueries({ queryKey: marketingKeys.stats(id) });
            setDialog(null);
          }}
        />
      ) : null}
      {dialog === "cancel" ? (
        <ConfirmModal
          title={t("marketing.sends.cancelTitle")}
          body={t("marketing.sends.cancelBody", { name: record.name })}
          confirmLabel={t("marketing.sends.cancelSend")}
          destructive
          busy={busy}
          onCancel={() => setDialog(null)}
          onConfirm={() => void act("cancel")}
        />
      ) : null}
    </div>
  );
}

function TestSendModal({ id, defaultTo, onClose }: { id: number; defaultTo: string; onClose: () => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const [to, setTo] = useState(defaultTo);
  const [busy, setBusy] = useState(false);
  const { errors, formError, validate, showError } = useFieldErrors({ fields: ["to"] });

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!validate({ to: to.trim() ? undefined : t("form.requiredError") })) return;
    setBusy(true);
    try {
      await api.post(`email-campaigns/${id}/test-send`, { to: to.trim() });
      toast.show({ variant: "success", message: t("marketing.sends.testSent", { to: to.trim() }) });
      onClose();
    } catch (error) {
      showError(error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      title={t("marketing.sends.testSendTitle")}
      onClose={onClose}
      size="small"
      footer={
        <ModalFooter onCancel={onClose} form="test-send-form" busy={busy} label={t("marketing.sends.sendTest")} busyLabel={t("marketing.sends.sending")} />
      }
    >
      <form id="test-send-form" onSubmit={(event) => void submit(event)} noValidate>
        {formError ? <FormAlert>{formError}</FormAlert> : null}
        <p className="slds-m-bottom_small">{t("marketing.sends.testSendHelp")}</p>
        <FormElement id="test-send-to" label={t("marketing.sends.testTo")} required errors={errors.to}>
          {(control) => <input className="slds-input" type="email" {...control.aria} value={to} onChange={(event) => setTo(event.target.value)} />}
        </FormElement>
      </form>
    </Modal>
  );
}

function SendModal({ record, onClose, onSent }: { record: EmailSend; onClose: () => void; onSent: (next: EmailSend) => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const [when, setWhen] = useState<"now" | "later">(record.scheduled_at ? "later" : "now");
  const [at, setAt] = useState(record.scheduled_at ? toLocalInput(record.scheduled_at) : "");
  const [busy, setBusy] = useState(false);
  const { errors, formError, validate, showError } = useFieldErrors({ fields: ["scheduled_at"] });

  async function submit(event: FormEvent) {
    event.preventDefault();
    const date = at ? new Date(at) : null;
    if (
      when === "later" &&
      !validate({
        scheduled_at: !date || Number.isNaN(date.getTime()) ? t("form.requiredError") : date <= new Date() ? t("marketing.sends.inThePast") : undefined,
      })
    )
      return;
    setBusy(true);
    try {
      const next = await api.post<EmailSend>(
        `email-campaigns/${record.id}/send`,
        when === "later" && date ? { scheduled_at: date.toISOString() } : { scheduled_at: null },
      );
      toast.show({
        variant: "success",
        message: t(next.status === "scheduled" ? "marketing.sends.scheduled" : "marketing.sends.started", { name: next.name }),
      });
      onSent(next);
    } catch (error) {
      showError(error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      title={t("marketing.sends.sendTitle", { name: record.name })}
      onClose={onClose}
      size="small"
      footer={
        <ModalFooter
          onCancel={onClose}
          form="send-form"
          busy={busy}
          label={when === "later" ? t("marketing.sends.schedule") : t("marketing.sends.sendNow")}
          busyLabel={t("marketing.sends.sending")}
        />
      }
    >
      <form id="send-form" onSubmit={(event) => void submit(event)} noValidate>
        {formError ? <FormAlert>{formError}</FormAlert> : null}
        <p className="slds-m-bottom_small">{t("marketing.sends.sendHelp")}</p>
        <fieldset className="slds-form-element slds-m-bottom_small">
          <legend className="slds-form-element__legend slds-form-element__label">{t("marketing.sends.when")}</legend>
          <div className="slds-form-element__control">
            {(["now", "later"] as const).map((option) => (
              <span key={option} className="slds-radio">
                <input type="radio" id={`send-when-${option}`} name="send-when" checked={when === option} onChange={() => setWhen(option)} />
                <label className="slds-radio__label" htmlFor={`send-when-${option}`}>
                  <span className="slds-radio_faux" />
                  <span className="slds-form-element__label">{t(`marketing.sends.whenOptions.${option}`)}</span>
                </label>
              </span>
            ))}
          </div>
        </fieldset>
        {when === "later" ? (
          <FormElement id="send-at" label={t("marketing.sends.scheduledAt")} required errors={errors.scheduled_at}>
            {(control) => <input className="slds-input" type="datetime-local" {...control.aria} value={at} onChange={(event) => setAt(event.target.value)} />}
          </FormElement>
        ) : null}
      </form>
    </Modal>
  );
}

function toLocalInput(value: string): string {
  const date = new Date(value);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The recipients of a send with their status, a page at a time, filtered by status. */
function RecipientList({ id, live }: { id: number; live: boolean }) {
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState("");
  const [page, setPage] = useState(1);
  const recipients = useQuery(recipientsQuery(id, page, status, live));
  const data = recipients.data;
  const pages = data ? Math.max(1, Math.ceil(data.count / RECIPIENTS_PAGE_SIZE)) : 1;
  const title = t("marketing.sends.recipients", { count: data?.count ?? 0, formatted: formatNumber(data?.count ?? 0, i18n.language) });

  return (
    <Card
      title={title}
      label={t("marketing.sends.recipientsLabel")}
      icon="contact_list"
      className="slds-is-relative"
      actions={
        <div className="crm-recipient-filter">
          <Select
            aria-label={t("marketing.sends.filterStatus")}
            value={status}
            placeholder={t("marketing.sends.allStatuses")}
            options={RECIPIENT_STATUSES.map((value) => ({ value, label: t(`marketing.sends.recipientStatuses.${value}`) }))}
            onChange={(value) => {
              setStatus(value);
              setPage(1);
            }}
          />
        </div>
      }
      footer={
        pages > 1 ? (
          <nav className="slds-grid slds-grid_align-spread slds-grid_vertical-align-center" aria-label={t("list.pagination")}>
            <button type="button" className="slds-button slds-button_neutral" disabled={page <= 1} onClick={() => setPage(page - 1)}>
              {t("list.previous")}
            </button>
            <span className="slds-text-body_small">
              {t("list.page", { page: formatNumber(page, i18n.language), pages: formatNumber(pages, i18n.language) })}
            </span>
            <button type="button" className="slds-button slds-button_neutral" disabled={page >= pages} onClick={() => setPage(page + 1)}>
              {t("list.next")}
            </button>
          </nav>
        ) : null
      }
    >
      {recipients.isFetching ? <Spinner size="small" /> : null}
      {data?.results.length ? (
        <Table
          scroll
          label={t("marketing.sends.recipientsLabel")}
          columns={[
            { key: "email", label: t("marketing.sends.email") },
            { key: "status", label: t("marketing.sends.status") },
            { key: "at", label: t("marketing.sends.lastEvent") },
          ]}
        >
          {data.results.map((row) => {
            const at = row.unsubscribed_at ?? row.clicked_at ?? row.opened_at ?? row.bounced_at ?? row.sent_at ?? null;
            const person = row.contact_id ? `/o/contact/${row.contact_id}` : row.lead_id ? `/o/lead/${row.lead_id}` : null;
            return (
              <tr key={row.id}>
                <RowHeader title={row.email}>{person ? <Link to={person}>{row.email}</Link> : row.email}</RowHeader>
                <td>
                  <span className={`slds-badge crm-recipient-status crm-recipient-status_${row.status}`} title={row.error || undefined}>
                    {t(`marketing.sends.recipientStatuses.${row.status ?? "queued"}`)}
                  </span>
                  {row.machine_opened_at && !row.opened_at ? (
                    <span className="slds-text-color_weak slds-m-left_xx-small">{t("marketing.sends.machineOnly")}</span>
                  ) : null}
                </td>
                <td className="slds-text-body_small">{formatDateTime(at, i18n.language)}</td>
              </tr>
            );
          })}
        </Table>
      ) : (
        <CardEmpty>
          {recipients.isLoading ? t("common.loading") : status ? t("marketing.sends.noRecipientsWithStatus") : t("marketing.sends.noRecipients")}
        </CardEmpty>
      )}
    </Card>
  );
}
