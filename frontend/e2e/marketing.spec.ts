import { expect, test, type Page } from "@playwright/test";
import { apiGet, htmlOfMailTo, signIn } from "./helpers";

type Stats = { delivered: number; unique_opens: number; unique_clicks: number; links: { url: string; clicks: number }[] };

async function csrf(page: Page): Promise<string> {
  return (await page.context().cookies()).find((cookie) => cookie.name === "csrftoken")?.value ?? "";
}

test("build a template, a segment and a send; send it; open and click the mail; see the statistics", async ({ page }) => {
  test.setTimeout(150_000);
  const stamp = Date.now().toString(36);
  const domain = `${stamp}.journey.example`;

  // Two contacts the segment will match, and one it will not.
  await signIn(page, "/");
  const headers = { "X-CSRFToken": await csrf(page) };
  const account = (await apiGet<{ results: { id: number }[] }>(page, "accounts?page_size=1")).results[0];
  for (const [first, last, email] of [
    ["Ana", `Petrova-${stamp}`, `ana@${domain}`],
    ["Boris", `Ivanov-${stamp}`, `boris@${domain}`],
    ["Cveta", `Georgieva-${stamp}`, `cveta@other-${domain}`],
  ]) {
    const created = await page.request.post("/api/v1/contacts", { data: { first_name: first, last_name: last, email, account_id: account.id }, headers });
    expect(created.status(), await created.text()).toBe(201);
  }

  // The template: made from Marketing › Email Templates, then written in the editor with a live preview.
  await page.getByRole("button", { name: "Marketing" }).click();
  await page.getByRole("menuitem", { name: "Email Templates" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /Email Templates/ })).toBeVisible();
  await page.getByRole("button", { name: "New", exact: true }).click();
  const newTemplate = page.getByRole("dialog", { name: "New Email Template" });
  await newTemplate.getByLabel("Template Name").fill(`Spring offer ${stamp}`);
  await newTemplate.getByLabel("Subject").fill(`Spring offer ${stamp}`);
  await newTemplate.getByLabel("Body Format").selectOption("html");
  await newTemplate.getByRole("textbox", { name: /^\* Body$/ }).fill("<p>Draft</p>");
  await newTemplate.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Spring offer ${stamp}` })).toBeVisible();

  await page.getByLabel("Subject").fill(`Spring offer for {{ contact.first_name | default("you") }} ${stamp}`);
  const body = page.getByRole("textbox", { name: "Body" });
  await body.click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.insertText('<p>Hi {{ contact.first_name | default("there") }},</p><p><a href="https://shop.example/spring">See the spring offer</a></p>');
  // Without a record the fallbacks show; with Ana picked, her name does.
  await expect(page.getByTestId("preview-subject")).toHaveText(`Spring offer for you ${stamp}`);
  await expect(page.frameLocator('iframe[title="Rendered email"]').getByText("Hi there,")).toBeVisible();
  await page.getByRole("combobox", { name: "Preview with" }).fill(`Petrova-${stamp}`);
  await page.getByRole("option", { name: new RegExp(`Ana Petrova-${stamp}`) }).click();
  await expect(page.getByTestId("preview-subject")).toHaveText(`Spring offer for Ana ${stamp}`);
  await expect(page.frameLocator('iframe[title="Rendered email"]').getByText("Hi Ana,")).toBeVisible();
  // A broken merge tag is refused with the message at its field, and nothing is saved.
  await page.getByLabel("Subject").fill("Spring offer {{ contact.first_name ");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.locator(".slds-has-error").filter({ has: page.getByLabel("Subject") })).toBeVisible();
  await page.getByLabel("Subject").fill(`Spring offer for {{ contact.first_name | default("you") }} ${stamp}`);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText(`Email Template “Spring offer ${stamp}” was saved.`)).toBeVisible();
  await expect(page.getByRole("article", { name: "Versions" }).getByRole("button", { name: "Restore Version 1" })).toBeVisible();

  // The segment: contacts whose email is at the journey's domain; the count follows the conditions.
  await page.getByRole("button", { name: "Marketing" }).click();
  await page.getByRole("menuitem", { name: "Segments" }).click();
  await page.getByRole("button", { name: "New", exact: true }).click();
  const newSegment = page.getByRole("dialog", { name: "New Segment" });
  await newSegment.getByLabel("Segment Name").fill(`Journey contacts ${stamp}`);
  await newSegment.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Journey contacts ${stamp}` })).toBeVisible();
  await page.getByRole("button", { name: "Add field condition" }).click();
  await page.getByLabel("Field of condition 1").selectOption("email");
  await page.getByLabel("Operator of condition 1").selectOption("contains");
  await page.getByLabel("Value of condition 1").fill(`other-${domain}`);
  await expect(page.getByTestId("segment-count")).toHaveText("1");
  await page.getByLabel("Value of condition 1").fill(`@${domain}`);
  await expect(page.getByTestId("segment-count")).toHaveText("2");
  await expect(page.getByRole("table", { name: "First matching people" }).getByRole("link", { name: `Ana Petrova-${stamp}` })).toBeVisible();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText(`Segment “Journey contacts ${stamp}” was saved.`)).toBeVisible();

  // The send: the template to the segment, from Marketing › Email Sends.
  await page.getByRole("button", { name: "Marketing" }).click();
  await page.getByRole("menuitem", { name: "Email Sends" }).click();
  await page.getByRole("button", { name: "New", exact: true }).click();
  const newSend = page.getByRole("dialog", { name: "New Email Send" });
  await newSend.getByLabel("Send Name").fill(`Spring send ${stamp}`);
  await newSend.getByRole("combobox", { name: "Email Template" }).fill("Spring offer");
  await page.getByRole("option", { name: new RegExp(`Spring offer ${stamp}`) }).click();
  await newSend.getByRole("combobox", { name: "Segment" }).fill("Journey contacts");
  await page.getByRole("option", { name: new RegExp(`Journey contacts ${stamp}`) }).click();
  await newSend.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("heading", { level: 1, name: new RegExp(`Spring send ${stamp}`) })).toBeVisible();
  await expect(page.getByTestId("send-status")).toHaveText("Draft");
  const sendId = Number(new URL(page.url()).pathname.split("/").at(-1));

  // A test send goes to one address only.
  await page.getByRole("button", { name: "Test Send" }).click();
  await page.getByRole("dialog", { name: "Send a Test" }).getByLabel("Send to").fill(`review@${domain}`);
  await page.getByRole("dialog", { name: "Send a Test" }).getByRole("button", { name: "Send Test" }).click();
  await expect(page.getByText(`A test was sent to review@${domain}.`)).toBeVisible();

  // Send now: a worker delivers it; the page follows the progress to Completed.
  await page.getByRole("button", { name: "Send…" }).click();
  await page
    .getByRole("dialog", { name: `Send “Spring send ${stamp}”` })
    .getByRole("button", { name: "Send Now" })
    .click();
  await expect(page.getByText(`“Spring send ${stamp}” is being sent.`)).toBeVisible();
  await expect(page.getByTestId("send-status")).toHaveText("Completed", { timeout: 30_000 });
  await expect(page.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "100");
  const recipients = page.getByRole("article", { name: "Recipients" });
  await expect(recipients.getByRole("row")).toHaveCount(3);
  await expect(recipients.getByRole("link", { name: `ana@${domain}` })).toBeVisible();
  await expect(page.getByTestId("stat-delivered")).toHaveText("2");

  // Ana reads the delivered mail: her mail program loads the tracked pixel, she clicks the tracked link.
  let html: string | null = null;
  await expect.poll(() => (html = htmlOfMailTo(`ana@${domain}`, `Spring offer for Ana ${stamp}`)) !== null).toBe(true);
  const pixel = html!.match(/src="https?:\/\/[^/"]+(\/t\/o\/[^"]+)"/)?.[1];
  const link = html!.match(/href="https?:\/\/[^/"]+(\/t\/c\/[^"]+)"/)?.[1];
  expect(pixel, "the mail has an open pixel").toBeTruthy();
  expect(link, "the mail's link is tracked").toBeTruthy();
  expect(html).not.toContain('href="https://shop.example/spring"');
  const reader = { "User-Agent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15" };
  // A fetch in the first seconds after sending counts as a scanner's; the reader's come after.
  await expect
    .poll(
      async () => {
        const opened = await page.request.get(pixel!, { headers: reader });
        expect(opened.headers()["content-type"]).toBe("image/gif");
        return (await apiGet<Stats>(page, `email-campaigns/${sendId}/stats`)).unique_opens;
      },
      { intervals: [1000], timeout: 15_000 },
    )
    .toBe(1);
  await expect
    .poll(
      async () => {
        const clicked = await page.request.get(link!, { headers: reader, maxRedirects: 0 });
        expect(clicked.status()).toBe(302);
        expect(clicked.headers().location).toBe("https://shop.example/spring");
        return (await apiGet<Stats>(page, `email-campaigns/${sendId}/stats`)).unique_clicks;
      },
      { intervals: [1000], timeout: 15_000 },
    )
    .toBe(1);

  // The send page shows the opens and clicks, and the link's clicks.
  await page.reload();
  await expect(page.getByTestId("stat-unique_opens")).toHaveText("1");
  await expect(page.getByTestId("stat-unique_clicks")).toHaveText("1");
  await expect(page.getByRole("group", { name: "Unique opens" })).toContainText("50% of delivered");
  await expect(page.getByRole("article", { name: "Clicks per Link" }).getByText("https://shop.example/spring")).toBeVisible();
  await expect(
    recipients
      .getByRole("row")
      .filter({ hasText: `ana@${domain}` })
      .getByText("Clicked"),
  ).toBeVisible();
  await recipients.getByLabel("Recipient status").selectOption("sent");
  await expect(recipients.getByRole("row")).toHaveCount(2);
  await expect(recipients.getByRole("link", { name: `boris@${domain}` })).toBeVisible();
});

