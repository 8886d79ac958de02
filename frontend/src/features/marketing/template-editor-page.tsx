import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Card, CardEmpty } from "../../components/card";
import { CodeEditor } from "../../components/code-editor";
import { FormAlert, FormElement } from "../../components/form-element";
import { PageHeader } from "../../components/page-header";
import { Spinner } from "../../components/spinner";
import { useToast } from "../../components/toast";
import { NotFoundPage } from "../../app/routes/not-found-page";
import { ApiError, api } from "../../lib/api-client";
import { useDebouncedValue } from "../../lib/use-debounced-value";
import { useFieldErrors } from "../../lib/use-field-errors";
import { useSession } from "../../lib/session";
import { recordKeys } from "../../records/api/record-queries";
import type { SearchSelection } from "../../records/api/lookup-queries";
import { formatDateTime } from "../../records/fields/format";
import { RecordSearchLookup } from "../../records/fields/record-search-lookup";
import { findField, useMetaLabels } from "../../records/metadata/use-object-meta";
import type { RecordPageProps } from "../../records/record-page/record-extensions";
import { marketingKeys, templateQuery, versionsQuery, type EmailTemplate, type Rendered } from "./api/marketing-queries";
import "./marketing.css";

type Draft = { name: string; subject: string; body_format: "html" | "mjml"; body: string; text_body: string };
const FIELDS = ["name", "subject", "body_format", "body", "text_body"] as const;

function draftOf(template: EmailTemplate): Draft {
  return {
    name: template.name,
    subject: template.subject,
    body_format: template.body_format ?? "html",
    body: template.body,
    text_body: template.text_body ?? "",
  };
}

/** The merge tags a template may use, each with a fallback for a missing value. */
export const MERGE_TAGS = [
  '{{ contact.first_name | default("there") }}',
  "{{ contact.last_name }}",
  "{{ contact.name }}",
  "{{ contact.email }}",
  "{{ contact.title }}",
  '{{ contact.account.name | default("your team") }}',
  "{{ lead.company }}",
  "{{ organization.name }}",
  "{{ unsubscribe_url }}",
];

