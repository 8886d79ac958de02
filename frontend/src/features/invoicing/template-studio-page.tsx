import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Combobox } from "../../components/combobox";
import { PageHeader } from "../../components/page-header";
import { Spinner } from "../../components/spinner";
import { useToast } from "../../components/toast";
import { ApiError, api, errorText, readCookie } from "../../lib/api-client";
import { useDebouncedValue } from "../../lib/use-debounced-value";
import { AdminGuard } from "../admin/admin-guard";
import { SetupNav } from "../admin/setup-nav";
import { CodeEditor } from "../../components/code-editor";
import "./template-studio.css";

type Template = { id: number; doc_type: string; name: string; html: string; css: string; version: number };
type Version = { id: number; number: number; created_at: string };
/** A quote or invoice the preview renders, as the lists return it. */
type PreviewRecord = { id: number; quote_number?: string; name?: string; number?: string; kind?: string; account_name?: string; status?: string };

function previewTitle(row: PreviewRecord, draftLabel: string): string {
  if (row.quote_number !== undefined) return `${row.quote_number} ${row.name ?? ""}`.trim();
  return row.number || `${draftLabel} #${row.id}`;
}

const VARIABLES: [string, string][] = [
  ["org.legal_name, org.address, org.vat_number, org.registration_number, org.iban, org.bic, org.logo", "org"],
  ["customer.name, customer.contact, customer.address", "customer"],
  ["doc.title, doc.number, doc.facts, doc.lines, doc.vat_summary, doc.net_total, doc.tax_total, doc.gross_total", "doc"],
  ["doc.amount_paid, doc.balance_due, doc.legal_notes, doc.terms, doc.notes, doc.intro", "doc2"],
  ["line.description, line.quantity, line.unit_price, line.discount, line.vat, line.net", "line"],
  ["payment.iban, payment.bic, payment.reference, payment.qr, payment.amount", "payment"],
  ["t.<label> (words in the document's language), lang, brand.color", "t"],
];

/** Setup › Document Templates: HTML and CSS in a code editor beside a live preview of a real record. */
export function TemplateStudioPage() {
  return (
    <AdminGuard>
      <TemplateStudio />
    </AdminGuard>
  );
}

