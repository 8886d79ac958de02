import { keepPreviousData, queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { api, type Page } from "../../../lib/api-client";
import { recordKeys } from "../../../records/api/record-queries";
import { picklistOptions } from "../../../records/metadata/use-object-meta";
import type { MetaIndex, RecordData } from "../../../records/metadata/types";

export const ACTIVITY_OBJECT = "activity";
/** The task status that means done: the To-Do list leaves these out and a logged call starts with it. */
export const TASK_COMPLETED = "Completed";
/** The priority a new task starts with. */
export const DEFAULT_PRIORITY = "Normal";

export type ActivityKind = "task" | "event" | "call";

export type Activity = RecordData & {
  type: "Task" | "Event";
  subject: string;
  description?: string;
  status: string;
  priority: string;
  due_date: string | null;
  start_time: string | null;
  end_time: string | null;
  is_all_day_event: boolean;
  location: string;
  assigned_to_id: number | null;
  assigned_to_name: string | null;
  what_type: string;
  what_id: number | null;
  what_name: string | null;
  who_type: string;
  who_id: number | null;
  who_name: string | null;
  completed_at: string | null;
};

/** A record an activity points at: object name ("account") plus id and display title. */
export type LinkedRecord = { object: string; id: number; title: string };

/** "account" -> "Account", the label the activities API stores as what_type / who_type. */
export function linkTypeLabel(object: string): string {
  return object.charAt(0).toUpperCase() + object.slice(1);
}

export function linkedRecord(type: string | null | undefined, id: number | null | undefined, name: string | null | undefined): LinkedRecord | null {
  if (!type || id === null || id === undefined) return null;
  return { object: type.toLowerCase(), id, title: name ?? `#${id}` };
}

/** Objects an activity can be related to (What: "what_type") or name (Who: "who_type"), as object names, from the metadata. */
export function linkObjects(metaIndex: MetaIndex | undefined, typeField: "what_type" | "who_type"): string[] {
  return picklistOptions(metaIndex, ACTIVITY_OBJECT, typeField).map((option) => option.toLowerCase());
}

/** Every query holding activities starts with the object's key, so one invalidation refreshes lists, to-do, calendar and dashboard. */
export const activityKeys = {
  all: recordKeys.all(ACTIVITY_OBJECT),
  todo: (userId: number | undefined) => [ACTIVITY_OBJECT, "todo", userId] as const,
  calendar: (start: string, end: string) => [ACTIVITY_OBJECT, "calendar", start, end] as const,
};

/** My open tasks, earliest due first. */
export function todoQuery(userId: number | undefined) {
  return queryOptions({
    queryKey: activityKeys.todo(userId),
    queryFn: ({ signal }) =>
      api.get<Page<Activity>>("activities", { type: "Task", assigned_to: "me", status_ne: TASK_COMPLETED, ordering: "due_date", page_size: 200 }, signal),
  });
}

/** My events between two dates (both included), in start order. */
export function calendarQuery(start: string, end: string) {
  return queryOptions({
    queryKey: activityKeys.calendar(start, end),
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) =>
      api.get<Page<Activity>>(
        "activities",
        { type: "Event", assigned_to: "me", start_date: start, end_date: end, ordering: "start_time", page_size: 500 },
        signal,
      ),
  });
}

export function useCreateActivity() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) => api.post<Activity>("activities", body),
    onSuccess: (activity) => {
      void queryClient.invalidateQueries({ queryKey: activityKeys.all });
      // Record pages embed their timeline: refresh the records the activity points at.
      for (const link of [linkedRecord(activity.what_type, activity.what_id, null), linkedRecord(activity.who_type, activity.who_id, null)]) {
        if (link) void queryClient.invalidateQueries({ queryKey: recordKeys.detail(link.object, link.id) });
      }
    },
  });
}

/** When an activity happens, for sorting: the event start, else the task due date, else its creation. */
export function activityWhen(activity: Pick<Activity, "start_time" | "due_date"> & { created_at?: string }): string {
  return activity.start_time ?? (activity.due_date ? `${activity.due_date}T23:59:59` : (activity.created_at ?? ""));
}
