import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, request, test, type Page } from "@playwright/test";
import { apiGet, signIn } from "./helpers";

type Row = { id: number; name: string; owner_id: number; [key: string]: unknown };
type List<T> = { count: number; results: T[] };

const PASSWORD = "Shared-Deals-2026!";
const SHOTS = process.env.SCREENSHOTS ? "../docs/screenshots" : null;

/** The set-password link of the newest mail sent to ``email`` (the server writes mail to files). */
function setPasswordLink(email: string): URL {
  const dir = process.env.E2E_MAIL_DIR ?? "";
  const mails = readdirSync(dir)
    .map((name) => readFileSync(join(dir, name), "utf8"))
    .filter((text) => text.includes(`To: ${email}`));
  const match = mails.at(-1)?.match(/https?:\/\/\S+\/set-password\?\S+/);
  if (!match) throw new Error(`no set-password mail for ${email}`);
  return new URL(match[0]);
}

async function shot(page: Page, name: string, fullPage = true): Promise<void> {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage });
}

test("an admin makes opportunities private; a new user sees only their own until one is shared", async ({ page, browser, baseURL }) => {
  const suffix = Date.now().toString(36);
  const email = `rita.${suffix}@example.com`;

  // The admin sets Opportunity to Private in Setup › Sharing.
  await signIn(page, "/setup/sharing");
  await expect(page.getByRole("heading", { level: 1, name: "Sharing Settings" })).toBeVisible();
  await page.getByLabel("Default access of Opportunities").selectOption("Private");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Sharing settings saved." })).toBeVisible();
  await shot(page, "setup-sharing");
  expect((await apiGet<Record<string, string>>(page, "organization/sharing")).Opportunity).toBe("Private");

  // ... and creates a second user, who sets a password from the welcome mail.
  await page.goto("/setup/users");
  await page.getByRole("button", { name: "New User" }).click();
  const dialog = page.getByRole("dialog", { name: "New User" });
  await dialog.getByLabel("Full Name").fill(`Rita Seller ${suffix}`);
  await dialog.getByLabel("Email").fill(email);
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();
  const link = setPasswordLink(email);
  const anonymous = await request.newContext({ baseURL });
  const set = await anonymous.post("/api/v1/auth/password/set", {
    data: { uid: link.searchParams.get("uid"), token: link.searchParams.get("token"), password: PASSWORD },
  });
  expect(set.status()).toBe(200);

  // The new user's own deal, created through the API with their token.
  const login = await anonymous.post("/api/v1/auth/login", { data: { email, password: PASSWORD, issue_token: true } });
  expect(login.status()).toBe(200);
  const { token, user } = (await login.json()) as { token: string; user: { id: number } };
  const rita = await request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
  const account = ((await (await rita.get("/api/v1/accounts?page_size=1")).json()) as List<Row>).results[0];
  const created = await rita.post("/api/v1/opportunities", { data: { name: `Rita's deal ${suffix}`, stage: "Qualifying", account_id: account.id } });
  expect(created.status()).toBe(201);
  const mine = (await created.json()) as Row;

  // Signed in, the new user sees only that deal among the demo data's many.
  const ritaContext = await browser.newContext();
  const ritaPage = await ritaContext.newPage();
  await ritaPage.goto("/o/opportunity");
  await ritaPage.getByLabel("Email").fill(email);
  await ritaPage.getByLabel("Password").fill(PASSWORD);
  await ritaPage.getByRole("button", { name: "Log In" }).click();
  await expect(ritaPage.getByRole("heading", { level: 1, name: "All Opportunities" })).toBeVisible();
  await expect(ritaPage.getByRole("link", { name: mine.name })).toBeVisible();
  await expect(ritaPage.getByText("1 item", { exact: false }).first()).toBeVisible();
  const before = await apiGet<List<Row>>(ritaPage, "opportunities?page_size=200");
  expect(before.results.map((row) => row.id)).toEqual([mine.id]);

  // The admin shares one of the demo deals with her for reading.
  const everyone = await apiGet<List<Row>>(page, "opportunities?page_size=5");
  expect(everyone.count).toBeGreaterThan(1);
  const demo = everyone.results.find((row) => row.id !== mine.id) as Row;
  await page.goto(`/o/opportunity/${demo.id}`);
  await page.getByRole("button", { name: "Sharing" }).click();
  const sharing = page.getByRole("dialog", { name: `Sharing: ${demo.name}` });
  await expect(sharing.getByText("Not shared with anybody yet.")).toBeVisible();
  await sharing.getByLabel("User").selectOption({ label: `Rita Seller ${suffix} (${email})` });
  await sharing.getByLabel("Access").selectOption("Read");
  await sharing.getByRole("button", { name: "Share" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Shared with Rita Seller ${suffix}.` })).toBeVisible();
  await expect(sharing.getByRole("cell", { name: "Read Only" })).toBeVisible();
  await shot(page, "record-sharing-modal", false);
  const shares = await apiGet<{ user_id: number; access: string }[]>(page, `opportunities/${demo.id}/shares`);
  expect(shares).toEqual([expect.objectContaining({ user_id: user.id, access: "Read" })]);

  // Now she sees it too, and opens it.
  await ritaPage.reload();
  await expect(ritaPage.getByRole("link", { name: demo.name })).toBeVisible();
  const after = await apiGet<List<Row>>(ritaPage, "opportunities?page_size=200");
  expect(after.results.map((row) => row.id).sort()).toEqual([mine.id, demo.id].sort());
  await ritaPage.getByRole("link", { name: demo.name }).click();
  await expect(ritaPage.getByRole("heading", { level: 1, name: demo.name })).toBeVisible();

  // The admin's home page: every tile from the server's dashboard.
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Won Revenue by Month" })).toBeVisible();
  await shot(page, "home-dashboard");

  await anonymous.dispose();
  await rita.dispose();
  await ritaContext.close();
});