test("a campaign's page shows its ROI with its child campaigns, and adds a member and changes their status", async ({ page }) => {
  test.setTimeout(90_000);
  const stamp = Date.now().toString(36);
  await signIn(page, "/");
  const headers = { "X-CSRFToken": await csrf(page) };
  const create = async (path: string, data: object) => {
    const response = await page.request.post(`/api/v1/${path}`, { data, headers });
    expect(response.status(), await response.text()).toBe(201);
    return (await response.json()) as { id: number };
  };
  const account = (await apiGet<{ results: { id: number }[] }>(page, "accounts?page_size=1")).results[0];
  await create("contacts", { first_name: "Dana", last_name: `Member-${stamp}`, email: `dana@${stamp}.journey.example`, account_id: account.id });
  const parent = await create("campaigns", { name: `Autumn fair ${stamp}`, type: "Webinar", budgeted_cost: "1000", actual_cost: "800" });
  await create("campaigns", { name: `Autumn fair mailing ${stamp}`, type: "Email", parent_id: parent.id, actual_cost: "200" });

  await page.goto(`/o/campaign/${parent.id}`);
  const roi = page.getByRole("article", { name: "Return on Investment" });
  await expect(roi.getByRole("columnheader", { name: "With child campaigns" })).toBeVisible();
  await expect(roi.getByRole("row", { name: /Actual cost/ })).toContainText("€800.00");
  await expect(roi.getByRole("row", { name: /Actual cost/ })).toContainText("€1,000.00");
  await expect(roi.getByRole("link", { name: `Autumn fair mailing ${stamp}` })).toBeVisible();

  const members = page.getByRole("article", { name: "Campaign Members" });
  await expect(members.getByText("No members yet.")).toBeVisible();
  await members.getByRole("button", { name: "Add Member" }).click();
  const dialog = page.getByRole("dialog", { name: "Add Member" });
  // Nobody picked: the field says so and nothing is added.
  await dialog.getByRole("button", { name: "Add" }).click();
  await expect(dialog.getByText("Complete this field.")).toBeVisible();
  await dialog.getByRole("combobox", { name: "Lead or contact" }).fill(`Member-${stamp}`);
  await page.getByRole("option", { name: new RegExp(`Dana Member-${stamp}`) }).click();
  await dialog.getByLabel("Member status").selectOption("Sent");
  await dialog.getByRole("button", { name: "Add" }).click();
  await expect(page.getByText(`Dana Member-${stamp} was added to the campaign.`)).toBeVisible();
  await expect(members.getByRole("link", { name: `Dana Member-${stamp}` })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Campaign Members (1)" })).toBeVisible();

  await members.getByLabel(`Member status of Dana Member-${stamp}`).selectOption("Responded");
  await expect(page.getByText(`Dana Member-${stamp} is now Responded.`)).toBeVisible();
  const saved = await apiGet<{ status: string }[]>(page, `campaigns/${parent.id}/members`);
  expect(saved.map((member) => member.status)).toEqual(["Responded"]);
});
