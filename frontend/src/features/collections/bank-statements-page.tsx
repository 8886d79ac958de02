import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Checkbox, FormElement, ModalFooter, Select } from "../../components/form-element";
import { Modal } from "../../components/modal";
import { PageHeader } from "../../components/page-header";
import { Spinner } from "../../components/spinner";
import { Table } from "../../components/table";
import { useToast } from "../../components/toast";
import { ApiError, api, errorText } from "../../lib/api-client";
import { formatCurrency, formatDate, formatDateTime, formatNumber } from "../../records/fields/format";
import { AdminGuard } from "../admin/admin-guard";
import { SetupNav } from "../admin/setup-nav";
import {
  statementsQuery,
  transactionsQuery,
  uploadStatement,
  useCollectionsMutation,
  type BankStatement,
  type BankTransaction,
} from "./api/collection-queries";

const FORMATS = ["auto", "camt053", "mt940", "csv"] as const;
const COLUMNS = ["booking_date", "amount", "currency", "counterparty_name", "counterparty_iban", "remittance", "reference"] as const;

/** Setup › Bank statements: upload, matching progress, the review queue and the matched transactions. */
export function BankStatementsPage() {
  return (
    <AdminGuard>
      <BankStatementsAdmin />
    </AdminGuard>
  );
}

function UploadCard() {
  const { t } = useTranslation();
  const toast = useToast();
  const fileRef = useRef<HTMLInputElement>(null);
  const [format, setFormat] = useState<string>("auto");
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [dateFormat, setDateFormat] = useState("%Y-%m-%d");
  const [decimalComma, setDecimalComma] = useState(false);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const upload = useCollectionsMutation((form: FormData) => uploadStatement(form));

  const submit = async () => {
    const file = fileRef.current?.files?.[0];
    const form = new FormData();
    if (file) form.append("file", file);
    form.append("format", format);
    if (format === "csv") {
      const columns = Object.fromEntries(Object.entries(mapping).filter(([, value]) => value.trim()));
      form.append("mapping", JSON.stringify({ ...columns, date_format: dateFormat, decimal_comma: decimalComma }));
    }
    try {
      const statement = await upload.mutateAsync(form);
      setErrors({});
      if (fileRef.current) fileRef.current.value = "";
      toast.show({
        variant: "success",
        message: t("collections.bank.uploaded", { name: statement.filename, total: statement.total, duplicates: statement.duplicates }),
      });
    } catch (error) {
      if (error instanceof ApiError && Object.keys(error.fieldErrors).length) setErrors(error.fieldErrors as Record<string, string[]>);
      else toast.show({ variant: "error", message: errorText(error, t("errors.generic")) });
    }
  };

  return (
    <article className="slds-card slds-m-bottom_small">
      <div className="slds-card__header">
        <h2 className="slds-card__header-title">{t("collections.bank.upload")}</h2>
        <p className="slds-text-color_weak slds-m-top_x-small">{t("collections.bank.intro")}</p>
      </div>
      <div className="slds-card__body slds-card__body_inner">
        <div className="slds-grid slds-wrap slds-gutters_x-small">
          <FormElement id="statement-file" label={t("collections.bank.file")} required errors={errors.file} className="slds-col slds-size_1-of-2">
            {(control) => <input {...control.aria} ref={fileRef} type="file" className="slds-input crm-file-input" accept=".xml,.sta,.mt940,.txt,.csv" />}
          </FormElement>
          <FormElement id="statement-format" label={t("collections.bank.format")} errors={errors.format} className="slds-col slds-size_1-of-4">
            <Select
              id="statement-format"
              value={format}
              onChange={setFormat}
              options={FORMATS.map((value) => ({ value, label: t(`collections.bank.formats.${value}`) }))}
            />
          </FormElement>
        </div>
        {format === "csv" ? (
          <fieldset className="slds-form-element slds-m-top_small">
            <legend className="slds-form-element__legend slds-form-element__label">{t("collections.bank.mapping")}</legend>
            <p className="slds-text-color_weak slds-m-bottom_x-small">{t("collections.bank.mappingHelp")}</p>
            <div className="slds-grid slds-wrap slds-gutters_x-small">
              {COLUMNS.map((column) => (
                <FormElement key={column} id={`map-${column}`} label={t(`collections.bank.columns.${column}`)} className="slds-col slds-size_1-of-4">
                  <input
                    id={`map-${column}`}
                    className="slds-input"
                    value={mapping[column] ?? ""}
                    onChange={(event) => setMapping({ ...mapping, [column]: event.target.value })}
                  />
                </FormElement>
              ))}
              <FormElement id="map-date-format" label={t("collections.bank.dateFormat")} className="slds-col slds-size_1-of-4">
                <input id="map-date-format" className="slds-input" value={dateFormat} onChange={(event) => setDateFormat(event.target.value)} />
              </FormElement>
              <div className="slds-col slds-size_1-of-4 slds-p-top_large">
                <Checkbox id="map-decimal-comma" label={t("collections.bank.decimalComma")} checked={decimalComma} onChange={setDecimalComma} />
              </div>
            </div>
            {errors.mapping ? <div className="slds-text-color_error">{errors.mapping.join(" ")}</div> : null}
          </fieldset>
        ) : null}
      </div>
      <footer className="slds-card__footer slds-text-align_right">
        <button type="button" className="slds-button slds-button_brand" disabled={upload.isPending} onClick={() => void submit()}>
          {t("collections.bank.upload")}
        </button>
      </footer>
    </article>
  );
}

