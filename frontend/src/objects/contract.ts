import { lazy } from "react";
import { registerRecordExtension } from "../records/record-page/record-extensions";

const BillingLinesCard = lazy(() => import("../features/billing-lines/billing-lines-card").then((module) => ({ default: module.BillingLinesCard })));
const PaymentsCard = lazy(() => import("../features/payments/payments-card").then((module) => ({ default: module.PaymentsCard })));
const RenewContractAction = lazy(() => import("../features/contracts/renew-contract-action").then((module) => ({ default: module.RenewContractAction })));

registerRecordExtension("contract", {
  actions: [RenewContractAction],
  sections: [BillingLinesCard, PaymentsCard],
  hiddenRelated: ["payments"],
});
