import { useQuery } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Checkbox, FormAlert, FormElement, ModalFooter, Select } from "../../components/form-element";
import { Modal } from "../../components/modal";
import { PageHeader } from "../../components/page-header";
import { Spinner } from "../../components/spinner";
import { RowHeader, Table } from "../../components/table";
import { useToast } from "../../components/toast";
import { ApiError, errorText } from "../../lib/api-client";
import { formatNumber } from "../../records/fields/format";
import { AdminGuard } from "../admin/admin-guard";
import { SetupNav } from "../admin/setup-nav";
import { FORM_FIELDS, LEAD_FIELD_LABELS, LEAD_SOURCES, REQUIRED_FORM_FIELDS, useSaveWebForm, webFormsQuery, type WebForm } from "./api/automation-queries";

/** Setup › Web forms: web-to-lead forms, their fields, and the HTML to embed on another site. */
export function WebFormsPage() {
  return (
    <AdminGuard>
      <WebFormsAdmin />
    </AdminGuard>
  );
}

export function WebFormsAdmin() {
  const { t, i18n } = useTranslation();
  const forms = useQuery(webFormsQuery());
  const [editing, setEditing] = useState<WebForm | "new" | null>(null);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const rows = forms.data?.results ?? [];
  const selected = rows.find((form) => form.id === selectedId) ?? rows[0];

  useEffect(() => {
    document.title = `${t("automation.webForms.title")} | ${t("work.admin.setup")}`;
  }, [t]);

  return (
    <div className="crm-page">
      <PageHeader
        icon="form"
        meta={t("work.admin.setup")}
        title={t("automation.webForms.title")}
        actions={
          <button type="button" className="slds-button slds-button_brand" onClick={() => setEditing("new")}>
            {t("automation.webForms.new")}
          </button>
        }
      />
      <SetupNav />
      <div className="slds-card">
        <div className="slds-card__header">
          <p className="slds-text-color_weak">{t("automation.webForms.intro")}</p>
        </div>
        {forms.isLoading ? <Spinner /> : null}
        <Table
          className="crm-card-table"
          label={t("automation.webForms.title")}
          columns={[
            { key: "name", label: t("automation.webForms.name") },
            { key: "source", label: t("automation.webForms.leadSource") },
            { key: "owner", label: t("automation.webForms.leadOwner") },
            { key: "submissions", label: t("automation.webForms.submissions"), align: "right" },
            { key: "active", label: t("automation.webForms.active") },
            { key: "actions", label: t("common.actions"), labelHidden: true },
          ]}
        >
          {rows.map((form) => (
            <tr key={form.id} className={`slds-hint-parent${selected?.id === form.id ? " slds-is-selected" : ""}`}>
              <RowHeader title={form.name}>
                <button type="button" className="slds-button" onClick={() => setSelectedId(form.id)}>
                  {form.name}
                </button>
              </RowHeader>
              <td data-label={t("automation.webForms.leadSource")}>{form.lead_source}</td>
              <td data-label={t("automation.webForms.leadOwner")}>{form.lead_owner_name}</td>
              <td className="slds-text-align_right">{formatNumber(form.submission_count, i18n.language)}</td>
              <td>{form.is_active ? "✓" : ""}</td>
              <td className="slds-text-align_right">
                <button type="button" className="slds-button slds-button_neutral" onClick={() => setEditing(form)}>
                  {t("common.edit")}
                </button>
              </td>
            </tr>
          ))}
        </Table>
        {!forms.isLoading && rows.length === 0 ? <p className="slds-p-around_medium slds-text-color_weak">{t("automation.webForms.empty")}</p> : null}
      </div>
      {selected ? <SnippetCard form={selected} /> : null}
      {editing ? <WebFormModal form={editing === "new" ? null : editing} onClose={() => setEditing(null)} /> : null}
    </div>
  );
}

function SnippetCard({ form }: { form: WebForm }) {
  const { t } = useTranslation();
  const toast = useToast();
  const copy = async () => {
    await navigator.clipboard?.writeText(form.snippet);
    toast.show({ variant: "success", message: t("automation.webForms.copied") });
  };
  return (
    <section className="slds-card slds-m-top_medium" aria-label={t("automation.webForms.snippet")}>
      <div className="slds-card__header slds-grid slds-grid_vertical-align-center">
        <h2 className="slds-card__header-title slds-col">
          {t("automation.webForms.snippet")}: {form.name}
        </h2>
        <button type="button" className="slds-button slds-button_neutral" onClick={() => void copy()}>
          {t("automation.webForms.copy")}
        </button>
      </div>
      <div className="slds-card__body slds-card__body_inner">
        <p className="slds-text-color_weak slds-m-bottom_x-small">
          {t("automation.webForms.snippetHelp")} {t("automation.webForms.publicUrl")} <code>{form.public_url}</code>
        </p>
        <textarea className="slds-textarea crm-code" readOnly rows={12} value={form.snippet} aria-label={t("automation.webForms.snippet")} />
      </div>
    </section>
  );
}

type FieldRow = { field: string; label: string; include: boolean; required: boolean };

