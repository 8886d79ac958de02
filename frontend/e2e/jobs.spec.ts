import { expect, test, type Page } from "@playwright/test";
import { apiGet, signIn } from "./helpers";

type Job = { id: number; task: string; state: string; last_error: string; attempts: number };
type List<T> = { count: number; results: T[] };

const SHOTS = process.env.SCREENSHOTS ? "../docs/screenshots" : null;

async function shot(page: Page, name: string): Promise<void> {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

test("an admin sees a failed job with its error in Setup › Jobs and retries it", async ({ page }) => {
  await signIn(page, "/setup/jobs");
  await expect(page.getByRole("heading", { level: 1, name: "Jobs" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Jobs" })).toHaveAttribute("aria-current", "page");

  const table = page.getByRole("table", { name: "Jobs" });
  const row = table.getByRole("row").filter({ hasText: "jobs.probe" }).first();
  await expect(row.getByText("Failed", { exact: true })).toBeVisible();
  await expect(row.getByText("ProbeFailure: The probe job was asked to fail")).toBeVisible();
  await shot(page, "setup-jobs");

  // Only failed jobs: the filter asks the server for that state.
  await page.getByLabel("State").selectOption("failed");
  await expect(table.getByRole("row")).toHaveCount(2); // the header and the failed job

  await row.getByRole("button", { name: "Retry jobs.probe" }).click();
  await expect(page.getByRole("status").filter({ hasText: "jobs.probe is queued again." })).toBeVisible();
  const failed = await apiGet<List<Job>>(page, "jobs?state=failed");
  expect(failed.count).toBe(0);
  const jobs = await apiGet<List<Job>>(page, "jobs");
  expect(jobs.results.find((job) => job.task === "jobs.probe")?.state).toBe("queued");

  // Back to every state: the job is listed as queued (no worker runs in the browser tests).
  await page.getByLabel("State").selectOption("");
  await expect(table.getByRole("row").filter({ hasText: "jobs.probe" }).getByText("Queued", { exact: true })).toBeVisible();
  await expect(table.getByRole("button", { name: /Retry/ })).toHaveCount(0);
});
