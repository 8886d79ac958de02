import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { apiGet, signIn } from "./helpers";

type Row = { id: number; name: string; owner_id: number };
type List<T> = { count: number; results: T[] };

const PASSWORD = "Invited-Seller-2026!";
const SHOTS = process.env.SCREENSHOTS ? "../docs/screenshots" : null;

async function shot(page: Page, name: string): Promise<void> {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

async function csrf(page: Page): Promise<string> {
  return (await page.context().cookies()).find((cookie) => cookie.name === "csrftoken")?.value ?? "";
}

/** The invitation link of the newest mail to ``email``; the server mails in the background, so wait for it. */
async function invitationLink(email: string): Promise<URL> {
  const dir = process.env.E2E_MAIL_DIR ?? "";
  let found: string | undefined;
  await expect
    .poll(() => {
      found = readdirSync(dir)
        .map((name) => readFileSync(join(dir, name), "utf8"))
        .filter((text) => text.includes(`To: ${email}`))
        .map((text) => text.match(/https?:\/\/\S+\/accept-invitation\?token=\S+/)?.[0])
        .filter((link): link is string => Boolean(link))
        .at(-1);
      return Boolean(found);
    })
    .toBe(true);
  return new URL(found as string);
}

test("an admin invites a user, who accepts from the mail, lands signed in and sees only what sharing allows", async ({ page, browser }) => {
  const suffix = Date.now().toString(36);
  const email = `ina.${suffix}@example.com`;
  const name = `Ina Invited ${suffix}`;

  // The admin makes opportunities Private and notes a demo deal of their own.
  await signIn(page, "/setup/users");
  const sharing = await page.request.put("/api/v1/organization/sharing", { data: { Opportunity: "Private" }, headers: { "X-CSRFToken": await csrf(page) } });
  expect(sharing.status()).toBe(200);
  const admin = await apiGet<{ id: number }>(page, "auth/me");
  const everyone = await apiGet<List<Row>>(page, "opportunities?page_size=200");
  const theirs = everyone.results.find((row) => row.owner_id === admin.id);
  expect(theirs, "the demo data has an opportunity of the admin").toBeTruthy();
  const demo = theirs as Row;

  // Setup › Users › Invitations: invite with role User.
  const invitations = page.getByRole("region", { name: "Invitations" });
  await invitations.getByRole("button", { name: "Invite User" }).click();
  const dialog = page.getByRole("dialog", { name: "Invite User" });
  await dialog.getByLabel("Email").fill(email);
  await dialog.getByLabel("Role").selectOption("user");
  await dialog.getByRole("button", { name: "Send Invitation" }).click();
  await expect(page.getByRole("status").filter({ hasText: `An invitation was sent to ${email}.` })).toBeVisible();
  await expect(dialog).toBeHidden();
  const row = invitations.getByRole("row").filter({ hasText: email });
  await expect(row).toContainText("Pending");
  await expect(row).toContainText("User");
  await shot(page, "setup-users-invitations");

  // The invitee opens the mailed link in their own browser and accepts.
  const link = await invitationLink(email);
  const context = await browser.newContext();
  const ina = await context.newPage();
  await ina.goto(link.pathname + link.search);
  await expect(ina.getByRole("heading", { level: 1, name: "Join Demo Agency" })).toBeVisible();
  await expect(ina.getByLabel("Email")).toHaveValue(email);
  await ina.getByLabel("Full Name").fill(name);
  await ina.getByLabel("New password").fill(PASSWORD);
  await ina.getByLabel("Confirm password").fill(PASSWORD);
  await shot(ina, "accept-invitation");
  await ina.getByRole("button", { name: "Accept Invitation" }).click();
  await expect(ina.getByRole("navigation", { name: "Navigation menu" })).toBeVisible();
  expect((await apiGet<{ email: string; role: string }>(ina, "auth/me")).role).toBe("user");

  // The invitation is no longer pending; the link does not work twice.
  await page.reload();
  await expect(invitations.getByRole("row").filter({ hasText: email })).toHaveCount(0);
  const again = await context.newPage();
  await again.goto(link.pathname + link.search);
  await expect(again.getByText("This invitation has already been accepted. Sign in instead.")).toBeVisible();
  await again.close();

  // Opportunities are Private: none of the demo deals, then her own once she creates one.
  await ina.goto("/o/opportunity");
  await expect(ina.getByRole("heading", { level: 1, name: "All Opportunities" })).toBeVisible();
  expect((await apiGet<List<Row>>(ina, "opportunities?page_size=200")).results).toEqual([]);
  const account = (await apiGet<List<Row>>(ina, "accounts?page_size=1")).results[0];
  const created = await ina.request.post("/api/v1/opportunities", {
    data: { name: `Ina's deal ${suffix}`, stage: "Qualifying", account_id: account.id },
    headers: { "X-CSRFToken": await csrf(ina) },
  });
  expect(created.status()).toBe(201);
  const mine = (await created.json()) as Row;
  await ina.reload();
  await expect(ina.getByRole("link", { name: mine.name })).toBeVisible();
  await expect(ina.getByRole("link", { name: demo.name })).toHaveCount(0);
  expect((await apiGet<List<Row>>(ina, "opportunities?page_size=200")).results.map((deal) => deal.id)).toEqual([mine.id]);
  expect((await ina.request.get(`/api/v1/opportunities/${demo.id}`)).status()).toBe(404);
  await ina.goto(`/o/opportunity/${demo.id}`);
  await expect(ina.getByText("This record doesn't exist or you don't have access to it.")).toBeVisible();

  // Signs out, and signs in again with the new password.
  await ina.getByRole("button", { name: "User menu" }).click();
  await ina.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(ina.getByRole("button", { name: "Log In" })).toBeVisible();
  await ina.getByLabel("Email").fill(email);
  await ina.getByLabel("Password").fill(PASSWORD);
  await ina.getByRole("button", { name: "Log In" }).click();
  await expect(ina.getByRole("navigation", { name: "Navigation menu" })).toBeVisible();
  expect((await apiGet<{ name: string }>(ina, "auth/me")).name).toBe(name);
  await context.close();

  // The organization goes back to the default the other journeys start from.
  const restored = await page.request.put("/api/v1/organization/sharing", {
    data: { Opportunity: "PublicReadWrite" },
    headers: { "X-CSRFToken": await csrf(page) },
  });
  expect(restored.status()).toBe(200);
});
