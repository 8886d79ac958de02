import { expect, test } from "@playwright/test";
import { apiGet, signIn } from "./helpers";

type Activity = {
  id: number;
  subject: string;
  type: string;
  status: string;
  due_date: string | null;
  start_time: string | null;
  end_time: string | null;
  what_type: string;
  what_id: number | null;
};
type Page<T> = { count: number; results: T[] };

function localIso(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

test("create and complete a task from the To-Do list", async ({ page }) => {
  await signIn(page, "/todo");
  await expect(page.getByRole("heading", { level: 1, name: "To-Do List" })).toBeVisible();
  await page.getByRole("button", { name: "New Task" }).click();
  const dialog = page.getByRole("dialog", { name: "New Task" });
  await dialog.getByLabel("Subject").fill("Send the signed proposal");
  await dialog.getByLabel("Priority").selectOption("High");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Task “Send the signed proposal” was created.")).toBeVisible();
  const today = page.getByRole("region", { name: "Today" });
  await expect(today.getByRole("link", { name: "Send the signed proposal" })).toBeVisible();

  const created = await apiGet<Page<Activity>>(page, "activities?type=Task&search=Send%20the%20signed%20proposal");
  expect(created.count).toBe(1);
  expect(created.results[0]).toMatchObject({ status: "Not Started", due_date: localIso(new Date()) });

  // The SLDS checkbox input is visually hidden; a user clicks the styled box in its label.
  const item = page.getByRole("listitem").filter({ has: page.getByRole("checkbox", { name: "Mark “Send the signed proposal” complete" }) });
  await item.locator(".slds-checkbox_faux").click();
  await expect(page.getByText("Task “Send the signed proposal” was completed.")).toBeVisible();
  await expect(page.getByRole("link", { name: "Send the signed proposal" })).toHaveCount(0);
  const done = await apiGet<Activity>(page, `activities/${created.results[0].id}`);
  expect(done.status).toBe("Completed");
});

test("create an event from the calendar", async ({ page }) => {
  await signIn(page, "/calendar");
  const day = new Date();
  day.setDate(15);
  const date = localIso(day);
  // Click the empty lower part of the day cell (events sit at the top).
  const cell = page.locator(`.fc-daygrid-day[data-date="${date}"]`);
  const box = (await cell.boundingBox())!;
  await cell.click({ position: { x: 12, y: box.height - 6 } });
  const dialog = page.getByRole("dialog", { name: "New Event" });
  await expect(dialog.getByLabel("Start")).toHaveValue(`${date}T09:00`);
  await dialog.getByLabel("Subject").fill("Design review with client");
  await dialog.getByLabel("Location").fill("Meeting room 2");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Event “Design review with client” was created.")).toBeVisible();
  await expect(page.locator(`.fc-daygrid-day[data-date="${date}"]`).getByText("Design review with client")).toBeVisible();

  const saved = await apiGet<Page<Activity>>(page, `activities?type=Event&assigned_to=me&start_date=${date}&end_date=${date}`);
  const event = saved.results.find((row) => row.subject === "Design review with client");
  expect(event).toBeTruthy();
  const start = new Date(event!.start_time!);
  expect(localIso(start)).toBe(date);
  expect(start.getHours()).toBe(9);
  expect(new Date(event!.end_time!).getTime() - start.getTime()).toBe(60 * 60_000);

  await page.locator(".fc-event", { hasText: "Design review with client" }).click();
  await expect(page).toHaveURL(new RegExp(`/o/activity/${event!.id}$`));
});

test("log a call from a record's activity timeline", async ({ page }) => {
  await signIn(page);
  const accounts = await apiGet<Page<{ id: number; name: string }>>(page, "accounts?ordering=name&page_size=1");
  const account = accounts.results[0];
  await page.goto(`/o/account/${account.id}`);
  const timeline = page.getByRole("article", { name: /^Activity \(\d+\)$/ });
  await timeline.getByRole("button", { name: "Log a Call" }).click();
  const dialog = page.getByRole("dialog", { name: "Log a Call" });
  await expect(dialog.getByLabel("Related To")).toHaveValue(account.name);
  await dialog.getByLabel("Comments").fill("Talked about the next sprint.");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(timeline.getByRole("link", { name: "Call" }).first()).toBeVisible();
  const calls = await apiGet<Page<Activity>>(page, `activities?what_type=Account&what_id=${account.id}&status=Completed&search=Call`);
  expect(calls.results.some((row) => row.what_id === account.id && row.type === "Task")).toBe(true);
});
