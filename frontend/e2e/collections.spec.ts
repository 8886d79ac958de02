import { expect, test, type Page } from "@playwright/test";
import { apiGet, signIn } from "./helpers";

type Row = { id: number; version: number; [key: string]: unknown };

const SHOTS = process.env.SCREENSHOTS ? "../docs/screenshots" : null;

async function shot(page: Page, name: string): Promise<void> {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

/** An open demo invoice of an order or contract (payments are logged there), of an account not used yet. */
async function issuedInvoice(page: Page, skip: Set<number>): Promise<Row> {
  const invoices = await apiGet<{ results: Row[] }>(page, "invoices?status=Issued&status=Overdue&kind=Invoice&page_size=100");
  const invoice = invoices.results.find(
    (row) => !skip.has(Number(row.account_id)) && (row.order_id || row.contract_id) && Number(row.balance_due) > 0 && Number(row.amount_paid ?? 0) === 0,
  );
  if (!invoice) throw new Error("no open demo invoice");
  skip.add(Number(invoice.account_id));
  return apiGet<Row>(page, `invoices/${invoice.id}`);
}

test("a bank statement pays one invoice automatically; the other is accepted from the review queue", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, "/");
  const accounts = new Set<number>();
  const byNumber = await issuedInvoice(page, accounts);
  const byName = await issuedInvoice(page, accounts);
  const account = await apiGet<Row>(page, `accounts/${byName.account_id}`);
  const csv = [
    "Date;Amount;Payer;Description",
    `2026-11-02;${String(byNumber.balance_due)};Someone;Payment ${String(byNumber.number)}`,
    `2026-11-03;${String(byName.balance_due)};${String(account.name).toUpperCase()};Thank you`,
    "2026-11-04;12.34;Jane Unknown;Donation",
  ].join("\n");

  await page.goto("/setup/bank");
  await expect(page.getByRole("heading", { level: 1, name: "Bank statements" })).toBeVisible();
  await page.getByLabel("Statement file").setInputFiles({ name: "statement.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.getByLabel("Format").selectOption("csv");
  await page.getByLabel("Date", { exact: true }).fill("Date");
  await page.getByLabel("Amount", { exact: true }).fill("Amount");
  await page.getByLabel("Payer", { exact: true }).fill("Payer");
  await page.getByLabel("Description", { exact: true }).fill("Description");
  await page.getByRole("button", { name: "Upload statement" }).click();
  await expect(page.getByRole("status").filter({ hasText: "statement.csv: 3 new transactions" })).toBeVisible();

  // the invoice named in the remittance is paid at once
  await expect.poll(async () => (await apiGet<Row>(page, `invoices/${byNumber.id}`)).status).toBe("Paid");
  const statements = page.getByRole("table", { name: "Statements" });
  await expect(statements.getByRole("row").filter({ hasText: "statement.csv" }).getByText("Done")).toBeVisible();
  await expect(statements.getByRole("row").filter({ hasText: "statement.csv" }).getByText("3 of 3")).toBeVisible();

  // the one paid by amount and name waits in the review queue with its suggestion; accept it
  const queue = page.getByRole("article", { name: "Review queue" });
  const row = queue.getByRole("row").filter({ hasText: String(account.name).toUpperCase() });
  await expect(row.getByText(String(byName.number))).toBeVisible();
  await expect(row.getByText("Amount and name")).toBeVisible();
  await shot(page, "bank-statements");
  await row.getByRole("button", { name: new RegExp(`^Accept ${String(byName.number)}`) }).click();
  await expect(page.getByRole("status").filter({ hasText: `Applied to ${String(byName.number)}` })).toBeVisible();
  await expect.poll(async () => (await apiGet<Row>(page, `invoices/${byName.id}`)).status).toBe("Paid");
  await expect(queue.getByRole("row").filter({ hasText: "Jane Unknown" })).toBeVisible();
  const matched = page.getByRole("article", { name: "Matched transactions" });
  await expect(matched.getByRole("link", { name: String(byName.number) })).toBeVisible();

  // the paid invoice's page shows its reminders card; an open one offers "Send reminder now" and "Pause reminders"
  const open = await issuedInvoice(page, accounts);
  await page.goto(`/o/invoice/${open.id}`);
  await expect(page.getByRole("button", { name: "Send reminder now" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Pause reminders" })).toBeVisible();
  await expect(page.getByRole("article", { name: "Payment reminders" })).toBeVisible();

  // "Send reminder now": the reminder is listed with its PDF and logged on the invoice's timeline
  await page.getByRole("button", { name: "Send reminder now" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Send reminder now" }).click();
  await expect(page.getByRole("status").filter({ hasText: /Reminder .* sent to / })).toBeVisible();
  const reminders = page.getByRole("article", { name: "Payment reminders" });
  const pdf = reminders.getByRole("link", { name: /^Download the PDF of the .* reminder$/ }).first();
  await expect(pdf).toBeVisible();
  const reminderPdf = await page.request.get((await pdf.getAttribute("href")) ?? "");
  expect(reminderPdf.status()).toBe(200);
  expect(reminderPdf.headers()["content-type"]).toBe("application/pdf");
  const timeline = page.getByRole("article", { name: /^Activity \(\d+\)$/ });
  await expect(timeline.getByText(`for ${String(open.number)} sent to`, { exact: false })).toBeVisible();
  await shot(page, "invoice-reminders");

  // Setup › Reminder levels lists the default levels
  await page.goto("/setup/reminders");
  await expect(page.getByRole("table", { name: "Reminder levels" }).getByRole("row")).toHaveCount(4);
  await shot(page, "setup-reminder-levels");
});
