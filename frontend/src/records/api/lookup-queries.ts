import { queryOptions } from "@tanstack/react-query";
import { api, type Page } from "../../lib/api-client";
import { recordTitle } from "../metadata/use-object-meta";
import type { ObjectMeta, RecordData } from "../metadata/types";

export type LookupOption = { id: number; name: string };
export type SearchHit = { object: string; id: number; title: string; subtitle: string };
export type SearchSelection = { object: string; id: number; title: string };

/** Keys of the searches behind lookups and the header search. */
export const lookupKeys = {
  all: ["lookup"] as const,
  records: (target: string, term: string) => ["lookup", target, term] as const,
  search: (objects: readonly string[], term: string) => ["search", objects.length ? objects.join(",") : "all", term] as const,
};

/** Where a lookup searches: the target object's list endpoint, or the users endpoint. */
export function lookupPath(target: string, meta: ObjectMeta | undefined): string | undefined {
  return target === "user" ? "users" : meta?.api_path;
}

/** Up to eight records of the lookup's target matching the typed text. */
export function lookupQuery(target: string, meta: ObjectMeta | undefined, term: string) {
  const path = lookupPath(target, meta);
  return queryOptions({
    queryKey: lookupKeys.records(target, term),
    enabled: Boolean(path),
    queryFn: async ({ signal }): Promise<LookupOption[]> => {
      const page = await api.get<Page<RecordData>>(path as string, { search: term, page_size: 8 }, signal);
      return page.results.map((row) => ({
        id: row.id,
        name: meta ? recordTitle(meta, row) : String(row.name ?? row.email ?? row.id),
      }));
    },
  });
}

export function searchRecords(term: string, objects: readonly string[], signal?: AbortSignal) {
  return api.get<{ results: SearchHit[] }>("search", { q: term, objects: objects.join(","), limit: 5 }, signal);
}

/** GET /search across the given object types (all of them when empty); searches from two characters on. */
export function searchQuery(objects: readonly string[], term: string) {
  return queryOptions({
    queryKey: lookupKeys.search(objects, term),
    enabled: term.length >= 2,
    queryFn: ({ signal }) => searchRecords(term, objects, signal),
  });
}
