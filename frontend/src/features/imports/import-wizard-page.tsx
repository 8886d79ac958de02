import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { NotFoundPage } from "../../app/routes/not-found-page";
import { FormElement, Select } from "../../components/form-element";
import { PageHeader } from "../../components/page-header";
import { Path } from "../../components/path";
import { Spinner } from "../../components/spinner";
import { Table } from "../../components/table";
import { useToast } from "../../components/toast";
import { ApiError, errorText } from "../../lib/api-client";
import { formatNumber } from "../../records/fields/format";
import { useMetaIndex, useMetaLabels } from "../../records/metadata/use-object-meta";
import type { ObjectMeta } from "../../records/metadata/types";
import {
  errorReportUrl,
  importFinished,
  importQuery,
  previewImport,
  startImport,
  useUndoImport,
  type Changeset,
  type DataImport,
  type ImportCommit,
  type ImportMode,
  type ImportPreview,
} from "./api/import-queries";

const MODES: ImportMode[] = ["create", "update", "upsert"];
const COMMITS: ImportCommit[] = ["all_or_nothing", "partial"];
const STEPS = ["upload", "mapping", "dryRun", "import"] as const;
type Step = (typeof STEPS)[number];

/** /o/:object/import: upload a CSV or XLSX file, map its columns, check it with a dry run, import, undo. */
export function ImportWizardPage() {
  const { object = "" } = useParams();
  const { data: metaIndex, isLoading } = useMetaIndex();
  const meta = metaIndex?.byName[object];
  if (isLoading) return <Spinner />;
  if (!meta || !meta.creatable) return <NotFoundPage />;
  return <ImportWizard key={meta.name} meta={meta} />;
}

