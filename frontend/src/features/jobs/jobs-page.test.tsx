import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockFetch, renderWithApp } from "../../testing/render";
import { JobsAdmin } from "./jobs-page";

afterEach(() => vi.unstubAllGlobals());

const job = (id: number, state: string, extra: object = {}) => ({
  id,
  task: `billing.task_${id}`,
  key: `k${id}`,
  args: {},
  state,
  attempts: 1,
  last_error: "",
  version: 1,
  created_at: "2026-12-01T10:00:00Z",
  updated_at: "2026-12-01T10:00:00Z",
  started_at: null,
  finished_at: null,
  ...extra,
});
const page = (results: object[]) => ({ count: results.length, next: null, previous: null, results });

describe("JobsAdmin", () => {
  it("shows each job's state and a failed job's error, and retries only failed jobs", async () => {
    const failed = job(2, "failed", { last_error: "RuntimeError: SMTP refused", attempts: 5 });
    const calls = mockFetch((call) => (call.method === "POST" ? [200, { ...failed, state: "queued" }] : [200, page([job(3, "succeeded"), failed])]));
    renderWithApp(<JobsAdmin />);
    const row = (await screen.findByRole("rowheader", { name: "billing.task_2" })).closest("tr") as HTMLElement;
    expect(within(row).getByText("Failed")).toHaveClass("slds-theme_error");
    expect(within(row).getByText("RuntimeError: SMTP refused")).toBeInTheDocument();
    const done = screen.getByRole("rowheader", { name: "billing.task_3" }).closest("tr") as HTMLElement;
    expect(within(done).getByText("Succeeded")).toBeInTheDocument();
    expect(within(done).queryByRole("button")).toBeNull();
    fireEvent.click(within(row).getByRole("button", { name: "Retry billing.task_2" }));
    expect(await screen.findByText("billing.task_2 is queued again.")).toBeInTheDocument();
    expect(calls.find((call) => call.method === "POST")?.url).toBe("/api/v1/jobs/2/retry");
  });

  it("asks the server for one state and shows its refusal of a retry", async () => {
    const failed = job(4, "failed", { last_error: "boom" });
    const calls = mockFetch((call) =>
      call.method === "POST" ? [409, { code: "job_not_failed", message: "Only a failed job can be retried." }] : [200, page([failed])],
    );
    renderWithApp(<JobsAdmin />);
    fireEvent.change(await screen.findByLabelText("State"), { target: { value: "failed" } });
    await waitFor(() => expect(calls.some((call) => call.url.includes("state=failed"))).toBe(true));
    fireEvent.click(await screen.findByRole("button", { name: "Retry billing.task_4" }));
    expect(await screen.findByText("Only a failed job can be retried.")).toBeInTheDocument();
  });
});
