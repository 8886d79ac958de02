import type { Activity } from "../api/activity-queries";

export type TaskGroupKey = "overdue" | "today" | "upcoming" | "noDate";
export type TaskGroup = { key: TaskGroupKey; tasks: Activity[] };

const ORDER: TaskGroupKey[] = ["overdue", "today", "upcoming", "noDate"];

/** Splits open tasks into Overdue / Today / Upcoming / No date (today is a local YYYY-MM-DD), each by due date. */
export function groupTasks(tasks: Activity[], today: string): TaskGroup[] {
  const groups: Record<TaskGroupKey, Activity[]> = { overdue: [], today: [], upcoming: [], noDate: [] };
  for (const task of tasks) {
    const due = task.due_date;
    if (!due) groups.noDate.push(task);
    else if (due < today) groups.overdue.push(task);
    else if (due === today) groups.today.push(task);
    else groups.upcoming.push(task);
  }
  const byDue = (a: Activity, b: Activity) => (a.due_date ?? "").localeCompare(b.due_date ?? "") || a.subject.localeCompare(b.subject);
  return ORDER.map((key) => ({ key, tasks: groups[key].sort(byDue) })).filter((group) => group.tasks.length > 0);
}
