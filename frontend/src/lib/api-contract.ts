// Compile-time checks that the shapes this app reads exist in the server's OpenAPI schema.
// src/lib/api-types.ts is generated from that schema (npm run api-types) and checked in CI,
// so a field the server renames or drops breaks the type check here, not a page at run time.
import type { RetainerReport } from "../features/reports/retainer-grid";
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
