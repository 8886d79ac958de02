import { queryOptions } from "@tanstack/react-query";
import { api, type Page } from "../../../lib/api-client";
import { recordKeys } from "../../../records/api/record-queries";
import type { components } from "../../../lib/api-types";
import type { RecordData } from "../../../records/metadata/types";

/** The few activity fields the dashboard lists. */
export type DashboardActivity = {
  id: number;
  subject: string;
  due_date: string | null;
  start_time: string | null;
  is_all_day_event: boolean;
};

/**
 * The summary comes from GET /dashboard; the short lists sit under each object's key ("activity",
 * "order"), so a change to those records refreshes them too.
 */
export const dashboardKeys = {
  summary: () => ["dashboard", "summary"] as const,
  myTasks: (userId: number | undefined) => [...recordKeys.all("activity"), "todo", userId, "dashboard"] as const,
  myEvents: (day: string) => [...recordKeys.all("activity"), "calendar", day, day, "dashboard"] as const,
  ordersWithBalance: () => [...recordKeys.all("order"), "list", "has-balance-dashboard"] as const,
};

export type Dashboard = components["schemas"]["Dashboard"];

/** Every tile computed on the server in one request (what the user may see); fresh on every visit. */
export function dashboardQuery() {
  return queryOptions({
    queryKey: dashboardKeys.summary(),
    queryFn: ({ signal }) => api.get<Dashboard>("dashboard", undefined, signal),
    staleTime: 0,
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
