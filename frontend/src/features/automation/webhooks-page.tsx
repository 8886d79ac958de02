import { useQuery } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Checkbox, FormAlert, FormElement, ModalFooter } from "../../components/form-element";
import { Modal } from "../../components/modal";
import { PageHeader } from "../../components/page-header";
import { Spinner } from "../../components/spinner";
import { RowHeader, Table } from "../../components/table";
import { useToast } from "../../components/toast";
import { ApiError, errorText } from "../../lib/api-client";
import { formatDateTime, formatNumber } from "../../records/fields/format";
import { AdminGuard } from "../admin/admin-guard";
import { SetupNav } from "../admin/setup-nav";
import { deliveriesQuery, EVENT_TYPES, useSaveWebhook, webhooksQuery, type Webhook } from "./api/automation-queries";

const BADGE: Record<string, string> = {
  pending: "slds-badge_lightest",
  retrying: "slds-theme_warning",
  succeeded: "slds-theme_success",
  failed: "slds-theme_error",
};

/** Setup › Webhooks: outbound webhooks, their state, and each one's delivery log. */
export function WebhooksPage() {
  return (
    <AdminGuard>
      <WebhooksAdmin />
    </AdminGuard>
  );
}

export function WebhooksAdmin() {
  const { t, i18n } = useTranslation();
  const hooks = useQuery(webhooksQuery());
  const [editing, setEditing] = useState<Webhook | "new" | null>(null);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const rows = hooks.data?.results ?? [];
  const selected = rows.find((hook) => hook.id === selectedId) ?? rows[0];

  useEffect(() => {
    document.title = `${t("automation.webhooks.title")} | ${t("work.admin.setup")}`;
  }, [t]);

  return (
    <div className="crm-page">
      <PageHeader
        icon="outbound_call"
        meta={t("work.admin.setup")}
        title={t("automation.webhooks.title")}
        actions={
          <button type="button" className="slds-button slds-button_brand" onClick={() => setEditing("new")}>
            {t("automation.webhooks.new")}
          </button>
        }
      />
      <SetupNav />
      <div className="slds-card">
        <div className="slds-card__header">
          <p className="slds-text-color_weak">{t("automation.webhooks.intro")}</p>
        </div>
        {hooks.isLoading ? <Spinner /> : null}
        <Table
          className="crm-card-table"
          label={t("automation.webhooks.title")}
          columns={[
            { key: "name", label: t("automation.webhooks.name") },
            { key: "url", label: t("automation.webhooks.url") },
            { key: "events", label: t("automation.webhooks.events") },
            { key: "status", label: t("automation.webhooks.status") },
            { key: "failures", label: t("automation.webhooks.failures"), align: "right" },
            { key: "actions", label: t("common.actions"), labelHidden: true },
          ]}
        >
          {rows.map((hook) => (
            <tr key={hook.id} className="slds-hint-parent">
              <RowHeader title={hook.name}>
                <button type="button" className="slds-button" onClick={() => setSelectedId(hook.id)}>
                  {hook.name}
                </button>
              </RowHeader>
              <td data-label={t("automation.webhooks.url")}>
                <code>{hook.url}</code>
              </td>
              <td data-label={t("automation.webhooks.events")}>
                {hook.event_types.map((type) => t(`automation.webhooks.eventTypes.${type.replace(".", "_")}`)).join(", ")}
              </td>
              <td data-label={t("automation.webhooks.status")}>
                <span className={`slds-badge ${hook.is_active ? "slds-theme_success" : "slds-theme_error"}`} title={hook.disabled_reason || undefined}>
                  {hook.is_active ? t("automation.webhooks.enabled") : t("automation.webhooks.disabled")}
                </span>
              </td>
              <td className="slds-text-align_right">{formatNumber(hook.consecutive_failures, i18n.language)}</td>
              <td className="slds-text-align_right">
                <button type="button" className="slds-button slds-button_neutral" onClick={() => setEditing(hook)}>
                  {t("common.edit")}
                </button>
              </td>
            </tr>
          ))}
        </Table>
        {!hooks.isLoading && rows.length === 0 ? <p className="slds-p-around_medium slds-text-color_weak">{t("automation.webhooks.empty")}</p> : null}
      </div>
      {selected ? <DeliveryLog hook={selected} /> : null}
      {editing ? <WebhookModal hook={editing === "new" ? null : editing} onClose={() => setEditing(null)} /> : null}
    </div>
  );
}

