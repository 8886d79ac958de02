import { lazy } from "react";
import { registerRecordExtension } from "../records/record-page/record-extensions";

const products = () => import("../features/opportunity-products/products-card");
const roles = () => import("../features/opportunity-products/contact-roles-card");

const ProductsCard = lazy(() => products().then((module) => ({ default: module.ProductsCard })));
const ContactRolesCard = lazy(() => roles().then((module) => ({ default: module.ContactRolesCard })));
const GenerateOrderAction = lazy(() => import("../features/orders/generate-order-action").then((module) => ({ default: module.GenerateOrderAction })));
const GenerateContractAction = lazy(() =>
  import("../features/contracts/generate-contract-action").then((module) => ({ default: module.GenerateContractAction })),
);
const OpportunityViewSwitch = lazy(() => import("../features/opportunity-kanban/view-switch").then((module) => ({ default: module.OpportunityViewSwitch })));

registerRecordExtension("opportunity", {
  actions: [GenerateOrderAction, GenerateContractAction],
  sections: [ProductsCard, ContactRolesCard],
  hiddenRelated: ["line_items", "contact_roles"],
  listControls: [OpportunityViewSwitch],
});
