import { expect, test } from "@playwright/test";
import { apiGet, signIn } from "./helpers";

type Row = { id: number; version: number; name: string; [key: string]: unknown };
type Page<T> = { count: number; results: T[] };

test("create an account from the list view, then a contact from its Contacts related list", async ({ page }) => {
  const suffix = Date.now().toString(36);
  const accountName = `Northwind Studio ${suffix}`;
  await signIn(page, "/o/account");
  await expect(page.getByRole("heading", { level: 1, name: "All Accounts" })).toBeVisible();

  await page.getByRole("button", { name: "New", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "New Account" });
  await dialog.getByLabel("Account Name").fill(accountName);
  await dialog.getByLabel("Phone").fill("+359 2 555 0100");
  await dialog.getByLabel("Type").selectOption("Customer");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("status").filter({ hasText: `Account “${accountName}” was created.` })).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: accountName })).toBeVisible();
  const accountId = Number(page.url().split("/").pop());

  const account = await apiGet<Row>(page, `accounts/${accountId}`);
  expect(account).toMatchObject({ name: accountName, phone: "+359 2 555 0100", type: "Customer" });

  const contacts = page.getByRole("article", { name: "Contacts (0)" });
  await contacts.getByRole("button", { name: "New Contact" }).click();
  const contactDialog = page.getByRole("dialog", { name: "New Contact" });
  const accountInput = contactDialog.getByLabel("Account Name");
  await expect(accountInput).toHaveValue(accountName);
  await expect(accountInput).toBeDisabled();

  // The server's field errors show inline under the field.
  await contactDialog.getByRole("button", { name: "Save" }).click();
  await expect(contactDialog.getByText("We hit a snag.")).toBeVisible();

  await contactDialog.getByLabel("First Name").fill("Ada");
  await contactDialog.getByLabel("Last Name").fill(`Lovelace ${suffix}`);
  await contactDialog.getByLabel("Email").fill(`ada.${suffix}@example.com`);
  await contactDialog.getByRole("button", { name: "Save" }).click();
  await expect(contactDialog).toBeHidden();
  await expect(page.getByRole("article", { name: "Contacts (1)" }).getByRole("link", { name: `Ada Lovelace ${suffix}` })).toBeVisible();

  const saved = await apiGet<Page<Row>>(page, `contacts?account_id=${accountId}`);
  expect(saved.count).toBe(1);
  expect(saved.results[0]).toMatchObject({
    first_name: "Ada",
    last_name: `Lovelace ${suffix}`,
    email: `ada.${suffix}@example.com`,
    account_id: accountId,
    account_name: accountName,
  });

  // Every lookup to the account gives it a related list; New pre-fills and locks the account.
  for (const name of ["Opportunities (0)", "Orders (0)", "Contracts (0)", "Payments (0)"]) {
    await expect(page.getByRole("article", { name })).toBeVisible();
  }
  await expect(page.getByRole("article", { name: "Orders (0)" }).getByRole("button", { name: /New/ })).toHaveCount(0);
  await page.getByRole("article", { name: "Opportunities (0)" }).getByRole("button", { name: "New Opportunity" }).click();
  const opportunityDialog = page.getByRole("dialog", { name: "New Opportunity" });
  const opportunityAccount = opportunityDialog.getByLabel("Account Name");
  await expect(opportunityAccount).toHaveValue(accountName);
  await expect(opportunityAccount).toBeDisabled();
  await opportunityDialog.getByLabel("Opportunity Name").fill(`Brand refresh ${suffix}`);
  await opportunityDialog.getByLabel("Stage").selectOption("Qualifying");
  await opportunityDialog.getByRole("button", { name: "Save" }).click();
  await expect(opportunityDialog).toBeHidden();
  await expect(page.getByRole("article", { name: "Opportunities (1)" }).getByRole("link", { name: `Brand refresh ${suffix}` })).toBeVisible();

  const deals = await apiGet<Page<Row>>(page, `opportunities?account_id=${accountId}`);
  expect(deals.count).toBe(1);
  expect(deals.results[0]).toMatchObject({ name: `Brand refresh ${suffix}`, stage: "Qualifying", account_id: accountId });
});

test("inline edit conflict: the second save shows the conflict message", async ({ browser }) => {
  const first = await browser.newContext();
  const second = await browser.newContext();
  const pageA = await first.newPage();
  const pageB = await second.newPage();
  await signIn(pageA, "/o/account");
  const list = await apiGet<Page<Row>>(pageA, "accounts?ordering=name&page_size=1");
  const target = list.results[0];
  await signIn(pageB, `/o/account/${target.id}`);
  await pageA.goto(`/o/account/${target.id}`);

  for (const page of [pageA, pageB]) {
    await expect(page.getByRole("heading", { level: 1, name: target.name })).toBeVisible();
    await page.getByRole("button", { name: "Edit Phone" }).click();
  }
  await pageA.getByLabel("Phone").fill("+359 88 111 1111");
  await pageA.getByRole("button", { name: "Save", exact: true }).click();
  await expect(pageA.getByRole("status").filter({ hasText: "was saved" })).toBeVisible();

  await pageB.getByLabel("Phone").fill("+359 88 222 2222");
  await pageB.getByRole("button", { name: "Save", exact: true }).click();
  await expect(pageB.getByRole("alert").filter({ hasText: "This record has been modified by another user since you opened it" })).toBeVisible();
  // The page refetches: the other user's value is shown.
  await expect(pageB.getByRole("link", { name: "+359 88 111 1111" }).first()).toBeVisible();

  const stored = await apiGet<Row>(pageA, `accounts/${target.id}`);
  expect(stored.phone).toBe("+359 88 111 1111");
  expect(stored.version).toBe(target.version + 1);
  await first.close();
  await second.close();
});

test("switch to Bulgarian and see Bulgarian labels", async ({ page }) => {
  await signIn(page, "/o/account");
  await page.getByRole("button", { name: "User menu" }).click();
  await page.getByRole("menuitemradio", { name: "Български" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Всички Фирми" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Начало" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Нов", exact: true })).toBeVisible();
  await expect(page.getByRole("columnheader", { name: /Име на фирма/ })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "bg");
  // The choice survives a reload.
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "Всички Фирми" })).toBeVisible();
});