function TemplateStudio() {
  const { t } = useTranslation();
  const toast = useToast();
  const queryClient = useQueryClient();
  const templates = useQuery({ queryKey: ["document-templates"], queryFn: () => api.get<Template[]>("document-templates") });
  const [selected, setSelected] = useState<number | null>(null);
  const template = templates.data?.find((row) => row.id === selected) ?? templates.data?.find((row) => row.doc_type === "invoice") ?? templates.data?.[0];
  const [draft, setDraft] = useState<{ html: string; css: string } | null>(null);
  const [recordType, setRecordType] = useState<"invoice" | "quote">("invoice");
  const [record, setRecord] = useState<PreviewRecord | null>(null);
  const [term, setTerm] = useState("");
  const debounced = useDebouncedValue(term.trim(), 250);
  const [format, setFormat] = useState<"html" | "pdf">("html");
  const [preview, setPreview] = useState<string>("");
  const [pdfUrl, setPdfUrl] = useState<string>("");
  const [problem, setProblem] = useState<string>("");
  const [saving, setSaving] = useState(false);
  const versions = useQuery({
    queryKey: ["document-templates", template?.id, "versions", template?.version],
    queryFn: () => api.get<Version[]>(`document-templates/${template?.id}/versions`),
    enabled: Boolean(template),
  });

  useEffect(() => {
    document.title = `${t("sales.studio.title")} | ${t("work.admin.setup")}`;
  }, [t]);
  useEffect(() => {
    if (template) setDraft({ html: template.html, css: template.css });
  }, [template?.id, template?.version]); // eslint-disable-line react-hooks/exhaustive-deps
  const listPath = recordType === "invoice" ? "invoices" : "quotes";
  // The records to preview with: the newest ones, or those whose number or name matches what is typed.
  const candidates = useQuery({
    queryKey: ["document-templates", "preview-records", listPath, debounced],
    queryFn: ({ signal }) => api.get<{ results: PreviewRecord[] }>(listPath, { page_size: 8, ...(debounced ? { search: debounced } : {}) }, signal),
  });
  // The newest record is picked once per record type; after the user clears it, the choice is theirs.
  const [autoPicked, setAutoPicked] = useState<string>("");
  useEffect(() => {
    if (autoPicked === recordType || debounced) return;
    const first = candidates.data?.results[0];
    if (!first) return;
    setRecord(first);
    setAutoPicked(recordType);
  }, [candidates.data, autoPicked, recordType, debounced]);
  useEffect(() => () => (pdfUrl ? URL.revokeObjectURL(pdfUrl) : undefined), [pdfUrl]);

  async function runPreview() {
    if (!template || !draft || !record) return;
    const csrf = readCookie("csrftoken");
    const response = await fetch(`/api/v1/document-templates/${template.id}/preview`, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", ...(csrf ? { "X-CSRFToken": csrf } : {}) },
      body: JSON.stringify({ html: draft.html, css: draft.css, record: { type: recordType, id: record.id }, format }),
    });
    if (response.ok && format === "pdf") {
      setPdfUrl(URL.createObjectURL(await response.blob()));
      setProblem("");
      return;
    }
    const text = await response.text();
    if (response.ok) {
      setPreview(text);
      setProblem("");
    } else {
      try {
        setProblem((JSON.parse(text) as { message: string }).message);
      } catch {
        setProblem(t("errors.generic"));
      }
    }
  }

  useEffect(() => {
    const timer = window.setTimeout(() => void runPreview(), 500);
    return () => window.clearTimeout(timer);
  }, [draft, record?.id, recordType, format, template?.id]); // eslint-disable-line react-hooks/exhaustive-deps

  async function save() {
    if (!template || !draft) return;
    setSaving(true);
    try {
      await api.patch(`document-templates/${template.id}`, { html: draft.html, css: draft.css, version: template.version });
      await queryClient.invalidateQueries({ queryKey: ["document-templates"] });
      toast.show({ variant: "success", message: t("sales.studio.saved") });
    } catch (error) {
      const message = errorText(error, t("errors.generic"));
      setProblem(message);
      if (!(error instanceof ApiError)) toast.show({ variant: "error", message });
    } finally {
      setSaving(false);
    }
  }

  async function revert(number: number) {
    if (!template) return;
    await api.post(`document-templates/${template.id}/revert`, { number, version: template.version });
    await queryClient.invalidateQueries({ queryKey: ["document-templates"] });
    toast.show({ variant: "success", message: t("sales.studio.reverted", { number }) });
  }

  return (
    <div className="crm-page">
      <PageHeader
        icon="file"
        meta={t("work.admin.setup")}
        title={t("sales.studio.title")}
        metaText={t("sales.studio.help")}
        actions={
          <div className="slds-button-group" role="group">
            <button type="button" className="slds-button slds-button_brand" disabled={saving || !draft} onClick={() => void save()}>
              {saving ? t("common.saving") : t("common.save")}
            </button>
          </div>
        }
      />
      <SetupNav />
      {!templates.data || !template || !draft ? (
        <Spinner />
      ) : (
        <div className="slds-grid slds-gutters_small slds-wrap">
          <div className="slds-col slds-size_1-of-1 slds-large-size_1-of-2">
            <div className="slds-card slds-p-around_small">
              <div className="slds-grid slds-gutters_x-small slds-m-bottom_small">
                <div className="slds-col slds-size_1-of-3">
                  <label className="slds-form-element__label" htmlFor="studio-template">
                    {t("sales.studio.template")}
                  </label>
                  <select id="studio-template" className="slds-select" value={template.id} onChange={(event) => setSelected(Number(event.target.value))}>
                    {templates.data.map((row) => (
                      <option key={row.id} value={row.id}>
                        {t(`sales.studio.types.${row.doc_type}`)} (v{row.version})
                      </option>
                    ))}
                  </select>
                </div>
                <div className="slds-col">
                  <label className="slds-form-element__label" htmlFor="studio-record">
                    {t("sales.studio.record")}
                  </label>
                  <div className="slds-grid">
                    <select
                      id="studio-record-type"
                      className="slds-select crm-studio-record-type"
                      aria-label={t("sales.studio.recordType")}
                      value={recordType}
                      onChange={(event) => {
                        setRecordType(event.target.value as "invoice" | "quote");
                        setRecord(null);
                        setTerm("");
                      }}
                    >
                      <option value="invoice">{t("sales.studio.types.invoice")}</option>
                      <option value="quote">{t("sales.studio.types.quote")}</option>
                    </select>
                    <div className="slds-col slds-grow slds-m-left_xx-small">
                      <Combobox<PreviewRecord>
                        id="studio-record"
                        inputValue={term}
                        onInputChange={setTerm}
                        groups={[
                          {
                            key: "records",
                            items: (candidates.data?.results ?? []).map((row) => ({
                              key: String(row.id),
                              value: row,
                              icon: recordType === "invoice" ? "file" : "quotes",
                              title: previewTitle(row, t("sales.studio.draft")),
                              meta: [row.account_name, row.status].filter(Boolean).join(" • "),
                            })),
                          },
                        ]}
                        onSelect={(row) => {
                          setRecord(row);
                          setTerm("");
                        }}
                        message={candidates.data?.results.length ? null : candidates.isFetching ? t("form.lookupSearching") : t("sales.studio.noRecords")}
                        placeholder={recordType === "invoice" ? t("sales.studio.searchInvoices") : t("sales.studio.searchQuotes")}
                        listLabel={t("sales.studio.record")}
                        selection={record ? { title: previewTitle(record, t("sales.studio.draft")), icon: recordType === "invoice" ? "file" : "quotes" } : null}
                        onClear={() => {
                          setRecord(null);
                          setTerm("");
                        }}
                      />
                    </div>
                  </div>
                </div>
              </div>
              <h2 className="slds-text-title_caps slds-m-bottom_xx-small">HTML</h2>
              <CodeEditor
                language="html"
                label={t("sales.studio.html")}
                value={draft.html}
                onChange={(value) => setDraft((current) => current && { ...current, html: value })}
              />
              <h2 className="slds-text-title_caps slds-m-vertical_xx-small">CSS</h2>
              <CodeEditor
                language="css"
                label={t("sales.studio.css")}
                value={draft.css}
                onChange={(value) => setDraft((current) => current && { ...current, css: value })}
              />
              {problem ? (
                <div className="slds-notify slds-notify_alert slds-alert_error slds-m-top_small" role="alert">
                  {problem}
                </div>
              ) : null}
            </div>
          </div>
          <div className="slds-col slds-size_1-of-1 slds-large-size_1-of-2">
            <div className="slds-card slds-p-around_small">
              <div className="slds-grid slds-grid_align-spread slds-grid_vertical-align-center slds-m-bottom_x-small">
                <h2 className="slds-text-heading_small">{t("sales.studio.preview")}</h2>
                <div className="slds-button-group" role="group" aria-label={t("sales.studio.previewAs")}>
                  {(["html", "pdf"] as const).map((kind) => (
                    <button
                      key={kind}
                      type="button"
                      aria-pressed={format === kind}
                      className={`slds-button ${format === kind ? "slds-button_brand" : "slds-button_neutral"}`}
                      onClick={() => setFormat(kind)}
                    >
                      {kind === "html" ? "HTML" : "PDF"}
                    </button>
                  ))}
                </div>
              </div>
              {format === "html" ? (
                <iframe className="crm-template-preview" title={t("sales.studio.preview")} sandbox="" srcDoc={preview} />
              ) : (
                <iframe className="crm-template-preview" title={t("sales.studio.previewPdf")} src={pdfUrl || undefined} />
              )}
            </div>
            <div className="slds-card slds-p-around_small slds-m-top_small">
              <h2 className="slds-text-heading_small slds-m-bottom_x-small">{t("sales.studio.variables")}</h2>
              <ul className="slds-list_dotted">
                {VARIABLES.map(([names, key]) => (
                  <li key={key}>
                    <code>{names}</code>
                  </li>
                ))}
              </ul>
            </div>
            <div className="slds-card slds-p-around_small slds-m-top_small">
              <h2 className="slds-text-heading_small slds-m-bottom_x-small">{t("sales.studio.versions")}</h2>
              <ul>
                {(versions.data ?? []).map((version) => (
                  <li key={version.id} className="slds-grid slds-grid_align-spread slds-p-vertical_xx-small">
                    <span>
                      v{version.number} · {new Date(version.created_at).toLocaleString()}
                    </span>
                    {version.number !== template.version ? (
                      <button type="button" className="slds-button" onClick={() => void revert(version.number)}>
                        {t("sales.studio.revert")}
                      </button>
                    ) : null}
                  </li>
                ))}
              </ul>
            </div>
          </div>
        </div>
      )}
    </div>
  );
}
