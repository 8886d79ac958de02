import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { FormElement } from "../../components/form-element";
import { HeaderAction } from "../../components/header-action";
import { ConfirmModal } from "../../components/modal";
import { Table } from "../../components/table";
import { useToast } from "../../components/toast";
import { api, errorText } from "../../lib/api-client";
import { formatCurrency, formatDateTime, formatNumber } from "../../records/fields/format";
import type { RecordExtensionProps } from "../../records/record-page/record-extensions";
import { noRemindersQuery, reminderStatusQuery, remindersQuery, useCollectionsMutation, type Reminder } from "./api/collection-queries";

const OPEN_INVOICE = new Set(["Issued", "Partially Paid", "Overdue"]);

function remindable(record: RecordData): boolean {
  return record.kind === "Invoice" && OPEN_INVOICE.has(String(record.status));
}

type RecordData = RecordExtensionProps["record"];

/** "Send reminder now" on an open invoice: the next level not sent yet, by mail with its PDF. */
export function SendReminderAction({ record, canWrite }: RecordExtensionProps) {
  const { t } = useTranslation();
  const toast = useToast();
  const id = Number(record.id);
  const status = useQuery({ ...reminderStatusQuery(id), enabled: canWrite && remindable(record) });
  const send = useCollectionsMutation(() => api.post<Reminder>(`invoices/${id}/send-reminder`, {}));
  if (!canWrite || !remindable(record) || !status.data || status.data.paused || status.data.account_no_reminders) return null;
  const number = String(record.number ?? "");
  const next = status.data.next_level;
  return (
    <HeaderAction
      label={t("collections.reminders.sendNow")}
      dialog={(close) => (
        <ConfirmModal
          title={t("collections.reminders.sendTitle")}
          body={next ? t("collections.reminders.sendBody", { level: next.name, number }) : t("collections.reminders.sendBodyNone", { number })}
          confirmLabel={t("collections.reminders.sendNow")}
          busy={send.isPending}
          onCancel={close}
          onConfirm={() =>
            send
              .mutateAsync(undefined)
              .then((reminder) =>
                toast.show({ variant: "success", message: t("collections.reminders.sent", { level: reminder.level_name, to: reminder.recipient }) }),
              )
              .catch((error: unknown) => toast.show({ variant: "error", message: errorText(error, t("errors.generic")) }))
              .finally(close)
          }
        />
      )}
    />
  );
}

/** "Pause reminders" / "Resume reminders" on an open invoice. */
export function PauseRemindersAction({ record, canWrite }: RecordExtensionProps) {
  const { t } = useTranslation();
  const toast = useToast();
  const id = Number(record.id);
  const [reason, setReason] = useState("");
  const status = useQuery({ ...reminderStatusQuery(id), enabled: canWrite && remindable(record) });
  const change = useCollectionsMutation((paused: boolean) => api.post(`invoices/${id}/${paused ? "resume" : "pause"}-reminders`, paused ? {} : { reason }));
  if (!canWrite || !remindable(record) || !status.data) return null;
  const number = String(record.number ?? "");
  const paused = status.data.paused;
  const label = paused ? t("collections.reminders.resume") : t("collections.reminders.pause");
  return (
    <HeaderAction
      label={label}
      dialog={(close) => (
        <ConfirmModal
          title={label}
          body={
            paused ? (
              t("collections.reminders.resumed", { number })
            ) : (
              <>
                <p className="slds-m-bottom_small">{t("collections.reminders.pauseBody", { number })}</p>
                <FormElement id="pause-reason" label={t("collections.reminders.reason")}>
                  <input id="pause-reason" className="slds-input" value={reason} maxLength={255} onChange={(event) => setReason(event.target.value)} />
                </FormElement>
              </>
            )
          }
          confirmLabel={label}
          busy={change.isPending}
          onCancel={close}
          onConfirm={() =>
            change
              .mutateAsync(paused)
              .then(() =>
                toast.show({
                  variant: "success",
                  message: paused ? t("collections.reminders.resumed", { number }) : t("collections.reminders.paused", { number }),
                }),
              )
              .catch((error: unknown) => toast.show({ variant: "error", message: errorText(error, t("errors.generic")) }))
              .finally(close)
          }
        />
      )}
    />
  );
}

/** "No reminders" / "Allow reminders" on an account. */
export function NoRemindersAction({ record, canWrite }: RecordExtensionProps) {
  const { t } = useTranslation();
  const toast = useToast();
  const id = Number(record.id);
  const state = useQuery({ ...noRemindersQuery(id), enabled: canWrite });
  const change = useCollectionsMutation((value: boolean) => api.put(`accounts/${id}/no-reminders`, { no_reminders: value }));
  if (!canWrite || !state.data) return null;
  const name = String(record.name ?? "");
  const off = state.data.no_reminders;
  const label = off ? t("collections.reminders.noRemindersOn") : t("collections.reminders.noReminders");
  return (
    <HeaderAction
      label={label}
      dialog={(close) => (
        <ConfirmModal
          title={off ? label : t("collections.reminders.noRemindersTitle")}
          body={off ? t("collections.reminders.noRemindersUnset", { name }) : t("collections.reminders.noRemindersBody", { name })}
          confirmLabel={label}
          busy={change.isPending}
          onCancel={close}
          onConfirm={() =>
            change
              .mutateAsync(!off)
              .then(() =>
                toast.show({
                  variant: "success",
                  message: off ? t("collections.reminders.noRemindersUnset", { name }) : t("collections.reminders.noRemindersSet", { name }),
                }),
              )
              .catch((error: unknown) => toast.show({ variant: "error", message: errorText(error, t("errors.generic")) }))
              .finally(close)
          }
        />
      )}
    />
  );
}