function Progress({ statement }: { statement: BankStatement }) {
  const { t } = useTranslation();
  const percent = statement.total ? Math.round((statement.processed / statement.total) * 100) : 100;
  return (
    <div>
      <div
        className="slds-progress-bar slds-progress-bar_small"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-label={t("collections.bank.progress")}
      >
        <span
          className={`slds-progress-bar__value${statement.status === "Done" ? " slds-progress-bar__value_success" : ""}`}
          style={{ width: `${percent}%` }}
        />
      </div>
      <span className="slds-text-body_small">{t("collections.bank.progressText", { processed: statement.processed, total: statement.total })}</span>
    </div>
  );
}

function StatementsCard() {
  const { t, i18n } = useTranslation();
  const statements = useQuery(statementsQuery());
  const rows = statements.data?.results ?? [];
  return (
    <article className="slds-card slds-m-bottom_small">
      <div className="slds-card__header">
        <h2 className="slds-card__header-title">{t("collections.bank.statements")}</h2>
      </div>
      {statements.isLoading ? <Spinner /> : null}
      {rows.length ? (
        <Table
          className="crm-card-table"
          label={t("collections.bank.statements")}
          columns={[
            { key: "file", label: t("collections.bank.filename") },
            { key: "format", label: t("collections.bank.format") },
            { key: "imported", label: t("collections.bank.imported") },
            { key: "status", label: t("collections.bank.status") },
            { key: "progress", label: t("collections.bank.progress") },
            { key: "matched", label: t("collections.bank.matched"), align: "right" },
            { key: "queued", label: t("collections.bank.queued"), align: "right" },
            { key: "duplicates", label: t("collections.bank.duplicates"), align: "right" },
          ]}
        >
          {rows.map((row) => (
            <tr key={row.id}>
              <th scope="row">{row.filename}</th>
              <td>{t(`collections.bank.formats.${row.format}`)}</td>
              <td>{formatDateTime(row.created_at, i18n.language)}</td>
              <td>
                <span
                  className={`slds-badge ${row.status === "Done" ? "slds-theme_success" : row.status === "Failed" ? "slds-theme_error" : "slds-theme_warning"}`}
                >
                  {t(`collections.bank.statuses.${row.status}`)}
                </span>
              </td>
              <td className="crm-statement-progress">
                <Progress statement={row} />
              </td>
              <td className="slds-text-align_right">{formatNumber(row.matched, i18n.language)}</td>
              <td className="slds-text-align_right">{formatNumber(row.queued, i18n.language)}</td>
              <td className="slds-text-align_right">{formatNumber(row.duplicates, i18n.language)}</td>
            </tr>
          ))}
        </Table>
      ) : statements.isLoading ? null : (
        <p className="slds-p-around_medium slds-text-color_weak">{t("collections.bank.emptyStatements")}</p>
      )}
    </article>
  );
}