function ImportWizard({ meta }: { meta: ObjectMeta }) {
  const { t } = useTranslation();
  const labels = useMetaLabels();
  const toast = useToast();
  const plural = labels.objectPlural(meta);
  const fileRef = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [mode, setMode] = useState<ImportMode>("create");
  const [commit, setCommit] = useState<ImportCommit>("all_or_nothing");
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [busy, setBusy] = useState(false);
  const [dryRunId, setDryRunId] = useState<number | null>(null);
  const [importId, setImportId] = useState<number | null>(null);

  useEffect(() => {
    document.title = `${t("imports.title", { plural })} | ${t("app.name")}`;
  }, [plural, t]);

  const step: Step = importId ? "import" : dryRunId ? "dryRun" : preview ? "mapping" : "upload";

  const fail = (error: unknown) => {
    if (error instanceof ApiError && Object.keys(error.fieldErrors).length) setErrors(error.fieldErrors as Record<string, string[]>);
    else toast.show({ variant: "error", message: errorText(error, t("errors.generic")) });
  };

  const readFile = async () => {
    const chosen = fileRef.current?.files?.[0] ?? null;
    if (!chosen) {
      setErrors({ file: [t("imports.chooseFile")] });
      return;
    }
    const form = new FormData();
    form.append("file", chosen);
    form.append("object", meta.name);
    setBusy(true);
    try {
      const answer = await previewImport(form);
      setFile(chosen);
      setPreview(answer);
      setMapping(answer.suggested_mapping);
      setErrors({});
    } catch (error) {
      fail(error);
    } finally {
      setBusy(false);
    }
  };

  const submit = async (dryRun: boolean) => {
    if (!file) return;
    const form = new FormData();
    form.append("file", file);
    form.append("object", meta.name);
    form.append("mapping", JSON.stringify(Object.fromEntries(Object.entries(mapping).filter(([, field]) => field))));
    form.append("mode", mode);
    form.append("commit", commit);
    form.append("dry_run", dryRun ? "true" : "false");
    setBusy(true);
    try {
      const started = await startImport(form);
      setErrors({});
      if (dryRun) setDryRunId(started.id);
      else setImportId(started.id);
    } catch (error) {
      fail(error);
    } finally {
      setBusy(false);
    }
  };

  const startOver = () => {
    setFile(null);
    setPreview(null);
    setDryRunId(null);
    setImportId(null);
    setErrors({});
  };

  return (
    <div className="crm-page">
      <PageHeader
        variant="object-home"
        icon={meta.icon}
        meta={plural}
        title={t("imports.title", { plural })}
        actions={
          <div className="slds-page-header__controls">
            <div className="slds-page-header__control">
              <Link className="slds-button slds-button_neutral" to={`/o/${meta.name}`}>
                {t("imports.backToList", { plural })}
              </Link>
            </div>
          </div>
        }
      />
      <StepPath current={step} />

      {step === "upload" ? (
        <article className="slds-card slds-m-top_small">
          <div className="slds-card__header">
            <h2 className="slds-card__header-title">{t("imports.upload")}</h2>
            <p className="slds-text-color_weak slds-m-top_x-small">{t("imports.uploadHelp")}</p>
          </div>
          <div className="slds-card__body slds-card__body_inner">
            <FormElement id="import-file" label={t("imports.file")} required errors={errors.file} className="slds-size_1-of-2">
              {(control) => <input {...control.aria} ref={fileRef} type="file" className="slds-input crm-file-input" accept=".csv,.txt,.xlsx" />}
            </FormElement>
          </div>
          <footer className="slds-card__footer slds-text-align_right">
            <button type="button" className="slds-button slds-button_brand" disabled={busy} onClick={() => void readFile()}>
              {t("imports.next")}
            </button>
          </footer>
        </article>
      ) : null}

      {step === "mapping" && preview ? (
        <MappingCard
          preview={preview}
          mapping={mapping}
          onMapping={setMapping}
          mode={mode}
          onMode={setMode}
          commit={commit}
          onCommit={setCommit}
          errors={errors}
          busy={busy}
          onBack={startOver}
          onDryRun={() => void submit(true)}
          onImport={() => void submit(false)}
        />
      ) : null}

      {step === "dryRun" && dryRunId ? (
        <ImportReport
          id={dryRunId}
          title={t("imports.dryRunReport")}
          actions={(record) => (
            <>
              <button type="button" className="slds-button slds-button_neutral" onClick={() => setDryRunId(null)}>
                {t("imports.backToMapping")}
              </button>
              <button type="button" className="slds-button slds-button_brand" disabled={busy || !importFinished(record)} onClick={() => void submit(false)}>
                {t("imports.importNow")}
              </button>
            </>
          )}
        />
      ) : null}

      {step === "import" && importId ? (
        <ImportReport
          id={importId}
          title={t("imports.importReport")}
          undoable
          objectName={meta.name}
          actions={() => (
            <>
              <button type="button" className="slds-button slds-button_neutral" onClick={startOver}>
                {t("imports.another")}
              </button>
              <Link className="slds-button slds-button_brand" to={`/o/${meta.name}`}>
                {t("imports.viewRecords", { plural })}
              </Link>
            </>
          )}
        />
      ) : null}
    </div>
  );
}

function StepPath({ current }: { current: Step }) {
  const { t } = useTranslation();
  return (
    <div className="slds-card slds-p-around_small slds-m-top_small">
      <Path steps={STEPS.map((name) => ({ value: name, label: t(`imports.steps.${name}`) }))} current={current} isSelectable={() => false} />
    </div>
  );
}

type MappingCardProps = {
  preview: ImportPreview;
  mapping: Record<string, string>;
  onMapping: (mapping: Record<string, string>) => void;
  mode: ImportMode;
  onMode: (mode: ImportMode) => void;
  commit: ImportCommit;
  onCommit: (commit: ImportCommit) => void;
  errors: Record<string, string[]>;
  busy: boolean;
  onBack: () => void;
  onDryRun: () => void;
  onImport: () => void;
};

