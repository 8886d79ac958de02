import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Checkbox, FormAlert, FormElement } from "../../components/form-element";
import { Modal } from "../../components/modal";
import { PageHeader } from "../../components/page-header";
import { Spinner } from "../../components/spinner";
import { RowHeader, Table } from "../../components/table";
import { useToast } from "../../components/toast";
import { ApiError, api, errorText } from "../../lib/api-client";
import { formatCurrency, formatNumber } from "../../records/fields/format";
import { AdminGuard } from "../admin/admin-guard";
import { SetupNav } from "../admin/setup-nav";
import { levelsQuery, settingsQuery, useCollectionsMutation, type ReminderLevel } from "./api/collection-queries";

const VARIABLES = ["account.name", "invoice.number", "invoice.due_date", "invoice.balance_due", "reminder.days_overdue", "reminder.total_due", "org.name"];

type Draft = Pick<ReminderLevel, "name" | "subject" | "body" | "charge_interest" | "is_active"> & { days_after_due: string; fixed_fee: string };

const EMPTY: Draft = { name: "", days_after_due: "", subject: "", body: "", charge_interest: false, fixed_fee: "0.00", is_active: true };

/** Setup › Reminder levels: the dunning steps with their mail, plus the late interest rate and matching threshold. */
export function ReminderLevelsPage() {
  return (
    <AdminGuard>
      <ReminderLevelsAdmin />
    </AdminGuard>
  );
}

function LevelModal({ level, onClose }: { level: ReminderLevel | null; onClose: () => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const [draft, setDraft] = useState<Draft>(
    level ? { ...level, days_after_due: String(level.days_after_due), fixed_fee: String(level.fixed_fee ?? "0.00") } : EMPTY,
  );
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const save = useCollectionsMutation((body: Record<string, unknown>) =>
    level ? api.patch<ReminderLevel>(`reminder-levels/${level.id}`, { ...body, version: level.version }) : api.post<ReminderLevel>("reminder-levels", body),
  );
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft({ ...draft, [key]: value });
  const submit = async () => {
    try {
      const saved = await save.mutateAsync({ ...draft, days_after_due: Number(draft.days_after_due) });
      toast.show({ variant: "success", message: t("collections.levels.saved", { name: saved.name }) });
      onClose();
    } catch (error) {
      if (error instanceof ApiError && Object.keys(error.fieldErrors).length) setErrors(error.fieldErrors as Record<string, string[]>);
      else toast.show({ variant: "error", message: errorText(error, t("errors.generic")) });
    }
  };
  return (
    <Modal
      title={level ? t("collections.levels.editLevel", { name: level.name }) : t("collections.levels.add")}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="slds-button slds-button_neutral" onClick={onClose}>
            {t("common.cancel")}
          </button>
          <button type="button" className="slds-button slds-button_brand" disabled={save.isPending} onClick={() => void submit()}>
            {t("common.save")}
          </button>
        </>
      }
    >
      <div className="slds-form slds-grid slds-wrap slds-gutters_x-small">
        <FormElement id="level-name" label={t("collections.levels.name")} required errors={errors.name} className="slds-col slds-size_1-of-2">
          {(control) => <input {...control.aria} className="slds-input" value={draft.name} onChange={(event) => set("name", event.target.value)} />}
        </FormElement>
        <FormElement id="level-days" label={t("collections.levels.days")} required errors={errors.days_after_due} className="slds-col slds-size_1-of-2">
          {(control) => (
            <input
              {...control.aria}
              type="number"
              min={0}
              max={365}
              className="slds-input"
              value={draft.days_after_due}
              onChange={(event) => set("days_after_due", event.target.value)}
            />
          )}
        </FormElement>
        <FormElement id="level-subject" label={t("collections.levels.subject")} required errors={errors.subject} className="slds-col slds-size_1-of-1">
          {(control) => <input {...control.aria} className="slds-input" value={draft.subject} onChange={(event) => set("subject", event.target.value)} />}
        </FormElement>
        <FormElement
          id="level-body"
          label={t("collections.levels.body")}
          required
          errors={errors.body}
          className="slds-col slds-size_1-of-1"
          help={`${t("collections.levels.bodyHelp")} ${VARIABLES.map((name) => `{{ ${name} }}`).join(", ")}`}
        >
          {(control) => (
            <textarea
              {...control.aria}
              className="slds-textarea crm-reminder-body"
              rows={8}
              value={draft.body}
              onChange={(event) => set("body", event.target.value)}
            />
          )}
        </FormElement>
        <FormElement id="level-fee" label={t("collections.levels.fee")} errors={errors.fixed_fee} className="slds-col slds-size_1-of-2">
          {(control) => (
            <input
              {...control.aria}
              type="number"
              min={0}
              step="0.01"
              className="slds-input"
              value={draft.fixed_fee}
              onChange={(event) => set("fixed_fee", event.target.value)}
            />
          )}
        </FormElement>
        <div className="slds-col slds-size_1-of-2 slds-p-top_large">
          <Checkbox
            id="level-interest"
            label={t("collections.levels.interest")}
            checked={draft.charge_interest ?? false}
            onChange={(value) => set("charge_interest", value)}
          />
          <Checkbox id="level-active" label={t("collections.levels.active")} checked={draft.is_active ?? true} onChange={(value) => set("is_active", value)} />
        </div>
      </div>
    </Modal>
  );
}

