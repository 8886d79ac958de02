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
  list: (object: string, params: ListParams) => [object, "list", params] as const,
  detail: (object: string, id: number | string) => [object, String(id)] as const,
  history: (object: string, id: number | string) => [object, String(id), "history"] as const,
};

export function listQuery(meta: ObjectMeta, params: ListParams) {
  return queryOptions({
    queryKey: recordKeys.list(meta.name, params),
    queryFn: ({ signal }) => api.get<Page<RecordData>>(meta.api_path, params, signal),
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