function MappingCard({ preview, mapping, onMapping, mode, onMode, commit, onCommit, errors, busy, onBack, onDryRun, onImport }: MappingCardProps) {
  const { t, i18n } = useTranslation();
  const fieldOptions = preview.fields.map((field) => ({ value: field.name, label: field.required ? `${field.label} *` : field.label }));
  const keys = preview.fields.filter((field) => preview.natural_keys.includes(field.name)).map((field) => field.label);
  return (
    <article className="slds-card slds-m-top_small">
      <div className="slds-card__header">
        <h2 className="slds-card__header-title">{t("imports.mapping")}</h2>
        <p className="slds-text-color_weak slds-m-top_x-small">
          {t("imports.mappingHelp", { total: formatNumber(preview.total_rows, i18n.language) })}
          {keys.length ? ` ${t("imports.keysHelp", { keys: keys.join(", ") })}` : ""}
        </p>
      </div>
      <div className="slds-card__body slds-card__body_inner">
        <Table
          label={t("imports.mapping")}
          columns={[
            { key: "column", label: t("imports.column") },
            { key: "sample", label: t("imports.sample") },
            { key: "field", label: t("imports.field") },
          ]}
        >
          {preview.headers.map((header, position) => (
            <tr key={header}>
              <th scope="row">
                <div className="slds-truncate" title={header}>
                  {header}
                </div>
              </th>
              <td>
                <div className="slds-truncate slds-text-color_weak" title={preview.rows.map((row) => row[position]).join(", ")}>
                  {preview.rows
                    .slice(0, 3)
                    .map((row) => row[position])
                    .filter(Boolean)
                    .join(", ")}
                </div>
              </td>
              <td>
                <Select
                  aria-label={t("imports.fieldFor", { column: header })}
                  value={mapping[header] ?? ""}
                  onChange={(value) => onMapping({ ...mapping, [header]: value })}
                  placeholder={t("imports.skip")}
                  options={fieldOptions}
                />
              </td>
            </tr>
          ))}
        </Table>
        {errors.mapping ? (
          <div className="slds-text-color_error slds-m-top_small" role="alert">
            {errors.mapping.join(" ")}
          </div>
        ) : null}
        <div className="slds-grid slds-gutters_x-small slds-m-top_medium">
          <FormElement id="import-mode" label={t("imports.mode")} errors={errors.mode} className="slds-col slds-size_1-of-3">
            <Select
              id="import-mode"
              value={mode}
              onChange={(value) => onMode(value as ImportMode)}
              options={MODES.map((value) => ({ value, label: t(`imports.modes.${value}`) }))}
            />
          </FormElement>
          <FormElement id="import-commit" label={t("imports.commit")} errors={errors.commit} className="slds-col slds-size_1-of-3">
            <Select
              id="import-commit"
              value={commit}
              onChange={(value) => onCommit(value as ImportCommit)}
              options={COMMITS.map((value) => ({ value, label: t(`imports.commits.${value}`) }))}
            />
          </FormElement>
        </div>
      </div>
      <footer className="slds-card__footer slds-text-align_right">
        <button type="button" className="slds-button slds-button_neutral" onClick={onBack}>
          {t("imports.back")}
        </button>
        <button type="button" className="slds-button slds-button_neutral" disabled={busy} onClick={onDryRun}>
          {t("imports.dryRun")}
        </button>
        <button type="button" className="slds-button slds-button_brand" disabled={busy} onClick={onImport}>
          {t("imports.importNow")}
        </button>
      </footer>
    </article>
  );
}

type ImportReportProps = {
  id: number;
  title: string;
  undoable?: boolean;
  objectName?: string;
  actions: (record: DataImport | undefined) => React.ReactNode;
};

