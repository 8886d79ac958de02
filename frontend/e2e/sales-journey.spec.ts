import { expect, test, type Page as BrowserPage } from "@playwright/test";
import { apiGet, signIn } from "./helpers";

type Row = { id: number; version: number; [key: string]: unknown };

async function dragTo(page: BrowserPage, from: { x: number; y: number }, to: { x: number; y: number }) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 10, from.y + 10, { steps: 5 });
  await page.mouse.move(to.x, to.y, { steps: 20 });
  await page.mouse.up();
}

test("lead to order: convert, add products, win on the Kanban, generate the order, pay, void", async ({ page }) => {
  test.setTimeout(120_000);
  const suffix = Date.now().toString(36);
  const company = `Orbit Labs ${suffix}`;
  const opportunityName = `${company} - Website`;

  // 1. Create a lead.
  await signIn(page, "/o/lead");
  await page.getByRole("button", { name: "New", exact: true }).click();
  const leadDialog = page.getByRole("dialog", { name: "New Lead" });
  await leadDialog.getByLabel("First Name").fill("Iva");
  await leadDialog.getByLabel("Last Name").fill(`Petrova ${suffix}`);
  await leadDialog.getByLabel("Company").fill(company);
  await leadDialog.getByLabel(/Status/).selectOption("Qualified");
  await leadDialog.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Iva Petrova ${suffix}` })).toBeVisible();
  const leadId = Number(page.url().split("/").pop());

  // 2. Convert it.
  await page.getByRole("button", { name: "Convert", exact: true }).click();
  const convert = page.getByRole("dialog", { name: "Convert Lead" });
  await expect(convert.getByText(company, { exact: true })).toBeVisible();
  await convert.getByLabel(/Opportunity Name/).fill(opportunityName);
  await convert.getByRole("button", { name: "Convert" }).click();
  const success = page.getByRole("dialog", { name: "Your lead has been converted" });
  await expect(success.getByRole("link", { name: company, exact: true })).toBeVisible();
  await expect(success.getByRole("link", { name: `Iva Petrova ${suffix}` })).toBeVisible();
  const lead = await apiGet<Row>(page, `leads/${leadId}`);
  expect(lead).toMatchObject({ status: "Converted" });
  const opportunityId = lead.converted_opportunity_id as number;
  expect(opportunityId).toBeGreaterThan(0);
  await success.getByRole("link", { name: opportunityName }).click();
  await expect(page.getByRole("heading", { level: 1, name: opportunityName })).toBeVisible();

  // 3. Add two products; the amount updates at once.
  for (const [product, quantity] of [
    ["Logo Design", "1"],
    ["Photography Day", "2"],
  ] as const) {
    await page.getByRole("button", { name: "Add Product" }).click();
    const dialog = page.getByRole("dialog", { name: "Add Product" });
    await dialog.getByRole("combobox", { name: "Product" }).fill(product);
    await dialog.getByRole("option", { name: new RegExp(product) }).click();
    await expect(dialog.getByRole("textbox", { name: /Product$/ })).toHaveValue(product);
    await expect(dialog.getByLabel(/Sales Price/)).not.toHaveValue("");
    await dialog.getByLabel(/Quantity/).fill(quantity);
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect(dialog).toBeHidden();
  }
  const products = page.getByRole("article", { name: "Products (2)" });
  await expect(products.getByText("Photography Day")).toBeVisible();
  await expect(page.locator(".slds-page-header__detail-row")).toContainText("€2,600.00");
  const withLines = await apiGet<Row>(page, `opportunities/${opportunityId}`);
  expect(withLines.amount).toBe("2600.00");
  expect((withLines.line_items as Row[]).map((line) => [line.product_name, line.quantity, line.sale_price])).toEqual([
    ["Logo Design", "1.00", "800.00"],
    ["Photography Day", "2.00", "900.00"],
  ]);

  // 4. Drag the card to Closed Won on the Kanban.
  await page.goto("/o/opportunity/pipeline");
  const card = page.getByTestId(`kanban-card-${opportunityId}`);
  await expect(card).toBeVisible();
  const target = page.getByRole("listitem", { name: "Closed Won" });
  await target.scrollIntoViewIfNeeded();
  await card.scrollIntoViewIfNeeded();
  const from = await card.getByText(company, { exact: true }).boundingBox();
  const to = await target.boundingBox();
  expect(from && to).toBeTruthy();
  await dragTo(page, { x: from!.x + 20, y: from!.y + from!.height / 2 }, { x: to!.x + to!.width / 2, y: to!.y + 80 });
  await expect(page.getByRole("status").filter({ hasText: `“${opportunityName}” moved to Closed Won.` })).toBeVisible();
  await expect(target.getByTestId(`kanban-card-${opportunityId}`)).toBeVisible();
  expect(await apiGet<Row>(page, `opportunities/${opportunityId}`)).toMatchObject({ stage: "Closed Won", probability: 100 });

  // 5. Generate the order.
  await page.goto(`/o/opportunity/${opportunityId}`);
  await page.getByRole("button", { name: "Generate Order" }).click();
  const confirm = page.getByRole("dialog", { name: "Generate Order" });
  await confirm.getByRole("button", { name: "Generate" }).click();
  await expect(page.getByRole("status").filter({ hasText: /Order .+ was created\./ })).toBeVisible();
  await expect(page).toHaveURL(/\/o\/order\/\d+$/);
  const orderId = Number(page.url().split("/").pop());
  const order = await apiGet<Row>(page, `orders/${orderId}`);
  expect(order).toMatchObject({ status: "Awaiting Payment", total: "2600.00", opportunity_id: opportunityId });
  await expect(page.getByRole("article", { name: "Line Items (2)" })).toBeVisible();

  // 6. Two payments until Paid in Full.
  await page.getByRole("button", { name: "Log Payment" }).click();
  let payment = page.getByRole("dialog", { name: "Log Payment" });
  await expect(payment.getByLabel(/Amount/)).toHaveValue("2600.00");
  await payment.getByLabel(/Amount/).fill("1000");
  await payment.getByLabel("Transaction ID").fill(`TX-${suffix}-1`);
  await payment.getByRole("button", { name: "Save" }).click();
  await expect(payment).toBeHidden();
  await expect(page.getByRole("article", { name: "Payments (1)" })).toBeVisible();
  expect(await apiGet<Row>(page, `orders/${orderId}`)).toMatchObject({ status: "Partially Paid", amount_paid: "1000.00", balance_due: "1600.00" });

  await page.getByRole("button", { name: "Log Payment" }).click();
  payment = page.getByRole("dialog", { name: "Log Payment" });
  await expect(payment.getByLabel(/Amount/)).toHaveValue("1600.00");
  await payment.getByLabel("Payment Method").selectOption("Cash");
  await payment.getByRole("button", { name: "Save" }).click();
  await expect(payment).toBeHidden();
  const payments = page.getByRole("article", { name: "Payments (2)" });
  await expect(payments).toBeVisible();
  await expect(page.getByRole("option", { name: "Paid in Full", selected: true })).toBeVisible();
  expect(await apiGet<Row>(page, `orders/${orderId}`)).toMatchObject({ status: "Paid in Full", amount_paid: "2600.00", balance_due: "0.00" });

  // 7. Void one: back to Partially Paid, the row struck through.
  await payments.getByRole("button", { name: /Void the payment of €1,600.00/ }).click();
  await page.getByRole("dialog", { name: "Void Payment" }).getByRole("button", { name: "Void" }).click();
  await expect(page.getByRole("status").filter({ hasText: "The payment of €1,600.00 was voided." })).toBeVisible();
  await expect(payments.locator("tr.crm-payment-void s").first()).toBeVisible();
  const voided = await apiGet<Row>(page, `orders/${orderId}`);
  expect(voided).toMatchObject({ status: "Partially Paid", amount_paid: "1000.00", balance_due: "1600.00" });
  expect((voided.payments as Row[]).map((row) => row.status).sort()).toEqual(["Completed", "Void"]);

  // 8. More than the balance is refused, unless kept as the client's credit.
  await page.getByRole("button", { name: "Log Payment" }).click();
  payment = page.getByRole("dialog", { name: "Log Payment" });
  await payment.getByLabel(/Amount/).fill("2000");
  await payment.getByRole("button", { name: "Save" }).click();
  await expect(payment.getByText(/At most 1,600.00 is open on order/)).toBeVisible();
  expect(await apiGet<Row>(page, `orders/${orderId}`)).toMatchObject({ amount_paid: "1000.00", balance_due: "1600.00" });
  // The SLDS checkbox draws its own box over the input: click its label, as a user does.
  await payment.getByText(/overpayment/).click();
  await expect(payment.getByLabel(/overpayment/)).toBeChecked();
  await payment.getByRole("button", { name: "Save" }).click();
  await expect(payment).toBeHidden();
  await expect(page.getByText("Credit", { exact: true })).toBeVisible();
  expect(await apiGet<Row>(page, `orders/${orderId}`)).toMatchObject({ status: "Paid in Full", amount_paid: "3000.00", balance_due: "-400.00" });
});
