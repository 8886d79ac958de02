import { expect, test, type Page } from "@playwright/test";
import { apiGet, signIn } from "./helpers";

type List<T> = { count: number; results: T[] };
type Member = { lead_id: number | null; status: string };
type RunDetail = { status: string; step_runs: { step_type: string; status: string; result: Record<string, unknown> }[] };

const SHOTS = process.env.SCREENSHOTS ? "../docs/screenshots" : null;

async function shot(page: Page, name: string): Promise<void> {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

async function apiPost<T>(page: Page, path: string, data: object): Promise<T> {
  const csrf = (await page.context().cookies()).find((cookie) => cookie.name === "csrftoken")?.value ?? "";
  const response = await page.request.post(`/api/v1/${path}`, { data, headers: { "X-CSRFToken": csrf } });
  expect(response.status(), `POST ${path}`).toBe(201);
  return (await response.json()) as T;
}

test("a workflow mails an email template to a new lead and adds it to a campaign", async ({ page }) => {
  await signIn(page, "/setup/workflows");
  const stamp = Date.now();
  const template = await apiPost<{ id: number; name: string }>(page, "email-templates", {
    name: `Welcome ${stamp}`,
    subject: 'Welcome, {{ lead.first_name | default("there") }}',
    body: "<p>Thanks for your interest.</p>",
  });
  const campaign = await apiPost<{ id: number; name: string }>(page, "campaigns", { name: `Spring webinar ${stamp}` });

  // The builder: record created → send the template, add to the campaign as Responded.
  await page.getByRole("link", { name: "New Workflow" }).click();
  await page.getByLabel("Workflow name").fill(`Welcome new leads ${stamp}`);
  await page.getByRole("region", { name: "Step 1" }).getByRole("button", { name: "Remove" }).click();
  await page.getByLabel("Add Step").selectOption("send_email_template");
  await page.getByRole("button", { name: "Add Step" }).click();
  const send = page.getByRole("region", { name: "Step 1" });
  await expect(send.getByRole("heading")).toHaveText("Step 1: Send an email template");
  await send.getByLabel("Email template").selectOption(String(template.id));
  await page.getByLabel("Add Step").selectOption("add_to_campaign");
  await page.getByRole("button", { name: "Add Step" }).click();
  const add = page.getByRole("region", { name: "Step 2" });
  await add.getByLabel("Campaign").selectOption(String(campaign.id));
  await add.getByLabel("Member status").selectOption("Responded");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText(`Workflow “Welcome new leads ${stamp}” was saved.`)).toBeVisible();
  await shot(page, "setup-workflow-marketing-steps");

  // A new lead runs it: a tracked message queued for the lead, a Responded member of the campaign.
  const lead = await apiPost<{ id: number }>(page, "leads", {
    first_name: "Rada",
    last_name: "Ilieva",
    company: "Ilieva Consulting",
    email: `rada.${stamp}@ilieva.example`,
    status: "New",
  });
  const history = page.getByRole("region", { name: "Run History" });
  await expect(
    history
      .getByRole("row")
      .filter({ hasText: `lead ${lead.id}` })
      .getByText("Succeeded"),
  ).toBeVisible({ timeout: 20_000 });
  const runs = await apiGet<List<{ id: number }>>(page, `workflow-runs?object=lead&record_id=${lead.id}`);
  const run = await apiGet<RunDetail>(page, `workflow-runs/${runs.results[0].id}`);
  expect(run.step_runs.map((step) => [step.step_type, step.status])).toEqual([
    ["send_email_template", "succeeded"],
    ["add_to_campaign", "succeeded"],
  ]);
  expect(run.step_runs[0].result).toMatchObject({ email: `rada.${stamp}@ilieva.example`, status: "queued" });
  const members = await apiGet<Member[]>(page, `campaigns/${campaign.id}/members`);
  expect(members).toEqual([expect.objectContaining({ lead_id: lead.id, status: "Responded" })]);
});
