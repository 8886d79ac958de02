import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../../lib/api-client";
import type { RecordData } from "../metadata/types";

export const ACTIVITY_OBJECT = "activity";
export const TASK_STATUSES = ["Not Started", "In Progress", "Completed", "Waiting on someone else", "Deferred"] as const;
export const PRIORITIES = ["High", "Normal", "Low"] as const;
/** Objects an activity can be related to (What) and people it can name (Who), as search object names. */
export const WHAT_OBJECTS = ["account", "opportunity", "case", "order", "contract"] as const;
export const WHO_OBJECTS = ["contact", "lead"] as const;

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

/** Every query holding activities starts with this key, so one invalidation refreshes lists, to-do and calendar. */
export const activityKeys = {
  all: [ACTIVITY_OBJECT] as const,
  todo: (userId: number | undefined) => [ACTIVITY_OBJECT, "todo", userId] as const,
  calendar: (start: string, end: string) => [ACTIVITY_OBJECT, "calendar", start, end] as const,
};

export function useCreateActivity() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) => api.post<Activity>("activities", body),
    onSuccess: (activity) => {
      void queryClient.invalidateQueries({ queryKey: activityKeys.all });
      // Record pages embed their timeline: refresh the records the activity points at.
      for (const link of [linkedRecord(activity.what_type, activity.what_id, null), linkedRecord(activity.who_type, activity.who_id, null)]) {
        if (link) void queryClient.invalidateQueries({ queryKey: [link.object, String(link.id)] });
      }
    },
  });
}

/** Local date as YYYY-MM-DD (not UTC: "today" is the user's today). */
export function isoDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** When an activity happens, for sorting: the event start, else the task due date, else its creation. */
export function activityWhen(activity: Pick<Activity, "start_time" | "due_date"> & { created_at?: string }): string {
  return activity.start_time ?? (activity.due_date ? `${activity.due_date}T23:59:59` : (activity.created_at ?? ""));
}