function initialRows(form: WebForm | null): FieldRow[] {
  return FORM_FIELDS.map((name) => {
    const existing = form?.fields.find((item) => item.field === name);
    const mandatory = REQUIRED_FORM_FIELDS.includes(name);
    const include = existing !== undefined || (!form && (mandatory || name === "first_name" || name === "email"));
    return { field: name, label: existing?.label ?? "", include, required: mandatory || (existing?.required ?? name === "email") };
  });
}

function WebFormModal({ form, onClose }: { form: WebForm | null; onClose: () => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const save = useSaveWebForm();
  const [name, setName] = useState(form?.name ?? "");
  const [source, setSource] = useState<string>(form?.lead_source ?? "Web");
  const [thankYou, setThankYou] = useState(form?.thank_you_url ?? "");
  const [active, setActive] = useState(form?.is_active ?? true);
  const [rows, setRows] = useState<FieldRow[]>(() => initialRows(form));
  const [error, setError] = useState<ApiError | null>(null);
  const fieldLabel = (name: string) => t(`fields.lead.${name}`, { ns: "meta", defaultValue: LEAD_FIELD_LABELS[name] ?? name });

  const update = (index: number, changes: Partial<FieldRow>) => setRows(rows.map((row, i) => (i === index ? { ...row, ...changes } : row)));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const fields = rows
      .filter((row) => row.include)
      .map((row) => ({ field: row.field as WebForm["fields"][number]["field"], label: row.label || fieldLabel(row.field), required: row.required }));
    try {
      const saved = await save.mutateAsync({
        id: form?.id,
        version: form?.version,
        name,
        lead_source: source as WebForm["lead_source"],
        thank_you_url: thankYou,
        is_active: active,
        fields,
      });
      toast.show({ variant: "success", message: t("automation.webForms.saved", { name: saved.name }) });
      onClose();
    } catch (caught) {
      setError(caught instanceof ApiError ? caught : null);
      if (!(caught instanceof ApiError)) toast.show({ variant: "error", message: errorText(caught, t("errors.generic")) });
    }
  };
  const errors = error?.fieldErrors ?? {};
  const fieldErrors = Object.entries(errors)
    .filter(([key]) => key.startsWith("fields"))
    .flatMap(([, messages]) => messages);
  return (
    <Modal
      title={form ? t("automation.webForms.edit") : t("automation.webForms.new")}
      onClose={onClose}
      size="medium"
      footer={<ModalFooter onCancel={onClose} form="web-form-editor" busy={save.isPending} />}
    >
      <form id="web-form-editor" className="slds-form slds-form_stacked" onSubmit={(event) => void submit(event)} noValidate>
        {error && !Object.keys(errors).length ? <FormAlert>{error.message}</FormAlert> : null}
        <FormElement id="wf-name" label={t("automation.webForms.name")} required errors={errors.name}>
          {(control) => <input {...control.aria} className="slds-input" value={name} onChange={(event) => setName(event.target.value)} />}
        </FormElement>
        <FormElement id="wf-source" label={t("automation.webForms.leadSource")} errors={errors.lead_source}>
          {(control) => <Select id={control.id} value={source} onChange={setSource} options={LEAD_SOURCES.map((value) => ({ value, label: value }))} />}
        </FormElement>
        <FormElement id="wf-thanks" label={t("automation.webForms.thankYouUrl")} help={t("automation.webForms.thankYouHelp")} errors={errors.thank_you_url}>
          {(control) => <input {...control.aria} type="url" className="slds-input" value={thankYou} onChange={(event) => setThankYou(event.target.value)} />}
        </FormElement>
        <Checkbox id="wf-active" label={t("automation.webForms.active")} checked={active} onChange={setActive} />
        <fieldset className="slds-form-element slds-m-top_small">
          <legend className="slds-form-element__legend slds-form-element__label">{t("automation.webForms.fields")}</legend>
          {fieldErrors.length ? <FormAlert>{fieldErrors.join(" ")}</FormAlert> : null}
          <table className="slds-table slds-table_cell-buffer slds-table_bordered" aria-label={t("automation.webForms.fields")}>
            <thead>
              <tr className="slds-line-height_reset">
                <th scope="col">{t("automation.webForms.field")}</th>
                <th scope="col">{t("automation.webForms.include")}</th>
                <th scope="col">{t("automation.webForms.required")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row, index) => {
                const mandatory = REQUIRED_FORM_FIELDS.includes(row.field);
                return (
                  <tr key={row.field}>
                    <th scope="row">{fieldLabel(row.field)}</th>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`${t("automation.webForms.include")}: ${fieldLabel(row.field)}`}
                        checked={row.include || mandatory}
                        disabled={mandatory}
                        onChange={(event) => update(index, { include: event.target.checked })}
                      />
                    </td>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`${t("automation.webForms.required")}: ${fieldLabel(row.field)}`}
                        checked={row.required || mandatory}
                        disabled={mandatory || !row.include}
                        onChange={(event) => update(index, { required: event.target.checked })}
                      />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </fieldset>
      </form>
    </Modal>
  );
}
