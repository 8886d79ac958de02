import { queryOptions } from "@tanstack/react-query";
import { api, type Page } from "../../../lib/api-client";
import { recordKeys } from "../../../records/api/record-queries";
import type { RecordData } from "../../../records/metadata/types";
import type { PipelineStage } from "../pipeline-chart";

/** The few activity fields the dashboard lists. */
export type DashboardActivity = {
  id: number;
  subject: string;
  due_date: string | null;
  start_time: string | null;
  is_all_day_event: boolean;
};

/**
 * Dashboard queries sit under each object's key ("opportunity", "activity", "order", "case"), so
 * a change to those records refreshes the tiles too.
 */
export const dashboardKeys = {
  pipeline: () => [...recordKeys.all("opportunity"), "pipeline", "dashboard"] as const,
  wonInQuarter: (stages: string[], start: string, end: string) => [...recordKeys.all("opportunity"), "won-quarter", stages, start, end] as const,
  myTasks: (userId: number | undefined) => [...recordKeys.all("activity"), "todo", userId, "dashboard"] as const,
  myEvents: (day: string) => [...recordKeys.all("activity"), "calendar", day, day, "dashboard"] as const,
  ordersWithBalance: () => [...recordKeys.all("order"), "list", "has-balance-dashboard"] as const,
  openCases: (priority: string) => [...recordKeys.all("case"), "list", { priority, is_closed: false, dashboard: true }] as const,
};

/** Every row of a list endpoint (follows `next`), for sums the API does not aggregate. */
async function allRows<T>(path: string, query: Record<string, string | number>, signal: AbortSignal): Promise<T[]> {
  const rows: T[] = [];
  let page = await api.get<Page<T>>(path, { ...query, page_size: 100 }, signal);
  rows.push(...page.results);
  for (let guard = 0; page.next && guard < 50; guard += 1) {
    const next = page.next.slice(page.next.indexOf("/api/v1/") + "/api/v1/".length);
    page = await api.get<Page<T>>(next, undefined, signal);
    rows.push(...page.results);
  }
  return rows;
}

export function pipelineSummaryQuery() {
  return queryOptions({
    queryKey: dashboardKeys.pipeline(),
    queryFn: ({ signal }) => api.get<{ stages: PipelineStage[] }>("opportunities/pipeline", { limit_per_stage: 1 }, signal),
  });
}

/** Count and amount of the opportunities closed in a won stage within the dates. */
export function wonInQuarterQuery(wonStages: string[], start: string, end: string) {
  return queryOptions({
    queryKey: dashboardKeys.wonInQuarter(wonStages, start, end),
    queryFn: async ({ signal }) => {
      const rows = (
        await Promise.all(wonStages.map((stage) => allRows<RecordData>("opportunities", { stage, close_date_after: start, close_date_before: end }, signal)))
      ).flat();
      return { count: rows.length, amount: rows.reduce((sum, row) => sum + Number(row.amount ?? 0), 0) };
    },
  });
}

/** Open tasks are the ones not in the done status (the same filter as the To-Do list). */
const OPEN_TASKS = { type: "Task", status_ne: "Completed" };

export function myTasksQuery(userId: number | undefined) {
  return queryOptions({
    queryKey: dashboardKeys.myTasks(userId),
    queryFn: ({ signal }) => api.get<Page<DashboardActivity>>("activities", { ...OPEN_TASKS, assigned_to: "me", ordering: "due_date", page_size: 5 }, signal),
  });
}

export function myEventsQuery(day: string) {
  return queryOptions({
    queryKey: dashboardKeys.myEvents(day),
    queryFn: ({ signal }) =>
      api.get<Page<DashboardActivity>>(
        "activities",
        { type: "Event", assigned_to: "me", start_date: day, end_date: day, ordering: "start_time", page_size: 10 },
        signal,
      ),
  });
}

export function ordersWithBalanceQuery() {
  return queryOptions({
    queryKey: dashboardKeys.ordersWithBalance(),
    queryFn: ({ signal }) => api.get<Page<RecordData>>("orders", { has_balance: "true", ordering: "order_date", page_size: 5 }, signal),
  });
}

export function openCasesQuery(priority: string) {
  return queryOptions({
    queryKey: dashboardKeys.openCases(priority),
    queryFn: ({ signal }) => api.get<Page<RecordData>>("cases", { priority, is_closed: "false", page_size: 1 }, signal),
  });
}
