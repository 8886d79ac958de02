import { lazy } from "react";
import { registerRecordExtension } from "../records/record-page/record-extensions";

const billing = () => import("../features/payments/billing-cards");
const BillingLinesCard = lazy(() => billing().then((module) => ({ default: module.BillingLinesCard })));
const PaymentsCard = lazy(() => billing().then((module) => ({ default: module.PaymentsCard })));
const CancelOrderAction = lazy(() => import("../features/record-actions/billing-actions").then((module) => ({ default: module.CancelOrderAction })));

const CLOSED = new Set(["Fulfilled", "Cancelled"]);

registerRecordExtension("order", {
  actions: [CancelOrderAction],
  sections: [BillingLinesCard, PaymentsCard],
  hiddenRelated: ["payments"],
  // Payment statuses follow the payments and Cancel has its own button: by hand an open order only becomes Fulfilled.
  pathSelectable: (record, value) => value === "Fulfilled" && !CLOSED.has(String(record.status)),
});
