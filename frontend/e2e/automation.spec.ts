import { expect, test, type Page } from "@playwright/test";
import { apiGet, signIn } from "./helpers";

type List<T> = { count: number; results: T[] };
type WebForm = { id: number; name: string; key: string; public_url: string; snippet: string };
type Activity = { id: number; subject: string; type: string; due_date: string; who_type: string; who_id: number; assigned_to_id: number };
type Lead = { id: number; owner_id: number; lead_source: string };

const SHOTS = process.env.SCREENSHOTS ? "../docs/screenshots" : null;

async function shot(page: Page, name: string): Promise<void> {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

function localIso(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

test('build a workflow "new web lead → task for the owner in 1 day" and see it run', async ({ page }) => {
  // A web form in Setup › Web forms, with its embed code.
  await signIn(page, "/setup/web-forms");
  await expect(page.getByRole("heading", { level: 1, name: "Web Forms" })).toBeVisible();
  await page.getByRole("button", { name: "New Web Form" }).click();
  const dialog = page.getByRole("dialog", { name: "New Web Form" });
  await dialog.getByLabel("Form name").fill("Website contact");
  await dialog.getByLabel("Thank-you page URL").fill("https://agency.example/thanks");
  await dialog.getByLabel("On the form: Phone").check();
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Web form “Website contact” was saved.")).toBeVisible();
  const code = page.getByRole("textbox", { name: "Embed code" });
  await expect(code).toHaveValue(/name="last_name"/);
  await expect(code).toHaveValue(/name="phone"/);
  await shot(page, "setup-web-forms");
  const forms = await apiGet<List<WebForm>>(page, "web-forms");
  const form = forms.results.find((item) => item.name === "Website contact")!;

  // The workflow, built in the builder: form submitted → create a task for the owner, due in 1 day.
  await page.goto("/setup/workflows");
  await page.getByRole("link", { name: "New Workflow" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "New Workflow" })).toBeVisible();
  await page.getByLabel("Workflow name").fill("New web lead: call in a day");
  await page.getByLabel("Trigger", { exact: true }).selectOption("form_submitted");
  await page.getByLabel("Web form (empty: any)").selectOption(String(form.id));
  const step = page.getByRole("region", { name: "Step 1" });
  await step.getByLabel("Subject").fill("Call {record}");
  await step.getByLabel("Due in (days)").fill("1");
  await expect(step.getByLabel("Assign to")).toHaveValue("owner");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Workflow “New web lead: call in a day” was saved.")).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: "New web lead: call in a day" })).toBeVisible();
  await shot(page, "setup-workflow-builder");

  // A visitor posts the form from another site.
  const response = await page.request.post(`/api/v1/forms/${form.key}`, {
    form: { first_name: "Vera", last_name: "Koleva", company: "Koleva Studio", email: "vera@koleva.example", phone: "+359 2 555 0199" },
    headers: { Accept: "application/json", Origin: "https://agency.example" },
  });
  expect(response.status()).toBe(201);
  expect(response.headers()["access-control-allow-origin"]).toBe("*");
  const { lead_id: leadId } = (await response.json()) as { lead_id: number };

  // The run shows in the workflow's history, with its step.
  const history = page.getByRole("region", { name: "Run History" });
  await expect(
    history
      .getByRole("row")
      .filter({ hasText: `lead ${leadId}` })
      .getByText("Succeeded"),
  ).toBeVisible({ timeout: 20_000 });
  await history
    .getByRole("row")
    .filter({ hasText: `lead ${leadId}` })
    .getByRole("button", { name: /Details/ })
    .click();
  await expect(history.getByText("Create a task")).toBeVisible();
  await expect(history.getByText(/"task_id"/)).toBeVisible();
  await shot(page, "setup-workflow-runs");

  // The task is on the lead, for the lead's owner, due tomorrow.
  const lead = await apiGet<Lead>(page, `leads/${leadId}`);
  const tasks = await apiGet<List<Activity>>(page, `activities?type=Task&search=${encodeURIComponent("Call Vera Koleva")}`);
  expect(tasks.count).toBe(1);
  const tomorrow = new Date();
  tomorrow.setDate(tomorrow.getDate() + 1);
  expect(tasks.results[0]).toMatchObject({ who_type: "Lead", who_id: leadId, assigned_to_id: lead.owner_id, due_date: localIso(tomorrow) });
  await page.goto(`/o/lead/${leadId}`);
  await expect(page.getByRole("link", { name: "Call Vera Koleva" }).first()).toBeVisible();
  const runs = page.getByRole("region", { name: "Automation Runs" });
  // Other journeys' workflows may also run on new leads: this workflow's run is the one to see.
  await expect(runs.getByRole("row").filter({ hasText: "New web lead: call in a day" }).getByText("Succeeded")).toBeVisible();
  await shot(page, "lead-automation-runs");
});

test("Setup › Webhooks lists a webhook and its delivery log", async ({ page }) => {
  await signIn(page, "/setup/webhooks");
  await expect(page.getByRole("heading", { level: 1, name: "Webhooks" })).toBeVisible();
  await page.getByRole("button", { name: "New Webhook" }).click();
  const dialog = page.getByRole("dialog", { name: "New Webhook" });
  await dialog.getByLabel("Name").fill("Warehouse sync");
  // Nothing listens on port 9 here: every attempt fails and is logged.
  await dialog.getByLabel("Endpoint URL").fill("http://127.0.0.1:9/crm");
  await dialog.getByText("Stage changed").click();
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Webhook “Warehouse sync” was saved.")).toBeVisible();
  const row = page.getByRole("table", { name: "Webhooks" }).getByRole("row").filter({ hasText: "Warehouse sync" });
  await expect(row.getByText("Enabled")).toBeVisible();
  await expect(row.getByText("Record created, Stage changed")).toBeVisible();
  const log = page.getByRole("region", { name: "Delivery log of Warehouse sync" });
  await expect(log.getByText("Nothing sent yet.")).toBeVisible();

  // A new lead is an event the webhook subscribes to: the failed attempt shows in the log, to be retried.
  const csrf = (await page.context().cookies()).find((cookie) => cookie.name === "csrftoken")?.value ?? "";
  const created = await page.request.post("/api/v1/leads", {
    data: { last_name: "Hook", company: "Hook Ltd", status: "New" },
    headers: { "X-CSRFToken": csrf },
  });
  expect(created.status()).toBe(201);
  await expect(log.getByRole("row").filter({ hasText: "Record created" }).getByText("Retrying")).toBeVisible({ timeout: 20_000 });
  await expect(log.getByText(/ConnectionRefusedError/)).toBeVisible();
  await shot(page, "setup-webhooks");
});
