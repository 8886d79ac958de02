import { useTranslation } from "react-i18next";
import { HeaderAction } from "../../components/header-action";
import { ConfirmModal } from "../../components/modal";
import type { RecordData } from "../../records/metadata/types";
import { useRecordAction } from "../../records/api/use-record-action";
import type { RecordExtensionProps } from "../../records/record-page/record-extensions";
import { SendDocumentModal } from "./send-document-modal";

const CLOSED_QUOTE = new Set(["Accepted", "Denied", "Rejected"]);
const OPEN_INVOICE = new Set(["Issued", "Partially Paid", "Overdue"]);

function isoDay(offsetDays: number): string {
  const day = new Date();
  day.setDate(day.getDate() + offsetDays);
  return `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, "0")}-${String(day.getDate()).padStart(2, "0")}`;
}

type ConfirmActionProps = {
  label: string;
  title?: string;
  body: string;
  path: string;
  payload?: unknown;
  success: (record: RecordData) => string;
  target?: (record: RecordData) => string;
  invalidate: string[];
  variant?: "neutral" | "brand";
};

/** A header button that asks once, then POSTs a business action. */
function ConfirmAction({ label, title, body, path, payload, success, target, invalidate, variant }: ConfirmActionProps) {
  const action = useRecordAction({ success, target, invalidate });
  return (
    <HeaderAction
      label={label}
      variant={variant}
      dialog={(close) => (
        <ConfirmModal
          title={title ?? label}
          body={body}
          confirmLabel={label}
          busy={action.isPending}
          onCancel={close}
          onConfirm={() =>
            action
              .mutateAsync({ path, body: payload ?? {} })
              .catch(() => undefined)
              .finally(close)
          }
        />
      )}
    />
  );
}

/** "New Quote" on an opportunity: a quote with the opportunity's products, valid for 30 days. */
export function NewQuoteAction({ record, canWrite }: RecordExtensionProps) {
  const { t } = useTranslation();
  if (!canWrite || record.billed_at) return null;
  const name = String(record.name ?? "");
  return (
    <ConfirmAction
      label={t("sales.invoicing.newQuote")}
      body={t("sales.invoicing.newQuoteBody", { name })}
      path="quotes"
      payload={{ opportunity_id: record.id, name, expiration_date: isoDay(30) }}
      success={(quote) => t("sales.invoicing.quoteCreated", { number: String(quote.quote_number ?? "") })}
      target={(quote) => `/o/quote/${quote.id}`}
      invalidate={["quote", "opportunity"]}
    />
  );
}

/** "Accept" on a quote: the deal is won and its order generated, then the order opens. */
export function AcceptQuoteAction({ record, canWrite }: RecordExtensionProps) {
  const { t } = useTranslation();
  if (!canWrite || CLOSED_QUOTE.has(String(record.status))) return null;
  return (
    <ConfirmAction
      label={t("sales.invoicing.accept")}
      variant="brand"
      body={t("sales.invoicing.acceptBody", { number: String(record.quote_number ?? "") })}
      path={`quotes/${record.id}/accept`}
      success={() => t("sales.invoicing.accepted", { number: String(record.quote_number ?? "") })}
      target={(answer) => `/o/order/${(answer.order as RecordData).id}`}
      invalidate={["quote", "opportunity", "order"]}
    />
  );
}

/** Send the document's PDF by mail: a dialog with recipient, cc, subject and message. */
export function SendDocumentAction({ meta, record, canWrite }: RecordExtensionProps) {
  const { t } = useTranslation();
  if (!canWrite || (record.status === "Draft" && meta.name === "invoice")) return null;
  const number = String(record.quote_number ?? record.number ?? "");
  return (
    <HeaderAction
      label={t("sales.invoicing.send")}
      dialog={(close) => (
        <SendDocumentModal apiPath={meta.api_path} object={meta.name} recordId={record.id} version={record.version} number={number} onClose={close} />
      )}
    />
  );
}