function DeliveryLog({ hook }: { hook: Webhook }) {
  const { t, i18n } = useTranslation();
  const deliveries = useQuery(deliveriesQuery(hook.id));
  const rows = deliveries.data?.results ?? [];
  return (
    <section className="slds-card slds-m-top_medium" aria-label={t("automation.webhooks.deliveriesOf", { name: hook.name })}>
      <div className="slds-card__header">
        <h2 className="slds-card__header-title">{t("automation.webhooks.deliveriesOf", { name: hook.name })}</h2>
        <p className="slds-text-color_weak slds-m-top_xx-small">
          {t("automation.webhooks.secret")}: <code>{hook.secret}</code>
        </p>
        {hook.disabled_reason ? <p className="slds-text-color_error slds-m-top_xx-small">{hook.disabled_reason}</p> : null}
      </div>
      <Table
        className="crm-card-table"
        label={t("automation.webhooks.deliveries")}
        columns={[
          { key: "event", label: t("automation.webhooks.event") },
          { key: "status", label: t("automation.webhooks.status") },
          { key: "attempts", label: t("automation.webhooks.attempts"), align: "right" },
          { key: "response", label: t("automation.webhooks.response") },
          { key: "created", label: t("automation.webhooks.created") },
          { key: "next", label: t("automation.webhooks.nextAttempt") },
        ]}
      >
        {rows.map((row) => (
          <tr key={row.id}>
            <RowHeader title={t(`automation.webhooks.eventTypes.${row.event_type.replace(".", "_")}`, { defaultValue: row.event_type })} />
            <td>
              <span className={`slds-badge ${BADGE[row.status] ?? ""}`}>{t(`automation.webhooks.states.${row.status}`)}</span>
            </td>
            <td className="slds-text-align_right">{formatNumber(row.attempts, i18n.language)}</td>
            <td className={row.last_error ? "slds-text-color_error" : undefined}>
              {row.last_error || (row.last_status_code ? `HTTP ${row.last_status_code}` : "")}
            </td>
            <td>{formatDateTime(row.created_at, i18n.language)}</td>
            <td>{row.next_attempt_at && row.status === "retrying" ? formatDateTime(row.next_attempt_at, i18n.language) : null}</td>
          </tr>
        ))}
      </Table>
      {!deliveries.isLoading && rows.length === 0 ? <p className="slds-p-around_medium slds-text-color_weak">{t("automation.webhooks.noDeliveries")}</p> : null}
    </section>
  );
}

function WebhookModal({ hook, onClose }: { hook: Webhook | null; onClose: () => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const save = useSaveWebhook();
  const [name, setName] = useState(hook?.name ?? "");
  const [url, setUrl] = useState(hook?.url ?? "https://");
  const [events, setEvents] = useState<string[]>(hook?.event_types ?? ["record.created"]);
  const [objects, setObjects] = useState((hook?.object_names ?? []).join(", "));
  const [active, setActive] = useState(hook?.is_active ?? true);
  const [error, setError] = useState<ApiError | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const saved = await save.mutateAsync({
        id: hook?.id,
        version: hook?.version,
        name,
        url,
        event_types: events as Webhook["event_types"],
        object_names: objects
          .split(",")
          .map((item) => item.trim())
          .filter(Boolean),
        is_active: active,
      });
      toast.show({ variant: "success", message: t("automation.webhooks.saved", { name: saved.name }) });
      onClose();
    } catch (caught) {
      setError(caught instanceof ApiError ? caught : null);
      if (!(caught instanceof ApiError)) toast.show({ variant: "error", message: errorText(caught, t("errors.generic")) });
    }
  };
  const errors = error?.fieldErrors ?? {};
  const eventErrors = Object.entries(errors)
    .filter(([key]) => key.startsWith("event_types"))
    .flatMap(([, messages]) => messages);
  return (
    <Modal
      title={hook ? t("automation.webhooks.edit") : t("automation.webhooks.new")}
      onClose={onClose}
      footer={<ModalFooter onCancel={onClose} form="webhook-editor" busy={save.isPending} />}
    >
      <form id="webhook-editor" className="slds-form slds-form_stacked" onSubmit={(event) => void submit(event)} noValidate>
        {error && !Object.keys(errors).length ? <FormAlert>{error.message}</FormAlert> : null}
        <FormElement id="wh-name" label={t("automation.webhooks.name")} required errors={errors.name}>
          {(control) => <input {...control.aria} className="slds-input" value={name} onChange={(event) => setName(event.target.value)} />}
        </FormElement>
        <FormElement id="wh-url" label={t("automation.webhooks.url")} required errors={errors.url}>
          {(control) => <input {...control.aria} type="url" className="slds-input" value={url} onChange={(event) => setUrl(event.target.value)} />}
        </FormElement>
        <fieldset className="slds-form-element">
          <legend className="slds-form-element__legend slds-form-element__label">{t("automation.webhooks.events")}</legend>
          {EVENT_TYPES.map((type) => (
            <Checkbox
              key={type}
              id={`wh-event-${type}`}
              label={t(`automation.webhooks.eventTypes.${type.replace(".", "_")}`)}
              checked={events.includes(type)}
              onChange={(checked) => setEvents(checked ? [...events, type] : events.filter((item) => item !== type))}
            />
          ))}
          {eventErrors.length ? <div className="slds-form-element__help slds-text-color_error">{eventErrors.join(" ")}</div> : null}
        </fieldset>
        <FormElement id="wh-objects" label={t("automation.webhooks.objects")} help={t("automation.webhooks.objectsHelp")} errors={errors.object_names}>
          {(control) => <input {...control.aria} className="slds-input" value={objects} onChange={(event) => setObjects(event.target.value)} />}
        </FormElement>
        <Checkbox id="wh-active" label={t("automation.webhooks.enabled")} checked={active} onChange={setActive} />
      </form>
    </Modal>
  );
}
