import { lazy } from "react";
import { registerRecordExtension } from "../records/record-page/record-extensions";

const actions = () => import("../features/invoicing/invoicing-actions");
const NewQuoteAction = lazy(() => actions().then((module) => ({ default: module.NewQuoteAction })));
const AcceptQuoteAction = lazy(() => actions().then((module) => ({ default: module.AcceptQuoteAction })));
const SendDocumentAction = lazy(() => actions().then((module) => ({ default: module.SendDocumentAction })));
const QuoteSyncAction = lazy(() => actions().then((module) => ({ default: module.QuoteSyncAction })));
const PdfAction = lazy(() => actions().then((module) => ({ default: module.PdfAction })));
const IssueInvoiceAction = lazy(() => actions().then((module) => ({ default: module.IssueInvoiceAction })));
const CreditNoteAction = lazy(() => actions().then((module) => ({ default: module.CreditNoteAction })));
const LogInvoicePaymentAction = lazy(() => actions().then((module) => ({ default: module.LogInvoicePaymentAction })));
const CreateInvoiceAction = lazy(() => actions().then((module) => ({ default: module.CreateInvoiceAction })));
const PaymentLinkAction = lazy(() => import("../features/stripe/payment-link-action").then((module) => ({ default: module.PaymentLinkAction })));
const InvoicePaymentsCard = lazy(() => import("../features/stripe/invoice-payments-card").then((module) => ({ default: module.InvoicePaymentsCard })));
const DocumentLinesCard = lazy(() => import("../features/invoicing/document-lines-card").then((module) => ({ default: module.DocumentLinesCard })));

// Accepting and sending change a quote's status; by hand the Path moves only among the open steps.
const QUOTE_AUTOMATIC = new Set(["Accepted"]);

registerRecordExtension("quote", {
  actions: [AcceptQuoteAction, QuoteSyncAction, PdfAction, SendDocumentAction],
  sections: [DocumentLinesCard],
  pathSelectable: (record, value) => !QUOTE_AUTOMATIC.has(value) && record.status !== "Accepted",
});
registerRecordExtension("invoice", {
  actions: [IssueInvoiceAction, LogInvoicePaymentAction, PaymentLinkAction, CreditNoteAction, PdfAction, SendDocumentAction],
  sections: [DocumentLinesCard, InvoicePaymentsCard],
  // An invoice's status follows issuing, payments and credit notes, never a click on the Path.
  pathSelectable: () => false,
});
registerRecordExtension("opportunity", { actions: [NewQuoteAction] });
registerRecordExtension("order", { actions: [CreateInvoiceAction] });
registerRecordExtension("contract", { actions: [CreateInvoiceAction] });
