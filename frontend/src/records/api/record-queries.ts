import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import { api, type Page } from "../../lib/api-client";
import type { ObjectMeta, RecordData } from "../metadata/types";

export type ListParams = Record<string, string | number | undefined>;

export type HistoryEntry = {
  id: number;
  action: string;
  name?: string;
  changes: Record<string, [unknown, unknown]>;
  actor_id: number | null;
  actor_name: string | null;
  at: string;
};

export const recordKeys = {
  all: (object: string) => [object] as const,
  list: (object: string, params: ListParams, cursor: string) => [object, "list", params, cursor] as const,
  count: (object: string, params: ListParams) => [object, "list", "count", params] as const,
  detail: (object: string, id: number | string) => [object, String(id)] as const,
  history: (object: string, id: number | string) => [object, String(id), "history"] as const,
  related: (object: string, field: string, parentId: number) => [object, "related", field, parentId] as const,
  /** Board views of an object's records by stage (the opportunity pipeline, its dashboard summary). */
  pipeline: (object: string) => [object, "pipeline"] as const,
};

/**
 * One page of a list by keyset cursor: "" for the first page, then the previous page's
 * `next_cursor`. The server counts nothing here, so a page deep in a huge list costs what the
 * first one does.
 */
export function listQuery(meta: ObjectMeta, params: ListParams, cursor: string) {
  return queryOptions({
    queryKey: recordKeys.list(meta.name, params, cursor),
    // In the path, not the query object: an empty `cursor=` (first page) must still be sent.
    queryFn: ({ signal }) => api.get<Page<RecordData>>(`${meta.api_path}?cursor=${encodeURIComponent(cursor)}`, params, signal),
    placeholderData: keepPreviousData,
  });
}

export type ListCount = { count: number; capped: boolean };

/** How many rows match the list's filters (a page-number request for one row): at most the server's cap, and whether it was hit. */
export function listCountQuery(meta: ObjectMeta, params: ListParams) {
  return queryOptions({
    queryKey: recordKeys.count(meta.name, params),
    queryFn: async ({ signal }): Promise<ListCount> => {
      const page = await api.get<Page<RecordData>>(meta.api_path, { ...params, page: 1, page_size: 1 }, signal);
      return { count: page.count ?? 0, capped: Boolean(page.count_capped) };
    },
    placeholderData: keepPreviousData,
  });
}

export function recordQuery(meta: ObjectMeta, id: number | string) {
  return queryOptions({
    queryKey: recordKeys.detail(meta.name, id),
    queryFn: ({ signal }) => api.get<RecordData>(`${meta.api_path}/${id}`, undefined, signal),
  });
}

export function historyQuery(meta: ObjectMeta, id: number | string) {
  return queryOptions({
    queryKey: recordKeys.history(meta.name, id),
    queryFn: async ({ signal }) => {
      const data = await api.get<HistoryEntry[] | Page<HistoryEntry>>(`${meta.api_path}/${id}/history`, undefined, signal);
      return Array.isArray(data) ? data : data.results;
    },
  });
}

/** The first rows of a related list: records of `meta` whose lookup `field` points at the parent. */
export function relatedQuery(meta: ObjectMeta, field: string, parentId: number) {
  return queryOptions({
    queryKey: recordKeys.related(meta.name, field, parentId),
    queryFn: ({ signal }) => api.get<Page<RecordData>>(meta.api_path, { [field]: parentId, page_size: 10 }, signal),
  });
}