/** "Start Sync" / "Stop Sync" on an open quote: the synced quote and its opportunity share their lines. */
export function QuoteSyncAction({ record, canWrite }: RecordExtensionProps) {
  const { t } = useTranslation();
  if (!canWrite || CLOSED_QUOTE.has(String(record.status))) return null;
  const number = String(record.quote_number ?? "");
  if (record.is_synced) {
    return (
      <ConfirmAction
        label={t("sales.invoicing.stopSync")}
        body={t("sales.invoicing.stopSyncBody", { number })}
        path={`quotes/${record.id}/unsync`}
        success={() => t("sales.invoicing.syncStopped", { number })}
        invalidate={["quote", "opportunity"]}
      />
    );
  }
  return (
    <ConfirmAction
      label={t("sales.invoicing.startSync")}
      body={t("sales.invoicing.startSyncBody", { number })}
      path={`quotes/${record.id}/sync`}
      success={() => t("sales.invoicing.syncStarted", { number })}
      invalidate={["quote", "opportunity"]}
    />
  );
}

/** "PDF": the document rendered by the server, in a new tab. */
export function PdfAction({ meta, record }: RecordExtensionProps) {
  const { t } = useTranslation();
  return (
    <li>
      <a className="slds-button slds-button_neutral" href={`/api/v1/${meta.api_path}/${record.id}/pdf`} target="_blank" rel="noreferrer">
        {t("sales.invoicing.pdf")}
      </a>
    </li>
  );
}

/** "Issue" on a draft invoice: it gets its number and due date and can no longer change. */
export function IssueInvoiceAction({ record, canWrite }: RecordExtensionProps) {
  const { t } = useTranslation();
  if (!canWrite || record.status !== "Draft") return null;
  return (
    <ConfirmAction
      label={t("sales.invoicing.issue")}
      variant="brand"
      body={t("sales.invoicing.issueBody")}
      path={`invoices/${record.id}/issue`}
      payload={{ version: record.version }}
      success={(invoice) => t("sales.invoicing.issued", { number: String(invoice.number ?? "") })}
      invalidate={["invoice"]}
    />
  );
}

/** "Credit Note" on an issued invoice: credits it in full, which cancels it. */
export function CreditNoteAction({ record, canWrite }: RecordExtensionProps) {
  const { t } = useTranslation();
  if (!canWrite || record.kind !== "Invoice" || !(OPEN_INVOICE.has(String(record.status)) || record.status === "Paid")) return null;
  const number = String(record.number ?? "");
  return (
    <ConfirmAction
      label={t("sales.invoicing.creditNote")}
      body={t("sales.invoicing.creditNoteBody", { number })}
      path={`invoices/${record.id}/credit-note`}
      success={(note) => t("sales.invoicing.credited", { number: String(note.number ?? "") })}
      target={(note) => `/o/invoice/${note.id}`}
      invalidate={["invoice"]}
    />
  );
}

/** "Log Payment" on an open invoice of an order or contract: the open balance, received today. */
export function LogInvoicePaymentAction({ record, canWrite }: RecordExtensionProps) {
  const { t } = useTranslation();
  if (!canWrite || record.kind !== "Invoice" || !OPEN_INVOICE.has(String(record.status)) || (!record.order_id && !record.contract_id)) return null;
  return (
    <ConfirmAction
      label={t("sales.invoicing.logPayment")}
      body={t("sales.invoicing.logPaymentBody", { amount: String(record.balance_due ?? "") })}
      path={`invoices/${record.id}/payments`}
      payload={{ payment_date: isoDay(0), payment_method: "Bank Transfer" }}
      success={() => t("sales.invoicing.paymentLogged")}
      invalidate={["invoice", "order", "contract", "payment"]}
    />
  );
}

/** "Create Invoice" on an order (what is not invoiced yet) or a contract (its next billing cycle). */
export function CreateInvoiceAction({ meta, record, canWrite }: RecordExtensionProps) {
  const { t } = useTranslation();
  if (!canWrite || record.status === "Cancelled") return null;
  return (
    <ConfirmAction
      label={t("sales.invoicing.createInvoice")}
      body={meta.name === "order" ? t("sales.invoicing.createFromOrder") : t("sales.invoicing.createFromContract")}
      path={`${meta.api_path}/${record.id}/invoices`}
      success={() => t("sales.invoicing.invoiceCreated")}
      target={(invoice) => `/o/invoice/${invoice.id}`}
      invalidate={["invoice", meta.name]}
    />
  );
}