type Row = { invoice_id: string; amount: string };

function SplitModal({ tx, onClose }: { tx: BankTransaction; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const first = tx.suggestions[0]?.allocations ?? [];
  const [rows, setRows] = useState<Row[]>(
    first.length ? first.map((a) => ({ invoice_id: String(a.invoice_id), amount: a.amount })) : [{ invoice_id: "", amount: tx.amount }],
  );
  const [errors, setErrors] = useState<string[]>([]);
  const match = useCollectionsMutation((allocations: { invoice_id: number; amount: string }[]) =>
    api.post<BankTransaction>(`bank-transactions/${tx.id}/match`, { allocations, version: tx.version }),
  );
  const money = (value: string | number) => formatCurrency(value, i18n.language, tx.currency);
  const allocated = rows.reduce((sum, row) => sum + (Number(row.amount) || 0), 0);
  const options = tx.suggestions.flatMap((s) => s.allocations);
  const submit = async () => {
    try {
      const done = await match.mutateAsync(rows.map((row) => ({ invoice_id: Number(row.invoice_id), amount: row.amount })));
      toast.show({ variant: "success", message: t("collections.bank.accepted", { numbers: done.matches.map((m) => m.invoice_number).join(", ") }) });
      onClose();
    } catch (error) {
      if (error instanceof ApiError && Object.keys(error.fieldErrors).length) setErrors(Object.values(error.fieldErrors).flat().map(String));
      else toast.show({ variant: "error", message: errorText(error, t("errors.generic")) });
    }
  };
  return (
    <Modal
      title={t("collections.bank.splitTitle", { amount: money(tx.amount) })}
      onClose={onClose}
      tagline={`${tx.counterparty_name} · ${tx.remittance}`}
      footer={<ModalFooter onCancel={onClose} onConfirm={() => void submit()} busy={match.isPending} label={t("collections.bank.apply")} />}
    >
      {rows.map((row, index) => (
        <div key={index} className="slds-grid slds-gutters_x-small slds-grid_vertical-align-end slds-m-bottom_x-small">
          <FormElement id={`split-invoice-${index}`} label={t("collections.bank.invoiceId")} className="slds-col slds-size_1-of-2">
            <input
              id={`split-invoice-${index}`}
              className="slds-input"
              list="split-suggestions"
              inputMode="numeric"
              value={row.invoice_id}
              onChange={(event) => setRows(rows.map((r, i) => (i === index ? { ...r, invoice_id: event.target.value } : r)))}
            />
          </FormElement>
          <FormElement id={`split-amount-${index}`} label={t("collections.bank.allocationAmount")} className="slds-col slds-size_1-of-3">
            <input
              id={`split-amount-${index}`}
              className="slds-input"
              type="number"
              step="0.01"
              value={row.amount}
              onChange={(event) => setRows(rows.map((r, i) => (i === index ? { ...r, amount: event.target.value } : r)))}
            />
          </FormElement>
          <div className="slds-col">
            <button
              type="button"
              className="slds-button slds-button_text-destructive"
              disabled={rows.length === 1}
              onClick={() => setRows(rows.filter((_, i) => i !== index))}
            >
              {t("collections.bank.remove")}
            </button>
          </div>
        </div>
      ))}
      <datalist id="split-suggestions">
        {options.map((a) => (
          <option key={a.invoice_id} value={a.invoice_id}>{`${a.number} · ${a.account_name} · ${money(a.balance)}`}</option>
        ))}
      </datalist>
      <button type="button" className="slds-button slds-button_neutral" onClick={() => setRows([...rows, { invoice_id: "", amount: "" }])}>
        {t("collections.bank.addRow")}
      </button>
      <p className="slds-m-top_small">{t("collections.bank.allocated", { allocated: money(allocated), amount: money(tx.amount) })}</p>
      {errors.length ? <div className="slds-text-color_error slds-m-top_x-small">{errors.join(" ")}</div> : null}
    </Modal>
  );
}

function QueueCard() {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const queue = useQuery(transactionsQuery("unmatched"));
  const [splitting, setSplitting] = useState<BankTransaction | null>(null);
  const act = useCollectionsMutation(({ tx, path, body }: { tx: BankTransaction; path: string; body: unknown }) =>
    api.post<BankTransaction>(`bank-transactions/${tx.id}/${path}`, body),
  );
  const run = async (input: { tx: BankTransaction; path: string; body: unknown }, message: (tx: BankTransaction) => string) => {
    try {
      const done = await act.mutateAsync(input);
      toast.show({ variant: "success", message: message(done) });
    } catch (error) {
      toast.show({ variant: "error", message: errorText(error, t("errors.generic")) });
    }
  };
  const rows = queue.data?.results ?? [];
  return (
    <article className="slds-card slds-m-bottom_small" aria-label={t("collections.bank.queue")}>
      <div className="slds-card__header">
        <h2 className="slds-card__header-title">
          {t("collections.bank.queue")} ({formatNumber(queue.data?.count ?? 0, i18n.language)})
        </h2>
        <p className="slds-text-color_weak slds-m-top_x-small">{t("collections.bank.queueIntro")}</p>
      </div>
      {queue.isLoading ? <Spinner /> : null}
      {rows.length ? (
        <Table
          className="crm-card-table"
          label={t("collections.bank.queue")}
          columns={[
            { key: "date", label: t("collections.bank.date") },
            { key: "amount", label: t("collections.bank.amount"), align: "right" },
            { key: "payer", label: t("collections.bank.payer") },
            { key: "remittance", label: t("collections.bank.remittance") },
            { key: "suggestions", label: t("collections.bank.suggestions") },
            { key: "actions", label: t("common.actions"), labelHidden: true },
          ]}
        >
          {rows.map((tx) => (
            <tr key={tx.id} className="slds-hint-parent">
              <td>{formatDate(tx.booking_date, i18n.language)}</td>
              <td className="slds-text-align_right">{formatCurrency(tx.amount, i18n.language, tx.currency)}</td>
              <th scope="row">
                <div>{tx.counterparty_name}</div>
                <div className="slds-text-body_small slds-text-color_weak">{tx.counterparty_iban}</div>
              </th>
              <td className="crm-remittance">{tx.remittance}</td>
              <td>
                {tx.suggestions.length === 0 ? <span className="slds-text-color_weak">{t("collections.bank.noSuggestion")}</span> : null}
                <ul>
                  {tx.suggestions.slice(0, 3).map((suggestion, index) => {
                    const numbers = suggestion.allocations.map((a) => a.number).join(", ");
                    const names = [...new Set(suggestion.allocations.map((a) => a.account_name))].join(", ");
                    return (
                      <li key={index} className="slds-m-bottom_xx-small">
                        <span className="slds-badge slds-badge_lightest">{t("collections.bank.confidence", { value: suggestion.confidence })}</span>{" "}
                        <strong>{numbers}</strong> · {names}{" "}
                        <span className="slds-text-color_weak">({t(`collections.bank.reasons.${suggestion.reason}`)})</span>{" "}
                        <button
                          type="button"
                          className="slds-button slds-button_brand slds-m-left_x-small"
                          aria-label={t("collections.bank.acceptLabel", { number: numbers, amount: formatCurrency(tx.amount, i18n.language, tx.currency) })}
                          disabled={act.isPending}
                          onClick={() =>
                            void run(
                              {
                                tx,
                                path: "match",
                                body: { allocations: suggestion.allocations.map((a) => ({ invoice_id: a.invoice_id, amount: a.amount })), version: tx.version },
                              },
                              () => t("collections.bank.accepted", { numbers }),
                            )
                          }
                        >
                          {t("collections.bank.accept")}
                        </button>
                      </li>
                    );
                  })}
                </ul>
              </td>
              <td className="slds-text-align_right crm-nowrap">
                <div className="slds-button-group" role="group">
                  <button type="button" className="slds-button slds-button_neutral" onClick={() => setSplitting(tx)}>
                    {t("collections.bank.split")}
                  </button>
                  <button
                    type="button"
                    className="slds-button slds-button_neutral"
                    disabled={act.isPending}
                    onClick={() => void run({ tx, path: "reject", body: { version: tx.version } }, () => t("collections.bank.rejected"))}
                  >
                    {t("collections.bank.reject")}
                  </button>
                </div>
              </td>
            </tr>
          ))}
        </Table>
      ) : queue.isLoading ? null : (
        <p className="slds-p-around_medium slds-text-color_weak">{t("collections.bank.emptyQueue")}</p>
      )}
      {splitting ? <SplitModal tx={splitting} onClose={() => setSplitting(null)} /> : null}
    </article>
  );
}

function MatchedCard() {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const matched = useQuery(transactionsQuery("matched"));
  const undo = useCollectionsMutation((tx: BankTransaction) => api.post<BankTransaction>(`bank-transactions/${tx.id}/undo`, { version: tx.version }));
  const rows = matched.data?.results ?? [];
  return (
    <article className="slds-card" aria-label={t("collections.bank.matchedList")}>
      <div className="slds-card__header">
        <h2 className="slds-card__header-title">
          {t("collections.bank.matchedList")} ({formatNumber(matched.data?.count ?? 0, i18n.language)})
        </h2>
      </div>
      {rows.length ? (
        <Table
          className="crm-card-table"
          label={t("collections.bank.matchedList")}
          columns={[
            { key: "date", label: t("collections.bank.date") },
            { key: "amount", label: t("collections.bank.amount"), align: "right" },
            { key: "payer", label: t("collections.bank.payer") },
            { key: "remittance", label: t("collections.bank.remittance") },
            { key: "applied", label: t("collections.bank.applied") },
            { key: "actions", label: t("common.actions"), labelHidden: true },
          ]}
        >
          {rows.map((tx) => (
            <tr key={tx.id}>
              <td>{formatDate(tx.booking_date, i18n.language)}</td>
              <td className="slds-text-align_right">{formatCurrency(tx.amount, i18n.language, tx.currency)}</td>
              <th scope="row">{tx.counterparty_name}</th>
              <td className="crm-remittance">{tx.remittance}</td>
              <td>
                {tx.matches.map((m) => (
                  <div key={m.id}>
                    <a href={`/o/invoice/${m.invoice_id}`}>{m.invoice_number}</a> · {formatCurrency(m.amount, i18n.language, tx.currency)}{" "}
                    <span className="slds-badge slds-badge_lightest">{m.invoice_status}</span>
                  </div>
                ))}
              </td>
              <td className="slds-text-align_right">
                <button
                  type="button"
                  className="slds-button slds-button_neutral"
                  disabled={undo.isPending}
                  onClick={() =>
                    void undo
                      .mutateAsync(tx)
                      .then(() => toast.show({ variant: "success", message: t("collections.bank.undone") }))
                      .catch((error: unknown) => toast.show({ variant: "error", message: errorText(error, t("errors.generic")) }))
                  }
                >
                  {t("collections.bank.undo")}
                </button>
              </td>
            </tr>
          ))}
        </Table>
      ) : matched.isLoading ? null : (
        <p className="slds-p-around_medium slds-text-color_weak">{t("collections.bank.emptyMatched")}</p>
      )}
    </article>
  );
}

export function BankStatementsAdmin() {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${t("collections.bank.title")} | ${t("work.admin.setup")}`;
  }, [t]);
  return (
    <div className="crm-page">
      <PageHeader icon="currency" meta={t("work.admin.setup")} title={t("collections.bank.title")} />
      <SetupNav />
      <UploadCard />
      <StatementsCard />
      <QueueCard />
      <MatchedCard />
    </div>
  );
}
