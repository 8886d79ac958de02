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

  // The order counts the payment without the invoice's VAT: paid in full, nothing over.
  const paidInvoice = await apiGet<Row>(page, `invoices/${invoiceId}`);
  const order = await apiGet<Row>(page, `orders/${String(paidInvoice.order_id)}`);
  expect(order).toMatchObject({ status: "Paid in Full", balance_due: "0.00", amount_paid: paidInvoice.net_total });
  const [payment] = order.payments as Row[];
  expect(payment).toMatchObject({ amount: paidInvoice.gross_total, vat_amount: paidInvoice.tax_total, is_overpayment: false });
  await page.goto(`/o/payment/${payment.id}`);
  await expect(page.getByText("VAT Paid", { exact: true }).first()).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("payment-record.png"), fullPage: true });
});

test("template studio previews a real invoice; the reports show MRR and retainers invoiced", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, "/setup/templates");
  await expect(page.getByRole("heading", { level: 1, name: "Document Templates" })).toBeVisible();
  const preview = page.frameLocator("iframe.crm-template-preview");
  await expect(preview.locator("h1")).toContainText("Invoice", { timeout: 20_000 });
  // The record is picked in a combobox searching real invoices; the preview follows it.
  const invoices = await apiGet<{ results: Row[] }>(page, "invoices?status=Paid&page_size=1");
  const number = String(invoices.results[0].number);
  await page.getByRole("button", { name: "Remove selected option" }).click();
  await page.getByRole("combobox", { name: "Preview with" }).fill(number);
  await page.getByRole("option", { name: new RegExp(number) }).click();
  await expect(preview.locator("body")).toContainText(number, { timeout: 20_000 });
  if (process.env.SCREENSHOTS) await page.screenshot({ path: "../docs/screenshots/template-studio.png", fullPage: true });
  // As PDF: the server's PDF of the same record (an HTML preview still on its way may answer first).
  const pdfResponse = page.waitForResponse(
    (response) => response.url().includes("/preview") && response.request().method() === "POST" && response.headers()["content-type"] === "application/pdf",
  );
  await page.getByRole("button", { name: "PDF", exact: true }).click();
  expect((await pdfResponse).status()).toBe(200);
  await expect(page.locator('iframe[title="PDF preview"]')).toHaveAttribute("src", /^blob:/);
  await page.goto("/reports");
  await expect(page.getByRole("article", { name: "Monthly Recurring Revenue" })).toBeVisible();
  await expect(page.getByRole("img", { name: "MRR by month" })).toBeVisible();
  await expect(page.getByRole("rowheader", { name: "Invoiced" })).toBeVisible();
  await expect(page.getByRole("article", { name: "Monthly Recurring Revenue" }).getByRole("row")).toHaveCount(13);
  await expect(page.locator(".slds-spinner")).toHaveCount(0);
  if (process.env.SCREENSHOTS) await page.screenshot({ path: "../docs/screenshots/mrr-report.png", fullPage: true });
});

