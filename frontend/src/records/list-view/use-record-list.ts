import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useSearchParams } from "react-router";
import { listCountQuery, listQuery, type ListParams } from "../api/record-queries";
import type { ObjectMeta } from "../metadata/types";

export const PAGE_SIZE = 25;

export type ListState = {
  search: string;
  ordering: string;
  scope: "mine" | "all";
  filters: Record<string, string>;
};

/**
 * List view state lives in the URL (?q=&sort=&scope=&f.type=) so views can be linked and reloaded.
 * The page does not: pages are reached by keyset cursors kept in memory (see useRecordList), so a
 * reload starts again at page 1.
 */
export function useListState(meta: ObjectMeta | undefined) {
  const [params, setParams] = useSearchParams();
  const filters: Record<string, string> = {};
  params.forEach((value, key) => {
    if (key.startsWith("f.") && value) filters[key.slice(2)] = value;
  });
  const state: ListState = {
    search: params.get("q") ?? "",
    ordering: params.get("sort") ?? meta?.default_ordering ?? "",
    scope: params.get("scope") === "mine" ? "mine" : "all",
    filters,
  };
  const update = (changes: Partial<ListState>) => {
    const next = { ...state, ...changes };
    const search = new URLSearchParams();
    if (next.search) search.set("q", next.search);
    if (next.ordering && next.ordering !== meta?.default_ordering) search.set("sort", next.ordering);
    if (next.scope === "mine") search.set("scope", "mine");
    for (const [key, value] of Object.entries(next.filters)) if (value) search.set(`f.${key}`, value);
    setParams(search, { replace: true });
  };
  return { state, update };
}

/** Which rows the list holds: what the user searched for, the scope and the filters. */
function toFilterParams(state: ListState): ListParams {
  return {
    search: state.search || undefined,
    owner: state.scope === "mine" ? "me" : undefined,
    ...state.filters,
  };
}

/** The rows the list asks for, in the user's order. */
export function toListParams(state: ListState): ListParams {
  return { ...toFilterParams(state), ordering: state.ordering || undefined };
}

const FIRST_PAGE = [""];

/**
 * A list read page by page with keyset cursors, plus its count.
 *
 * Each page is a `?cursor=` request (no count, as cheap deep in the list as at the start). The
 * cursors already seen are a stack, so Previous goes back through them; any change of search,
 * sort, filter or scope starts again from the first page. The count is one page-number request
 * per search/filter/scope (sorting does not change it, nor does paging), capped by the server.
 */
export function useRecordList(meta: ObjectMeta | undefined, state: ListState) {
  const params = toListParams(state);
  const listKey = JSON.stringify(params);
  const [stack, setStack] = useState({ key: listKey, cursors: FIRST_PAGE });
  // A new search, sort, filter or scope drops the cursors of the old one (also when it comes back).
  if (stack.key !== listKey) setStack({ key: listKey, cursors: FIRST_PAGE });
  const cursors = stack.key === listKey ? stack.cursors : FIRST_PAGE;
  const rows = useQuery({
    ...listQuery(meta as ObjectMeta, { ...params, page_size: PAGE_SIZE }, cursors[cursors.length - 1]),
    enabled: Boolean(meta),
  });
  const count = useQuery({ ...listCountQuery(meta as ObjectMeta, toFilterParams(state)), enabled: Boolean(meta) });
  const nextCursor = rows.data?.next_cursor ?? null;
  // While a page loads, the rows (and next_cursor) shown are the previous page's: not a way forward.
  const canNext = Boolean(nextCursor) && !rows.isPlaceholderData;
  return {
    rows,
    count,
    /** 1-based number of the page shown. */
    page: cursors.length,
    /** The server says there is a page after this one. */
    hasNext: Boolean(nextCursor),
    canNext,
    next: () => {
      if (canNext && nextCursor) setStack({ key: listKey, cursors: [...cursors, nextCursor] });
    },
    previous: () => {
      if (cursors.length > 1) setStack({ key: listKey, cursors: cursors.slice(0, -1) });
    },
  };
}
