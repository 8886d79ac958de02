import { lazy } from "react";
import { ORDER_CLOSED_STATUSES, ORDER_MANUAL_STATUS } from "../features/orders/api/order-status";
import { registerRecordExtension } from "../records/record-page/record-extensions";

const BillingLinesCard = lazy(() => import("../features/billing-lines/billing-lines-card").then((module) => ({ default: module.BillingLinesCard })));
const PaymentsCard = lazy(() => import("../features/payments/payments-card").then((module) => ({ default: module.PaymentsCard })));
const CancelOrderAction = lazy(() => import("../features/orders/cancel-order-action").then((module) => ({ default: module.CancelOrderAction })));

registerRecordExtension("order", {
  actions: [CancelOrderAction],
  sections: [BillingLinesCard, PaymentsCard],
  hiddenRelated: ["payments"],
  // Payment statuses follow the payments and Cancel has its own button: by hand an open order only becomes Fulfilled.
  pathSelectable: (record, value) => value === ORDER_MANUAL_STATUS && !ORDER_CLOSED_STATUSES.has(String(record.status)),
});
