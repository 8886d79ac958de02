import { expect, test } from "@playwright/test";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { apiGet, signIn } from "./helpers";

// Documentation screenshots of the dashboard, activities, reports and setup pages (SCREENSHOTS=1).
const OUT = resolve(dirname(fileURLToPath(import.meta.url)), "../../docs/screenshots");
test.skip(!process.env.SCREENSHOTS, "set SCREENSHOTS=1 to refresh the documentation screenshots");

test("dashboard, to-do, calendar, reports, users and timeline screenshots", async ({ page }) => {
  mkdirSync(OUT, { recursive: true });
  await signIn(page, "/");
  await expect(page.getByRole("article", { name: "Pipeline by Stage" }).locator("svg").first()).toBeVisible();
  await page.waitForTimeout(800);
  await page.screenshot({ path: `${OUT}/home-dashboard.png`, fullPage: true });

  await page.goto("/todo");
  await expect(page.getByRole("heading", { level: 1, name: "To-Do List" })).toBeVisible();
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${OUT}/todo-list.png`, fullPage: true });

  await page.goto("/calendar");
  await expect(page.locator(".fc-daygrid-day").first()).toBeVisible();
  await page.waitForTimeout(800);
  await page.screenshot({ path: `${OUT}/calendar-month.png`, fullPage: true });

  await page.goto(`/reports?year=${new Date().getFullYear()}`);
  await expect(page.getByRole("heading", { level: 1, name: "Retainer Payments by Month" })).toBeVisible();
  await page.waitForTimeout(800);
  await page.screenshot({ path: `${OUT}/retainer-report.png`, fullPage: true });

  await page.goto("/setup/users");
  await expect(page.getByRole("table", { name: "Users" })).toBeVisible();
  await expect(page.getByText("admin@example.com")).toBeVisible();
  await page.screenshot({ path: `${OUT}/users-admin.png`, fullPage: true });

  await page.goto("/setup/stages");
  await expect(page.getByRole("table", { name: "Stage Settings" })).toBeVisible();
  await page.screenshot({ path: `${OUT}/stage-settings.png`, fullPage: true });

  const accounts = await apiGet<{ results: { id: number }[] }>(page, "accounts?ordering=name&page_size=1");
  await page.goto(`/o/account/${accounts.results[0].id}`);
  await expect(page.getByRole("article", { name: /^Activity \(\d+\)$/ })).toBeVisible();
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${OUT}/record-activity-timeline.png`, fullPage: true });
  await page.getByRole("button", { name: "New Task" }).click();
  await expect(page.getByRole("dialog", { name: "New Task" })).toBeVisible();
  await page.screenshot({ path: `${OUT}/new-task-modal.png` });
  await page.keyboard.press("Escape");

  await page.getByLabel("Search").fill("ac");
  await expect(page.getByRole("listbox", { name: "Search" })).toBeVisible();
  await page.waitForTimeout(600);
  await page.screenshot({ path: `${OUT}/global-search.png` });

  await page.setViewportSize({ width: 375, height: 812 });
  await page.goto("/");
  await expect(page.getByRole("article", { name: "Pipeline by Stage" })).toBeVisible();
  await page.waitForTimeout(800);
  await page.screenshot({ path: `${OUT}/mobile-home-dashboard.png`, fullPage: true });
  await page.goto(`/reports?year=${new Date().getFullYear()}`);
  await page.waitForTimeout(800);
  await page.screenshot({ path: `${OUT}/mobile-retainer-report.png` });
});