function RemindersCard({ filter, showInvoice, badge }: { filter: Record<string, number>; showInvoice: boolean; badge?: string }) {
  const { t, i18n } = useTranslation();
  const reminders = useQuery(remindersQuery(filter));
  const rows = reminders.data?.results ?? [];
  const money = (value: string, currency: string) => formatCurrency(value, i18n.language, currency);
  return (
    <article className="slds-card" aria-label={t("collections.reminders.title")}>
      <div className="slds-card__header slds-grid">
        <header className="slds-media slds-media_center slds-has-flexi-truncate">
          <div className="slds-media__body">
            <h2 className="slds-card__header-title">
              {t("collections.reminders.title")} ({formatNumber(reminders.data?.count ?? 0, i18n.language)})
            </h2>
          </div>
          {badge ? <span className="slds-badge slds-theme_warning">{badge}</span> : null}
        </header>
      </div>
      <div className="slds-card__body">
        {rows.length ? (
          <Table
            className="crm-card-table"
            scroll
            label={t("collections.reminders.title")}
            columns={[
              { key: "level", label: t("collections.reminders.level") },
              ...(showInvoice ? [{ key: "invoice", label: t("collections.reminders.invoice") }] : []),
              { key: "sent", label: t("collections.reminders.sentAt") },
              { key: "to", label: t("collections.reminders.to") },
              { key: "overdue", label: t("collections.reminders.overdue"), align: "right" as const },
              { key: "interest", label: t("collections.reminders.interest"), align: "right" as const },
              { key: "fee", label: t("collections.reminders.fee"), align: "right" as const },
              { key: "total", label: t("collections.reminders.total"), align: "right" as const },
              { key: "trigger", label: t("collections.reminders.trigger") },
            ]}
          >
            {rows.map((row) => (
              <tr key={row.id}>
                <th scope="row">
                  {row.status === "Sent" ? (
                    <a
                      href={`/api/v1/reminders/${row.id}/pdf?download=1`}
                      title={t("collections.reminders.downloadPdf", { level: row.level_name })}
                      aria-label={t("collections.reminders.downloadPdf", { level: row.level_name })}
                    >
                      {row.level_name}
                      <span className="slds-badge slds-m-left_x-small">{t("collections.reminders.pdf")}</span>
                    </a>
                  ) : (
                    row.level_name
                  )}
                </th>
                {showInvoice ? <td>{row.invoice_number}</td> : null}
                <td>{row.sent_at ? formatDateTime(row.sent_at, i18n.language) : row.status}</td>
                <td>{row.recipient}</td>
                <td className="slds-text-align_right">{formatNumber(row.days_overdue, i18n.language)}</td>
                <td className="slds-text-align_right">{money(row.interest_amount ?? "0", row.currency)}</td>
                <td className="slds-text-align_right">{money(row.fee_amount ?? "0", row.currency)}</td>
                <td className="slds-text-align_right">{money(row.total_due, row.currency)}</td>
                <td>{t(`collections.reminders.triggers.${row.trigger}`)}</td>
              </tr>
            ))}
          </Table>
        ) : (
          <p className="slds-p-horizontal_medium slds-text-color_weak">{t("collections.reminders.empty")}</p>
        )}
      </div>
    </article>
  );
}

/** The reminders sent for an invoice, with their charges (interest and fee are reminder rows, not invoice lines). */
export function InvoiceRemindersCard({ record }: RecordExtensionProps) {
  const { t } = useTranslation();
  const id = Number(record.id);
  const status = useQuery({ ...reminderStatusQuery(id), enabled: record.kind === "Invoice" && record.status !== "Draft" });
  if (record.kind !== "Invoice" || record.status === "Draft") return null;
  const badge = status.data?.paused
    ? t("collections.reminders.pausedBadge")
    : status.data?.account_no_reminders
      ? t("collections.reminders.noRemindersBadge")
      : undefined;
  return <RemindersCard filter={{ invoice_id: id }} showInvoice={false} badge={badge} />;
}

/** The reminders sent for an account's invoices. */
export function AccountRemindersCard({ record }: RecordExtensionProps) {
  const { t } = useTranslation();
  const id = Number(record.id);
  const state = useQuery(noRemindersQuery(id));
  return <RemindersCard filter={{ account_id: id }} showInvoice badge={state.data?.no_reminders ? t("collections.reminders.noRemindersBadge") : undefined} />;
}
