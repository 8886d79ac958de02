import { expect, test, type Page as BrowserPage } from "@playwright/test";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { signIn } from "./helpers";

// Billing rules screenshots: `SCREENSHOTS=1 npx playwright test money-screenshots` writes docs/screenshots/money-*.png.
const OUT = resolve(dirname(fileURLToPath(import.meta.url)), "../../docs/screenshots");
test.skip(!process.env.SCREENSHOTS, "set SCREENSHOTS=1 to refresh the documentation screenshots");

type Row = { id: number; version: number; [key: string]: unknown };

async function apiSend<T>(page: BrowserPage, path: string, data: unknown, method: "post" | "patch" | "put" = "post"): Promise<T> {
  const csrf = (await page.context().cookies()).find((cookie) => cookie.name === "csrftoken")?.value ?? "";
  const response = await page.request[method](`/api/v1/${path}`, { data, headers: { "X-CSRFToken": csrf } });
  expect(response.ok(), `${method} ${path}: ${await response.text()}`).toBeTruthy();
  return (await response.json()) as T;
}

test("money screenshots", async ({ page }) => {
  test.setTimeout(90_000);
  mkdirSync(OUT, { recursive: true });
  await signIn(page, "/");
  const account = await apiSend<Row>(page, "accounts", { name: "Kovacheva Dental" });
  const deal = await apiSend<Row>(page, "opportunities", { name: "Kovacheva Dental - Booking Site", stage: "Negotiation", account_id: account.id });
  const products = (await (await page.request.get("/api/v1/products?page_size=50")).json()).results as Row[];
  const website = products.find((product) => product.name === "New Website Build")!;
  await apiSend(page, `opportunities/${deal.id}/line_items`, { product_id: website.id, quantity: "1", sale_price: "2400.00" });
  await apiSend(page, `opportunities/${deal.id}`, { stage: "Closed Won", version: deal.version }, "patch");
  const order = await apiSend<Row>(page, `opportunities/${deal.id}/generate-order`, {});

  await page.goto(`/o/order/${order.id}`);
  await page.getByRole("button", { name: "Log Payment" }).click();
  const payment = page.getByRole("dialog", { name: "Log Payment" });
  await payment.getByLabel(/Amount/).fill("3000");
  await payment.getByRole("button", { name: "Save" }).click();
  await expect(payment.getByText(/At most 2,400.00 is open/)).toBeVisible();
  await page.screenshot({ path: `${OUT}/money-payment-above-balance.png` });
  // The SLDS checkbox draws its own box over the input: click its label, as a user does.
  await payment.getByText(/overpayment/).click();
  await expect(payment.getByLabel(/overpayment/)).toBeChecked();
  await payment.getByRole("button", { name: "Save" }).click();
  await expect(payment).toBeHidden();
  await expect(page.getByText("Credit", { exact: true })).toBeVisible();
  await page.screenshot({ path: `${OUT}/money-order-credit.png` });

  await page.goto("/setup/organization");
  await expect(page.getByLabel("Allow fulfilling orders before they are paid in full")).toBeVisible();
  await page.screenshot({ path: `${OUT}/money-organization-settings.png` });
});