function ImportReport({ id, title, undoable, objectName = "", actions }: ImportReportProps) {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const { data: record } = useQuery(importQuery(id));
  const undo = useUndoImport(objectName);
  const [undone, setUndone] = useState<Changeset | null>(null);
  const number = (value: number) => formatNumber(value, i18n.language);
  const finished = importFinished(record);
  const percent = record && record.total_rows ? Math.min(100, Math.round((record.progress / record.total_rows) * 100)) : 0;

  const runUndo = async () => {
    try {
      const changeset = await undo.mutateAsync(id);
      setUndone(changeset);
      toast.show({ variant: "success", message: t("imports.undone") });
    } catch (error) {
      toast.show({ variant: "error", message: errorText(error, t("errors.generic")) });
    }
  };

  return (
    <article className="slds-card slds-m-top_small">
      <div className="slds-card__header">
        <h2 className="slds-card__header-title">{title}</h2>
      </div>
      <div className="slds-card__body slds-card__body_inner">
        {!record ? <Spinner size="small" /> : null}
        {record && !finished ? (
          <div>
            <p className="slds-m-bottom_x-small">{t("imports.running", { done: number(record.progress), total: number(record.total_rows) })}</p>
            <div
              className="slds-progress-bar slds-progress-bar_medium"
              role="progressbar"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={percent}
              aria-label={title}
            >
              <span className="slds-progress-bar__value" style={{ width: `${percent}%` }} />
            </div>
          </div>
        ) : null}
        {record && finished ? (
          <>
            <div
              className={`slds-scoped-notification slds-media slds-media_center ${record.status === "failed" ? "slds-theme_error" : record.error_count ? "slds-theme_warning" : "slds-theme_success"}`}
              role="status"
            >
              <div className="slds-media__body">
                <h3 className="slds-text-heading_small">{t(`imports.outcome.${record.dry_run ? "dryRun" : record.status}`)}</h3>
              </div>
            </div>
            <dl className="slds-list_horizontal slds-wrap slds-m-top_small slds-size_1-of-3">
              <dt className="slds-item_label slds-text-color_weak">{t(record.dry_run ? "imports.wouldCreate" : "imports.created")}</dt>
              <dd className="slds-item_detail" data-testid="import-created">
                {number(record.created_count)}
              </dd>
              <dt className="slds-item_label slds-text-color_weak">{t(record.dry_run ? "imports.wouldUpdate" : "imports.updated")}</dt>
              <dd className="slds-item_detail" data-testid="import-updated">
                {number(record.updated_count)}
              </dd>
              <dt className="slds-item_label slds-text-color_weak">{t("imports.errors")}</dt>
              <dd className="slds-item_detail" data-testid="import-errors">
                {number(record.error_count)}
              </dd>
            </dl>
            {record.message ? <p className="slds-m-top_small">{record.message}</p> : null}
            {record.errors.length ? (
              <div className="slds-m-top_small">
                <Table
                  label={t("imports.errors")}
                  columns={[
                    { key: "row", label: t("imports.row"), align: "right" },
                    { key: "column", label: t("imports.column") },
                    { key: "value", label: t("imports.value") },
                    { key: "message", label: t("imports.message") },
                  ]}
                >
                  {record.errors.map((error, index) => (
                    <tr key={`${error.row}-${error.column}-${index}`}>
                      <td className="slds-text-align_right">{error.row}</td>
                      <td>{error.column}</td>
                      <td>
                        <div className="slds-truncate" title={error.value}>
                          {error.value}
                        </div>
                      </td>
                      <td className="slds-cell-wrap">{error.message}</td>
                    </tr>
                  ))}
                </Table>
                <a className="slds-button slds-m-top_x-small" href={errorReportUrl(record.id)} download>
                  {t("imports.downloadErrors")}
                </a>
              </div>
            ) : null}
            {undone ? (
              <p className="slds-m-top_small" role="status">
                {t("imports.undoReport", {
                  removed: number(undone.revert_report.removed ?? 0),
                  restored: number(undone.revert_report.restored ?? 0),
                  skipped: number(undone.revert_report.skipped?.length ?? 0),
                })}
              </p>
            ) : null}
          </>
        ) : null}
      </div>
      <footer className="slds-card__footer slds-text-align_right">
        {undoable && record?.changeset && record.status === "succeeded" && !undone ? (
          <button type="button" className="slds-button slds-button_destructive" disabled={undo.isPending} onClick={() => void runUndo()}>
            {t("imports.undo")}
          </button>
        ) : null}
        {actions(record)}
      </footer>
    </article>
  );
}