/** An email template's page: the content with a code editor, a live preview with a real contact or lead, and its versions. */
export function TemplateEditorPage({ meta, id }: RecordPageProps) {
  const { t, i18n } = useTranslation();
  const labels = useMetaLabels();
  const toast = useToast();
  const queryClient = useQueryClient();
  const { data: user } = useSession();
  const template = useQuery(templateQuery(id));
  const versions = useQuery({ ...versionsQuery(id), enabled: template.isSuccess });
  const [draft, setDraft] = useState<Draft | null>(null);
  const [person, setPerson] = useState<SearchSelection | null>(null);
  const [saving, setSaving] = useState(false);
  const { errors, formError, showError, clear } = useFieldErrors({ fields: FIELDS });
  const canWrite = !meta.admin_only_write || Boolean(user?.is_admin);

  const loaded = template.data;
  useEffect(() => {
    if (loaded) setDraft(draftOf(loaded));
  }, [loaded?.id, loaded?.version]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    if (loaded) document.title = `${loaded.name} | ${labels.objectLabel(meta)}`;
  }, [loaded, labels, meta]);

  // The preview renders what is typed (debounced), with the chosen person's data.
  const previewInput = useDebouncedValue(draft ? { draft, person } : null, 400);
  const preview = useQuery({
    queryKey: ["email_template", String(id), "preview", previewInput],
    queryFn: () =>
      api.post<Rendered>(`email-templates/${id}/preview`, {
        subject: previewInput!.draft.subject,
        body: previewInput!.draft.body,
        body_format: previewInput!.draft.body_format,
        text_body: previewInput!.draft.text_body,
        ...(previewInput!.person ? { [`${previewInput!.person.object}_id`]: previewInput!.person.id } : {}),
      }),
    enabled: Boolean(previewInput?.draft.body),
    retry: false,
    placeholderData: (previous) => previous,
  });
  const previewProblem = preview.error instanceof ApiError ? previewErrorText(preview.error) : preview.error ? t("errors.generic") : "";

  if (template.isLoading) return <Spinner />;
  if (template.error instanceof ApiError && template.error.status === 404) return <NotFoundPage message={t("record.notFound")} />;
  if (!loaded || !draft) {
    return (
      <div className="slds-p-around_medium slds-text-color_error" role="alert">
        {t("errors.loadFailed")}
      </div>
    );
  }
  const dirty = FIELDS.some((name) => draft[name] !== draftOf(loaded)[name]);
  const set = (name: keyof Draft, value: string) => {
    setDraft((current) => current && { ...current, [name]: value });
    clear(name);
  };

  async function save() {
    if (!draft || !loaded) return;
    setSaving(true);
    try {
      const saved = await api.patch<EmailTemplate>(`email-templates/${id}`, { ...draft, version: loaded.version });
      queryClient.setQueryData(marketingKeys.template(id), saved);
      void queryClient.invalidateQueries({ queryKey: marketingKeys.versions(id) });
      void queryClient.invalidateQueries({ queryKey: [...recordKeys.all(meta.name), "list"] });
      clear();
      toast.show({ variant: "success", message: t("record.saved", { label: labels.objectLabel(meta), name: saved.name }) });
    } catch (error) {
      showError(error);
      if (error instanceof ApiError && error.isConflict) void queryClient.invalidateQueries({ queryKey: marketingKeys.template(id), exact: true });
    } finally {
      setSaving(false);
    }
  }

  async function restore(version: number) {
    if (!loaded) return;
    try {
      const saved = await api.post<EmailTemplate>(`email-templates/${id}/revert`, { to_version: version, version: loaded.version });
      queryClient.setQueryData(marketingKeys.template(id), saved);
      void queryClient.invalidateQueries({ queryKey: marketingKeys.versions(id) });
      toast.show({ variant: "success", message: t("marketing.templates.restored", { version }) });
    } catch (error) {
      showError(error);
    }
  }

  return (
    <div className="crm-page">
      <PageHeader
        variant="record-home"
        icon={meta.icon}
        meta={labels.objectLabel(meta)}
        title={loaded.name}
        metaText={t("marketing.templates.versionLine", { version: loaded.version, date: formatDateTime(loaded.updated_at, i18n.language) })}
        actions={
          canWrite ? (
            <div className="slds-button-group" role="group">
              <button type="button" className="slds-button slds-button_neutral" disabled={!dirty || saving} onClick={() => setDraft(draftOf(loaded))}>
                {t("common.cancel")}
              </button>
              <button type="button" className="slds-button slds-button_brand" disabled={saving || !dirty} onClick={() => void save()}>
                {saving ? t("common.saving") : t("common.save")}
              </button>
            </div>
          ) : null
        }
      />
      <div className="slds-grid slds-wrap slds-gutters_direct-small crm-record-body">
        <div className="slds-col slds-size_1-of-1 slds-large-size_1-of-2">
          <Card title={t("marketing.templates.content")} inner>
            {formError ? <FormAlert>{formError}</FormAlert> : null}
            <div className="slds-form" role="group" aria-label={t("marketing.templates.content")}>
              <FormElement
                id="template-name"
                label={labels.fieldLabel(meta, findField(meta, "name"))}
                required
                errors={errors.name}
                className="slds-m-bottom_small"
              >
                {(control) => (
                  <input
                    className="slds-input"
                    {...control.aria}
                    value={draft.name}
                    disabled={!canWrite}
                    onChange={(event) => set("name", event.target.value)}
                  />
                )}
              </FormElement>
              <FormElement id="template-subject" label={t("marketing.templates.subject")} required errors={errors.subject} className="slds-m-bottom_small">
                {(control) => (
                  <input
                    className="slds-input"
                    {...control.aria}
                    value={draft.subject}
                    disabled={!canWrite}
                    onChange={(event) => set("subject", event.target.value)}
                  />
                )}
              </FormElement>
              <fieldset className="slds-form-element slds-m-bottom_small">
                <legend className="slds-form-element__legend slds-form-element__label">{t("marketing.templates.bodyFormat")}</legend>
                <div className="slds-form-element__control">
                  <div className="slds-radio_button-group">
                    {(["html", "mjml"] as const).map((format) => (
                      <span key={format} className="slds-button slds-radio_button">
                        <input
                          type="radio"
                          name="template-format"
                          id={`template-format-${format}`}
                          value={format}
                          checked={draft.body_format === format}
                          disabled={!canWrite}
                          onChange={() => set("body_format", format)}
                        />
                        <label className="slds-radio_button__label" htmlFor={`template-format-${format}`}>
                          <span className="slds-radio_faux">{t(`marketing.templates.formats.${format}`)}</span>
                        </label>
                      </span>
                    ))}
                  </div>
                </div>
              </fieldset>
              <FormElement
                id="template-body"
                label={t("marketing.templates.body")}
                required
                errors={errors.body}
                help={draft.body_format === "mjml" ? t("marketing.templates.mjmlHelp") : t("marketing.templates.htmlHelp")}
                className="slds-m-bottom_small"
              >
                {(control) => (
                  <CodeEditor
                    id={control.id}
                    invalid={control.invalid}
                    describedBy={control.describedBy}
                    language="html"
                    wrap
                    className="crm-email-body-editor"
                    label={t("marketing.templates.body")}
                    value={draft.body}
                    onChange={(value) => set("body", value)}
                  />
                )}
              </FormElement>
              <FormElement id="template-text" label={t("marketing.templates.textBody")} errors={errors.text_body} help={t("marketing.templates.textHelp")}>
                {(control) => (
                  <textarea
                    className="slds-textarea crm-template-text"
                    rows={5}
                    {...control.aria}
                    value={draft.text_body}
                    disabled={!canWrite}
                    onChange={(event) => set("text_body", event.target.value)}
                  />
                )}
              </FormElement>
            </div>
          </Card>
          <MergeTagHelp />
        </div>
        <div className="slds-col slds-size_1-of-1 slds-large-size_1-of-2">
          <Card title={t("marketing.templates.preview")} className="crm-template-preview-card">
            <div className="slds-p-horizontal_medium slds-p-bottom_small">
              <FormElement id="template-preview-person" label={t("marketing.templates.previewWith")} help={t("marketing.templates.previewWithHelp")}>
                {(control) => (
                  <RecordSearchLookup
                    id={control.id}
                    objects={["contact", "lead"]}
                    value={person}
                    onChange={setPerson}
                    placeholder={t("marketing.templates.searchPeople")}
                  />
                )}
              </FormElement>
              {previewProblem ? (
                <div className="slds-notify slds-notify_alert slds-alert_error slds-m-top_small" role="alert">
                  {previewProblem}
                </div>
              ) : null}
              <dl className="slds-m-top_small crm-preview-subject">
                <dt className="slds-text-title">{t("marketing.templates.subject")}</dt>
                <dd data-testid="preview-subject">{preview.data?.subject ?? ""}</dd>
              </dl>
            </div>
            <iframe className="crm-email-preview" title={t("marketing.templates.previewFrame")} sandbox="" srcDoc={preview.data?.html ?? ""} />
            <details className="slds-p-around_medium">
              <summary>{t("marketing.templates.previewText")}</summary>
              <pre className="crm-preview-text">{preview.data?.text ?? ""}</pre>
            </details>
          </Card>
          <Card title={t("marketing.templates.versions")} icon="record_update">
            {versions.data?.length ? (
              <ul className="slds-has-dividers_bottom-space">
                {versions.data.map((version) => (
                  <li key={version.id} className="slds-item slds-grid slds-grid_align-spread slds-grid_vertical-align-center">
                    <span>
                      <strong>{t("marketing.templates.versionN", { version: version.version })}</strong>
                      <span className="slds-text-color_weak"> · {formatDateTime(version.created_at, i18n.language)} · </span>
                      <span className="slds-truncate" title={version.subject}>
                        {version.subject}
                      </span>
                    </span>
                    {canWrite ? (
                      <button type="button" className="slds-button slds-button_neutral slds-button_small" onClick={() => void restore(version.version)}>
                        {t("marketing.templates.restore")}
                        <span className="slds-assistive-text"> {t("marketing.templates.versionN", { version: version.version })}</span>
                      </button>
                    ) : null}
                  </li>
                ))}
              </ul>
            ) : (
              <CardEmpty>{versions.isLoading ? t("common.loading") : t("marketing.templates.noVersions")}</CardEmpty>
            )}
          </Card>
        </div>
      </div>
    </div>
  );
}

function previewErrorText(error: ApiError): string {
  const details = Object.entries(error.fieldErrors).map(([, messages]) => messages.join(" "));
  return details.length ? details.join(" ") : error.message;
}

/** The merge tags, with a fallback for a missing value, and how to write one. */
function MergeTagHelp() {
  const { t } = useTranslation();
  return (
    <Card title={t("marketing.templates.mergeTags")} icon="merge" inner>
      <p className="slds-m-bottom_x-small">{t("marketing.templates.mergeTagsHelp")}</p>
      <ul className="crm-merge-tags">
        {MERGE_TAGS.map((tag) => (
          <li key={tag}>
            <code>{tag}</code>
          </li>
        ))}
      </ul>
      <p className="slds-text-color_weak slds-m-top_x-small">{t("marketing.templates.fallbackHelp")}</p>
    </Card>
  );
}
