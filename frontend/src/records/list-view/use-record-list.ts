import { useQuery } from "@tanstack/react-query";
import { useSearchParams } from "react-router";
import { listQuery, type ListParams } from "../api/record-queries";
import type { ObjectMeta } from "../metadata/types";

export const PAGE_SIZE = 25;

export type ListState = {
  search: string;
  ordering: string;
  page: number;
  scope: "mine" | "all";
  filters: Record<string, string>;
};

/** List view state lives in the URL (?q=&sort=&page=&scope=&f.type=) so views can be linked and reloaded. */
export function useListState(meta: ObjectMeta | undefined) {
  const [params, setParams] = useSearchParams();
  const filters: Record<string, string> = {};
  params.forEach((value, key) => {
    if (key.startsWith("f.") && value) filters[key.slice(2)] = value;
  });
  const state: ListState = {
    search: params.get("q") ?? "",
    ordering: params.get("sort") ?? meta?.default_ordering ?? "",
    page: Math.max(1, Number(params.get("page") ?? "1") || 1),
    scope: params.get("scope") === "mine" ? "mine" : "all",
    filters,
  };
  const update = (changes: Partial<ListState>) => {
    const next = { ...state, page: 1, ...changes };
    const search = new URLSearchParams();
    if (next.search) search.set("q", next.search);
    if (next.ordering && next.ordering !== meta?.default_ordering) search.set("sort", next.ordering);
    if (next.page > 1) search.set("page", String(next.page));
    if (next.scope === "mine") search.set("scope", "mine");
    for (const [key, value] of Object.entries(next.filters)) if (value) search.set(`f.${key}`, value);
    setParams(search, { replace: true });
  };
  return { state, update };
}

export function toListParams(state: ListState, pageSize = PAGE_SIZE): ListParams {
  return {
    search: state.search || undefined,
    ordering: state.ordering || undefined,
    page: state.page,
    page_size: pageSize,
    owner: state.scope === "mine" ? "me" : undefined,
    ...state.filters,
  };
}

export function useRecordList(meta: ObjectMeta | undefined, state: ListState) {
  return useQuery({
    ...listQuery(meta as ObjectMeta, toListParams(state)),
    enabled: Boolean(meta),
  });
}
