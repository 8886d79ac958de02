import { expect, test, type Page } from "@playwright/test";
import { apiGet, signIn } from "./helpers";

type Row = { id: number; version: number; [key: string]: unknown };

async function apiPost<T>(page: Page, path: string, data: unknown): Promise<T> {
  const cookies = await page.context().cookies();
  const csrf = cookies.find((cookie) => cookie.name === "csrftoken")?.value ?? "";
  const response = await page.request.post(`/api/v1/${path}`, { data, headers: { "X-CSRFToken": csrf } });
  expect(response.status(), `POST ${path}: ${await response.text()}`).toBeLessThan(300);
  return (await response.json()) as T;
}

async function confirm(page: Page, label: string) {
  await page.getByRole("button", { name: label, exact: true }).first().click();
  const dialog = page.getByRole("dialog", { name: label });
  await dialog.getByRole("button", { name: label, exact: true }).click();
  await expect(dialog).toBeHidden();
}

test("opportunity to paid invoice: quote, PDF, accept, order, invoice, issue, payment", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, "/");
  const suffix = Date.now().toString(36);
  const accounts = await apiGet<{ results: Row[] }>(page, "accounts?page_size=1");
  const products = await apiGet<{ results: Row[] }>(page, "products?page_size=1");
  const opportunity = await apiPost<Row>(page, "opportunities", {
    name: `Quote journey ${suffix}`,
    account_id: accounts.results[0].id,
    stage: "Proposal",
    close_date: "2030-01-31",
  });
  await apiPost(page, `opportunities/${opportunity.id}/line_items`, { product_id: products.results[0].id, quantity: "2" });

  // New Quote on the opportunity opens the quote with the opportunity's products.
  await page.goto(`/o/opportunity/${opportunity.id}`);
  await confirm(page, "New Quote");
  await expect(page).toHaveURL(/\/o\/quote\/\d+$/);
  const quoteId = Number(page.url().split("/").pop());
  await expect(page.getByRole("article", { name: "Line Items (1)" })).toBeVisible();

  // The PDF preview is the server's rendering of the quote.
  const href = await page.getByRole("link", { name: "PDF", exact: true }).getAttribute("href");
  const pdf = await page.request.get(href ?? "");
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  expect((await pdf.body()).subarray(0, 4).toString()).toBe("%PDF");

  // Accept: the order opens.
  await confirm(page, "Accept");
  await expect(page).toHaveURL(/\/o\/order\/\d+$/);
  const quote = await apiGet<Row>(page, `quotes/${quoteId}`);
  expect(quote.status).toBe("Accepted");
  expect((await apiGet<Row>(page, `opportunities/${opportunity.id}`)).stage).toBe("Closed Won");

  // Create Invoice on the order, issue it, log the payment: Paid.
  await confirm(page, "Create Invoice");
  await expect(page).toHaveURL(/\/o\/invoice\/\d+$/);
  const invoiceId = Number(page.url().split("/").pop());
  await confirm(page, "Issue");
  await expect.poll(async () => (await apiGet<Row>(page, `invoices/${invoiceId}`)).status).toBe("Issued");
  const issued = await apiGet<Row>(page, `invoices/${invoiceId}`);
  expect(String(issued.number)).toMatch(/^INV-\d{4}-\d{6}$/);
  await page.reload();
  await confirm(page, "Log Payment");
  await expect.poll(async () => (await apiGet<Row>(page, `invoices/${invoiceId}`)).status).toBe("Paid");
  await page.reload();
  await expect(page.locator(".slds-page-header").first()).toContainText(String(issued.number));
  await page.screenshot({ path: "../docs/screenshots/invoice-record.png", fullPage: true });
});

test("template studio previews a real invoice; the reports show MRR and retainers invoiced", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, "/setup/templates");
  await expect(page.getByRole("heading", { level: 1, name: "Document Templates" })).toBeVisible();
  const preview = page.frameLocator("iframe.crm-template-preview");
  await expect(preview.locator("h1")).toContainText("Invoice", { timeout: 20_000 });
  await page.screenshot({ path: "../docs/screenshots/template-studio.png", fullPage: true });
  await page.goto("/reports");
  await expect(page.getByRole("article", { name: "Monthly Recurring Revenue" })).toBeVisible();
  await expect(page.getByRole("img", { name: "MRR by month" })).toBeVisible();
  await expect(page.getByRole("rowheader", { name: "Invoiced" })).toBeVisible();
  await expect(page.getByRole("article", { name: "Monthly Recurring Revenue" }).getByRole("row")).toHaveCount(13);
  await expect(page.locator(".slds-spinner")).toHaveCount(0);
  await page.screenshot({ path: "../docs/screenshots/mrr-report.png", fullPage: true });
});
