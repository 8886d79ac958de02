import { lazy } from "react";
import { registerRecordExtension } from "../records/record-page/record-extensions";

const billing = () => import("../features/payments/billing-cards");
const BillingLinesCard = lazy(() => billing().then((module) => ({ default: module.BillingLinesCard })));
const PaymentsCard = lazy(() => billing().then((module) => ({ default: module.PaymentsCard })));
const RenewContractAction = lazy(() => import("../features/record-actions/billing-actions").then((module) => ({ default: module.RenewContractAction })));

registerRecordExtension("contract", {
  actions: [RenewContractAction],
  sections: [BillingLinesCard, PaymentsCard],
  hiddenRelated: ["payments"],
});