test("draft invoice lines: add, edit, remove; issued invoice shows no pencils; send with an edited subject", async ({ page }) => {
  test.setTimeout(150_000);
  await signIn(page, "/");
  const suffix = Date.now().toString(36);
  const accounts = await apiGet<{ results: Row[] }>(page, "accounts?page_size=1");
  const account = accounts.results[0];
  const contact = await apiPost<Row>(page, "contacts", {
    first_name: "Iva",
    last_name: `Buyer ${suffix}`,
    email: `iva.${suffix}@client.example`,
    account_id: account.id,
  });
  const draft = await apiPost<Row>(page, "invoices", {
    account_id: account.id,
    contact_id: contact.id,
    line_items: [{ description: `Setup ${suffix}`, quantity: "1", unit_price: "100.00" }],
  });
  await page.goto(`/o/invoice/${draft.id}`);
  const lines = page.getByRole("article", { name: /^Line Items/ });
  await expect(page.getByRole("article", { name: "Line Items (1)" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Edit", exact: true })).toBeVisible();

  // Add a line with a product from the combobox, a discount and a reverse-charge VAT category.
  await lines.getByRole("button", { name: "Add Line" }).click();
  const add = page.getByRole("dialog", { name: "Add Line" });
  await add.getByRole("combobox", { name: "Product" }).fill("a");
  await add.getByRole("option").first().click();
  await add.getByLabel("Quantity").fill("3");
  await add.getByLabel("Unit Price").fill("50");
  await add.getByLabel("Discount (%)").fill("10");
  await add.getByLabel("VAT category").selectOption("AE");
  await add.getByRole("button", { name: "Save" }).click();
  await expect(add).toBeHidden();
  await expect(page.getByRole("article", { name: "Line Items (2)" })).toBeVisible();
  await expect.poll(async () => (await apiGet<Row>(page, `invoices/${draft.id}`)).net_total).toBe("235.00");
  await expect(page.locator(".slds-page-header").first()).toContainText("255");

  // Edit the first line's quantity: the totals follow.
  await lines.getByRole("button", { name: `Edit line Setup ${suffix}` }).click();
  const edit = page.getByRole("dialog", { name: "Edit Line" });
  await edit.getByLabel("Quantity").fill("2");
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(edit).toBeHidden();
  await expect.poll(async () => (await apiGet<Row>(page, `invoices/${draft.id}`)).gross_total).toBe("375.00");

  // Remove the added line.
  const added = ((await apiGet<Row>(page, `invoices/${draft.id}`)).line_items as Row[])[1];
  await lines.getByRole("button", { name: `Remove line ${String(added.description || added.product_name)}` }).click();
  const remove = page.getByRole("dialog", { name: "Remove Line" });
  await remove.getByRole("button", { name: "Remove Line" }).click();
  await expect(page.getByRole("article", { name: "Line Items (1)" })).toBeVisible();
  await expect.poll(async () => (await apiGet<Row>(page, `invoices/${draft.id}`)).gross_total).toBe("240.00");

  // Issued: no Edit, no pencils, no line buttons.
  await confirm(page, "Issue");
  await expect.poll(async () => (await apiGet<Row>(page, `invoices/${draft.id}`)).status).toBe("Issued");
  await page.reload();
  await expect(page.getByRole("button", { name: "Send", exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Edit", exact: true })).toHaveCount(0);
  await expect(page.locator(".crm-inline-edit")).toHaveCount(0);
  await expect(lines.getByRole("button", { name: "Add Line" })).toHaveCount(0);
  await expect(lines.getByRole("button", { name: /^(Edit|Remove) line/ })).toHaveCount(0);
  if (process.env.SCREENSHOTS) await page.screenshot({ path: "../docs/screenshots/invoice-record.png", fullPage: true });

  // Send: the recipient defaults to the contact; the subject is edited; a bad copy address is refused first.
  await page.getByRole("button", { name: "Send", exact: true }).click();
  const issued = await apiGet<Row>(page, `invoices/${draft.id}`);
  const send = page.getByRole("dialog", { name: `Send ${String(issued.number)}` });
  await expect(send.getByLabel("To")).toHaveValue(String(contact.email));
  await expect(send.getByLabel("Subject")).toHaveValue(new RegExp(String(issued.number)));
  await send.getByLabel("Cc").fill("not-an-address");
  await send.getByRole("button", { name: "Send", exact: true }).click();
  await expect(send.getByText("Every copy needs a valid email address.")).toBeVisible();
  await send.getByLabel("Cc").fill(`finance.${suffix}@client.example`);
  await send.getByLabel("Subject").fill(`Your invoice ${suffix}`);
  if (process.env.SCREENSHOTS) await page.screenshot({ path: "../docs/screenshots/invoice-send.png" });
  await send.getByRole("button", { name: "Send", exact: true }).click();
  await expect(send).toBeHidden();
  await expect(page.getByText(`was sent to ${String(contact.email)}`)).toBeVisible();
  const tasks = await apiGet<{ results: Row[] }>(page, `activities?what_type=Account&what_id=${account.id}&page_size=50`);
  const logged = tasks.results.find((row) => String(row.subject).includes(String(issued.number)));
  expect(logged?.subject).toContain(String(contact.email));
  const task = await apiGet<Row>(page, `activities/${logged?.id}`);
  expect(String(task.description)).toContain(`Your invoice ${suffix}`);
});

test("Start Sync mirrors the opportunity's products on the quote; Stop Sync leaves the quote as it is", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, "/");
  const suffix = Date.now().toString(36);
  const accounts = await apiGet<{ results: Row[] }>(page, "accounts?page_size=1");
  const opportunity = await apiPost<Row>(page, "opportunities", {
    name: `Sync journey ${suffix}`,
    account_id: accounts.results[0].id,
    stage: "Proposal",
    close_date: "2030-01-31",
  });
  const products = await apiGet<{ results: Row[] }>(page, "products?search=Logo%20Design");
  await apiPost(page, `opportunities/${opportunity.id}/line_items`, { product_id: products.results[0].id, quantity: "1" });
  // The opportunity's first quote is its synced one; the second starts unsynced.
  const first = await apiPost<Row>(page, "quotes", { opportunity_id: opportunity.id, name: `First ${suffix}` });
  const second = await apiPost<Row>(page, "quotes", { opportunity_id: opportunity.id, name: `Second ${suffix}` });
  expect([first.is_synced, second.is_synced]).toEqual([true, false]);
  const quoteLines = async (id: number) => ((await apiGet<Row>(page, `quotes/${id}`)).line_items as Row[]).map((line) => [line.description, line.quantity]);

  async function addProduct(name: string, quantity: string) {
    await page.goto(`/o/opportunity/${opportunity.id}`);
    await page.getByRole("button", { name: "Add Product" }).click();
    const dialog = page.getByRole("dialog", { name: "Add Product" });
    await dialog.getByRole("combobox", { name: "Product" }).fill(name);
    await dialog.getByRole("option", { name: new RegExp(name) }).click();
    await expect(dialog.getByRole("textbox", { name: /Product$/ })).toHaveValue(name);
    await dialog.getByLabel(/Quantity/).fill(quantity);
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect(dialog).toBeHidden();
  }

  // Start Sync on the second quote: it becomes the synced one, the first stops.
  await page.goto(`/o/quote/${second.id}`);
  await confirm(page, "Start Sync");
  await expect.poll(async () => (await apiGet<Row>(page, `quotes/${second.id}`)).is_synced).toBe(true);
  expect((await apiGet<Row>(page, `quotes/${first.id}`)).is_synced).toBe(false);
  await expect(page.getByRole("button", { name: "Stop Sync", exact: true })).toBeVisible();

  // A product added on the opportunity appears on the synced quote, and only there.
  await addProduct("Photography Day", "3");
  await expect(page.getByRole("article", { name: "Products (2)" })).toBeVisible();
  await page.goto(`/o/quote/${second.id}`);
  const lines = page.getByRole("article", { name: "Line Items (2)" });
  await expect(lines.getByText("Photography Day")).toBeVisible();
  expect(await quoteLines(second.id)).toContainEqual(["Photography Day", "3.00"]);
  expect(await quoteLines(first.id)).toHaveLength(1);
  if (process.env.SCREENSHOTS) await page.screenshot({ path: "../docs/screenshots/quote-synced.png", fullPage: true });

  // Stop Sync: the quote keeps its lines, and further changes of the opportunity leave it alone.
  await confirm(page, "Stop Sync");
  await expect.poll(async () => (await apiGet<Row>(page, `quotes/${second.id}`)).is_synced).toBe(false);
  await expect(page.getByRole("button", { name: "Start Sync", exact: true })).toBeVisible();
  await addProduct("Logo Design", "2");
  await expect(page.getByRole("article", { name: "Products (3)" })).toBeVisible();
  await page.goto(`/o/quote/${second.id}`);
  await expect(page.getByRole("article", { name: "Line Items (2)" })).toBeVisible();
  expect(await quoteLines(second.id)).toHaveLength(2);
  expect((await apiGet<Row>(page, `opportunities/${opportunity.id}`)).line_items as Row[]).toHaveLength(3);
});
