import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { isoDate } from "../../../records/fields/format";
import { mockFetch, renderWithApp } from "../../../testing/render";
import type { Activity } from "../api/activity-queries";
import { groupTasks } from "./group-tasks";
import { TodoPage } from "./todo-page";

afterEach(() => vi.unstubAllGlobals());

function task(id: number, subject: string, due_date: string | null): Activity {
  return {
    id,
    version: 3,
    type: "Task",
    subject,
    status: "Not Started",
    priority: "Normal",
    due_date,
    start_time: null,
    end_time: null,
    is_all_day_event: false,
    location: "",
    assigned_to_id: 1,
    assigned_to_name: "Demo Admin",
    what_type: "Account",
    what_id: 5,
    what_name: "Acme",
    who_type: "",
    who_id: null,
    who_name: null,
    completed_at: null,
  };
}

const shift = (days: number) => {
  const date = new Date();
  date.setDate(date.getDate() + days);
  return isoDate(date);
};

describe("groupTasks", () => {
  it("splits tasks into overdue, today, upcoming and no date, each sorted by due date", () => {
    const groups = groupTasks(
      [
        task(1, "Later", "2024-05-09"),
        task(2, "None", null),
        task(3, "Late", "2024-05-01"),
        task(4, "Now", "2024-05-05"),
        task(5, "Soon", "2024-05-06"),
        task(6, "Older", "2024-04-01"),
      ],
      "2024-05-05",
    );
    expect(groups.map((group) => [group.key, group.tasks.map((item) => item.subject)])).toEqual([
      ["overdue", ["Older", "Late"]],
      ["today", ["Now"]],
      ["upcoming", ["Soon", "Later"]],
      ["noDate", ["None"]],
    ]);
  });

  it("leaves out empty groups", () => {
    expect(groupTasks([task(1, "Now", "2024-05-05")], "2024-05-05").map((group) => group.key)).toEqual(["today"]);
  });
});

describe("TodoPage", () => {
  it("lists my open tasks by group and completes one with its version", async () => {
    const rows = [task(1, "Send proposal", shift(-2)), task(2, "Call back", shift(0)), task(3, "Plan kickoff", null)];
    const calls = mockFetch((call) => {
      if (call.method === "PATCH") return [200, { ...rows[1], status: "Completed", version: 4 }];
      return [200, { count: rows.length, next: null, previous: null, results: rows }];
    });
    renderWithApp(<TodoPage />);
    const overdue = await screen.findByRole("region", { name: "Overdue" });
    expect(within(overdue).getByText("Send proposal")).toBeInTheDocument();
    expect(within(screen.getByRole("region", { name: "Today" })).getByText("Call back")).toBeInTheDocument();
    expect(within(screen.getByRole("region", { name: "No Date" })).getByText("Plan kickoff")).toBeInTheDocument();
    expect(calls[0].url).toContain("type=Task&assigned_to=me&status_ne=Completed");

    fireEvent.click(screen.getByRole("checkbox", { name: "Mark “Call back” complete" }));
    await waitFor(() => expect(calls.some((call) => call.method === "PATCH")).toBe(true));
    const patch = calls.find((call) => call.method === "PATCH")!;
    expect(patch.url).toBe("/api/v1/activities/2");
    expect(patch.body).toEqual({ status: "Completed", version: 3 });
    expect(await screen.findByText("Task “Call back” was completed.")).toBeInTheDocument();
  });

  it("shows the conflict message when someone else changed the task", async () => {
    const rows = [task(7, "Renew contract", shift(1))];
    mockFetch((call) =>
      call.method === "PATCH"
        ? [409, { code: "version_conflict", message: "Stale", current_version: 5 }]
        : [200, { count: 1, next: null, previous: null, results: rows }],
    );
    renderWithApp(<TodoPage />);
    fireEvent.click(await screen.findByRole("checkbox", { name: "Mark “Renew contract” complete" }));
    expect(await screen.findByText("This record has been modified by another user since you opened it.")).toBeInTheDocument();
  });
});
