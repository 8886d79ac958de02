// Compile-time checks that the shapes this app reads exist in the server's OpenAPI schema.
// src/lib/api-types.ts is generated from that schema (npm run api-types) and checked in CI,
// so a field the server renames or drops breaks the type check here, not a page at run time.
import type { AdminUser } from "../features/admin/api/admin-queries";
import type { ConversionResult } from "../features/lead-conversion/api/lead-conversion-queries";
import type { PipelineCard, PipelineColumn } from "../features/opportunity-kanban/api/pipeline-queries";
import type { ContactRole, LineItem, Product } from "../features/opportunity-products/api/opportunity-products-queries";
import type { PaymentRow } from "../features/payments/api/payment-queries";
import type { RetainerReport } from "../features/reports/retainer-grid";
import type { SearchHit } from "../records/api/lookup-queries";
import type { Stage } from "../records/api/stage-queries";
import type { HistoryEntry } from "../records/api/record-queries";
import type { Page } from "./api-client";
import type { components } from "./api-types";
import type { SessionUser } from "./session";

type Schemas = components["schemas"];

/** `true` only when every key the client reads is one the server documents. */
type KeysKnown<Client, Server> = [Exclude<keyof Client, keyof Server>] extends [never] ? true : never;

export const sessionUserIsServerShape: KeysKnown<SessionUser, Schemas["Me"]> = true;
export const historyEntryIsServerShape: KeysKnown<HistoryEntry, Schemas["AuditEvent"]> = true;
export const pageIsServerShape: KeysKnown<Page<unknown>, Schemas["PaginatedAccountList"]> = true;
export const organizationIsServerShape: KeysKnown<SessionUser["organization"], Schemas["Organization"]> = true;
export const retainerReportIsServerShape: KeysKnown<RetainerReport, Schemas["RetainerReport"]> = true;
export const pipelineCardIsServerShape: KeysKnown<PipelineCard, Schemas["OpportunityCard"]> = true;
export const pipelineColumnIsServerShape: KeysKnown<PipelineColumn, Schemas["PipelineColumn"]> = true;
export const stageIsServerShape: KeysKnown<Stage, Schemas["Stage"]> = true;
export const adminUserIsServerShape: KeysKnown<AdminUser, Schemas["User"]> = true;
export const productIsServerShape: KeysKnown<Product, Schemas["Product"]> = true;
export const paymentRowIsServerShape: KeysKnown<PaymentRow, Schemas["PaymentRow"]> = true;
export const contactRoleIsServerShape: KeysKnown<ContactRole, Schemas["ContactRole"]> = true;
export const lineItemIsServerShape: KeysKnown<LineItem, Schemas["OpportunityLineItem"]> = true;
export const searchHitIsServerShape: KeysKnown<SearchHit, Schemas["GlobalSearchHit"]> = true;
export const conversionIsServerShape: KeysKnown<ConversionResult, Schemas["LeadConversion"]> = true;