function SettingsCard() {
  const { t } = useTranslation();
  const toast = useToast();
  const settings = useQuery(settingsQuery());
  const [rate, setRate] = useState<string | null>(null);
  const [threshold, setThreshold] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const save = useCollectionsMutation((body: Record<string, unknown>) => api.patch("collection-settings", body));
  if (!settings.data) return <Spinner />;
  const data = settings.data;
  const submit = async () => {
    try {
      await save.mutateAsync({
        reference_rate: rate ?? data.reference_rate,
        match_threshold: Number(threshold ?? data.match_threshold),
        version: data.version,
      });
      setErrors({});
      setRate(null);
      setThreshold(null);
      toast.show({ variant: "success", message: t("collections.levels.settingsSaved") });
    } catch (error) {
      if (error instanceof ApiError && Object.keys(error.fieldErrors).length) setErrors(error.fieldErrors as Record<string, string[]>);
      else toast.show({ variant: "error", message: errorText(error, t("errors.generic")) });
    }
  };
  return (
    <article className="slds-card">
      <div className="slds-card__header">
        <h2 className="slds-card__header-title">{t("collections.levels.settings")}</h2>
      </div>
      <div className="slds-card__body slds-card__body_inner slds-grid slds-wrap slds-gutters_x-small">
        <FormElement
          id="reference-rate"
          label={t("collections.levels.referenceRate")}
          errors={errors.reference_rate}
          help={t("collections.levels.referenceRateHelp", { rate: data.statutory_rate })}
          className="slds-col slds-size_1-of-2"
        >
          {(control) => (
            <input
              {...control.aria}
              type="number"
              step="0.01"
              className="slds-input"
              value={rate ?? data.reference_rate}
              onChange={(event) => setRate(event.target.value)}
            />
          )}
        </FormElement>
        <FormElement
          id="match-threshold"
          label={t("collections.levels.threshold")}
          errors={errors.match_threshold}
          help={t("collections.levels.thresholdHelp")}
          className="slds-col slds-size_1-of-2"
        >
          {(control) => (
            <input
              {...control.aria}
              type="number"
              min={1}
              max={100}
              className="slds-input"
              value={threshold ?? String(data.match_threshold)}
              onChange={(event) => setThreshold(event.target.value)}
            />
          )}
        </FormElement>
      </div>
      <footer className="slds-card__footer slds-text-align_right">
        <button type="button" className="slds-button slds-button_brand" disabled={save.isPending} onClick={() => void submit()}>
          {t("collections.levels.saveSettings")}
        </button>
      </footer>
    </article>
  );
}

export function ReminderLevelsAdmin() {
  const { t, i18n } = useTranslation();
  const levels = useQuery(levelsQuery());
  const [editing, setEditing] = useState<ReminderLevel | "new" | null>(null);

  useEffect(() => {
    document.title = `${t("collections.levels.title")} | ${t("work.admin.setup")}`;
  }, [t]);

  const rows = levels.data ?? [];
  return (
    <div className="crm-page">
      <PageHeader
        icon="email_chatter"
        meta={t("work.admin.setup")}
        title={t("collections.levels.title")}
        actions={
          <button type="button" className="slds-button slds-button_neutral" onClick={() => setEditing("new")}>
            {t("collections.levels.add")}
          </button>
        }
      />
      <SetupNav />
      <div className="slds-card slds-m-bottom_small">
        <div className="slds-card__header">
          <p className="slds-text-color_weak">{t("collections.levels.intro")}</p>
        </div>
        {levels.isLoading ? <Spinner /> : null}
        <Table
          className="crm-card-table"
          label={t("collections.levels.title")}
          columns={[
            { key: "name", label: t("collections.levels.name") },
            { key: "days", label: t("collections.levels.days"), align: "right" },
            { key: "subject", label: t("collections.levels.subject") },
            { key: "interest", label: t("collections.levels.interest") },
            { key: "fee", label: t("collections.levels.fee"), align: "right" },
            { key: "active", label: t("collections.levels.active") },
            { key: "actions", label: t("common.actions"), labelHidden: true },
          ]}
        >
          {rows.map((level) => (
            <tr key={level.id} className="slds-hint-parent">
              <RowHeader title={level.name} />
              <td className="slds-text-align_right">{formatNumber(level.days_after_due, i18n.language)}</td>
              <td>{level.subject}</td>
              <td>{level.charge_interest ? t("collections.levels.yes") : t("collections.levels.no")}</td>
              <td className="slds-text-align_right">{formatCurrency(level.fixed_fee ?? "0", i18n.language, "EUR")}</td>
              <td>
                <span className={`slds-badge ${level.is_active ? "slds-theme_success" : ""}`}>
                  {level.is_active ? t("collections.levels.active") : t("collections.levels.inactive")}
                </span>
              </td>
              <td className="slds-text-align_right">
                <button
                  type="button"
                  className="slds-button slds-button_neutral"
                  aria-label={t("collections.levels.editLevel", { name: level.name })}
                  onClick={() => setEditing(level)}
                >
                  {t("collections.levels.edit")}
                </button>
              </td>
            </tr>
          ))}
        </Table>
        {!levels.isLoading && rows.length === 0 ? <FormAlert>{t("collections.levels.empty")}</FormAlert> : null}
      </div>
      <SettingsCard />
      {editing ? <LevelModal level={editing === "new" ? null : editing} onClose={() => setEditing(null)} /> : null}
    </div>
  );
}
