import { expect, test, type Page } from "@playwright/test";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { apiGet, htmlOfMailTo, signIn } from "./helpers";

// Documentation screenshots of the marketing pages (SCREENSHOTS=1): template editor, segment
// builder, email send with statistics, campaign with ROI and members, the Marketing menu.
const OUT = resolve(dirname(fileURLToPath(import.meta.url)), "../../docs/screenshots");
test.skip(!process.env.SCREENSHOTS, "set SCREENSHOTS=1 to refresh the documentation screenshots");

type Created = { id: number; name: string };

async function post<T>(page: Page, path: string, data: object): Promise<T> {
  const token = (await page.context().cookies()).find((cookie) => cookie.name === "csrftoken")?.value ?? "";
  const response = await page.request.post(`/api/v1/${path}`, { data, headers: { "X-CSRFToken": token } });
  expect(response.ok(), `POST ${path}: ${await response.text()}`).toBe(true);
  return (await response.json()) as T;
}

test("marketing pages", async ({ page }) => {
  test.setTimeout(150_000);
  mkdirSync(OUT, { recursive: true });
  await signIn(page, "/");
  const stamp = Date.now().toString(36);
  const account = (await apiGet<{ results: { id: number }[] }>(page, "accounts?page_size=1")).results[0];
  const people: Created[] = [];
  for (const [first, last] of [
    ["Mila", "Dimitrova"],
    ["Petar", "Stoyanov"],
    ["Elena", "Koleva"],
  ]) {
    people.push(
      await post<Created>(page, "contacts", {
        first_name: first,
        last_name: last,
        email: `${first.toLowerCase()}@${stamp}.newsletter.example`,
        account_id: account.id,
      }),
    );
  }
  const parent = await post<Created>(page, "campaigns", {
    name: `Spring launch ${stamp}`,
    type: "Email",
    status: "In Progress",
    budgeted_cost: "5000",
    actual_cost: "3200",
    expected_revenue: "20000",
  });
  await post(page, "campaigns", {
    name: `Spring webinar ${stamp}`,
    type: "Webinar",
    status: "Planned",
    parent_id: parent.id,
    budgeted_cost: "800",
    actual_cost: "650",
  });
  for (const person of people) await post(page, `campaigns/${parent.id}/members`, { contact_id: person.id, status: "Sent" });
  const template = await post<Created>(page, "email-templates", {
    name: `Spring newsletter ${stamp}`,
    subject: 'Spring news for {{ contact.first_name | default("you") }}',
    body_format: "mjml",
    body:
      '<mjml><mj-body><mj-section><mj-column><mj-text font-size="20px">Hi {{ contact.first_name | default("there") }},</mj-text>' +
      '<mj-text>Our spring collection is here, with early-bird prices for {{ contact.account.name | default("your team") }}.</mj-text>' +
      '<mj-button href="https://shop.example/spring">See the collection</mj-button></mj-column></mj-section></mj-body></mjml>',
    text_body: "",
  });
  const segment = await post<Created>(page, "segments", {
    name: `Newsletter readers ${stamp}`,
    target: "contacts",
    definition: {
      match: "all",
      conditions: [
        { field: "email", op: "contains", value: `@${stamp}.newsletter.example` },
        {
          match: "any",
          conditions: [
            { type: "campaign", campaign_id: parent.id },
            { type: "last_activity", op: "within_days", days: 90 },
          ],
        },
      ],
    },
  });
  const send = await post<Created>(page, "email-campaigns", { name: `Spring newsletter send ${stamp}`, template_id: template.id, campaign_id: parent.id });

  // The Marketing menu in the app navigation.
  await page.getByRole("button", { name: "Marketing" }).click();
  await expect(page.getByRole("menu", { name: "Marketing" })).toBeVisible();
  await page.screenshot({ path: `${OUT}/marketing-menu.png` });
  await page.keyboard.press("Escape");

  await page.goto(`/o/email_template/${template.id}`);
  await page.getByRole("combobox", { name: "Preview with" }).fill("Dimitrova");
  await page
    .getByRole("option", { name: /Mila Dimitrova/ })
    .first()
    .click();
  await expect(page.getByTestId("preview-subject")).toHaveText("Spring news for Mila");
  await page.waitForTimeout(800);
  await page.screenshot({ path: `${OUT}/marketing-template-editor.png`, fullPage: true });

  await page.goto(`/o/segment/${segment.id}`);
  await expect(page.getByTestId("segment-count")).toHaveText("3");
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${OUT}/marketing-segment-builder.png`, fullPage: true });

  await page.goto(`/o/email_campaign/${send.id}`);
  await page.getByRole("button", { name: "Send…" }).click();
  await page
    .getByRole("dialog", { name: /^Send “/ })
    .getByRole("button", { name: "Send Now" })
    .click();
  await expect(page.getByTestId("send-status")).toHaveText("Completed", { timeout: 30_000 });
  // Two readers open the mail and one clicks its link (after the first seconds, which count as scanners').
  await page.waitForTimeout(2500);
  const reader = { "User-Agent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15" };
  for (const [index, person] of ["mila", "petar"].entries()) {
    let html: string | null = null;
    await expect.poll(() => (html = htmlOfMailTo(`${person}@${stamp}.newsletter.example`, "Spring news for")) !== null).toBe(true);
    await page.request.get(html!.match(/src="https?:\/\/[^/"]+(\/t\/o\/[^"]+)"/)![1], { headers: reader });
    if (index === 0) await page.request.get(html!.match(/href="https?:\/\/[^/"]+(\/t\/c\/[^"]+)"/)![1], { headers: reader, maxRedirects: 0 });
  }
  await page.goto(`/o/email_campaign/${send.id}`);
  await expect(page.getByTestId("stat-delivered")).toHaveText("3");
  await page.waitForTimeout(800);
  await page.screenshot({ path: `${OUT}/marketing-email-send.png`, fullPage: true });

  await page.goto(`/o/campaign/${parent.id}`);
  await expect(page.getByRole("article", { name: "Campaign Members" })).toBeVisible();
  await expect(page.getByRole("article", { name: "Return on Investment" })).toBeVisible();
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${OUT}/marketing-campaign.png`, fullPage: true });
  await page.getByRole("button", { name: "Add Member" }).click();
  await expect(page.getByRole("dialog", { name: "Add Member" })).toBeVisible();
  await page.screenshot({ path: `${OUT}/marketing-add-member.png` });
  await page.keyboard.press("Escape");

  await page.setViewportSize({ width: 375, height: 812 });
  await page.goto(`/o/email_campaign/${send.id}`);
  await expect(page.getByTestId("stat-delivered")).toHaveText("3");
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${OUT}/marketing-email-send-mobile.png`, fullPage: true });
});
