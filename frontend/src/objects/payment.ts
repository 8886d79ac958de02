import { lazy } from "react";
import { registerRecordExtension } from "../records/record-page/record-extensions";

const VoidPaymentAction = lazy(() => import("../features/payments/void-payment-action").then((module) => ({ default: module.VoidPaymentAction })));

registerRecordExtension("payment", {
  actions: [VoidPaymentAction],
  // A payment's status changes only by voiding it.
  pathSelectable: () => false,
});
