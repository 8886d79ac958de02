import { expect, test, type Page as BrowserPage } from "@playwright/test";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { signIn } from "./helpers";

// Sales documentation screenshots: `SCREENSHOTS=1 npx playwright test sales-screenshots` writes docs/screenshots/sales-*.png.
const OUT = resolve(dirname(fileURLToPath(import.meta.url)), "../../docs/screenshots");
test.skip(!process.env.SCREENSHOTS, "set SCREENSHOTS=1 to refresh the documentation screenshots");

type Row = { id: number; version: number; [key: string]: unknown };

async function apiPost<T>(page: BrowserPage, path: string, data: unknown, method: "post" | "patch" = "post"): Promise<T> {
  const csrf = (await page.context().cookies()).find((cookie) => cookie.name === "csrftoken")?.value ?? "";
  const response = await page.request[method](`/api/v1/${path}`, { data, headers: { "X-CSRFToken": csrf } });
  expect(response.ok(), `${method} ${path}: ${await response.text()}`).toBeTruthy();
  return (await response.json()) as T;
}

test("sales screenshots", async ({ page }) => {
  test.setTimeout(90_000);
  mkdirSync(OUT, { recursive: true });
  await signIn(page, "/o/lead");
  const lead = await apiPost<Row>(page, "leads", { first_name: "Elena", last_name: "Marinova", company: "Marinova Architects", status: "Qualified" });

  await page.goto(`/o/lead/${lead.id}`);
  await page.getByRole("button", { name: "Convert", exact: true }).click();
  const convert = page.getByRole("dialog", { name: "Convert Lead" });
  await convert.getByLabel(/Opportunity Name/).fill("Marinova Architects - Portfolio Website");
  await page.screenshot({ path: `${OUT}/sales-lead-convert-modal.png` });
  await convert.getByRole("button", { name: "Convert" }).click();
  await expect(page.getByRole("dialog", { name: "Your lead has been converted" })).toBeVisible();
  await page.screenshot({ path: `${OUT}/sales-lead-converted.png` });

  const converted = await (await page.request.get(`/api/v1/leads/${lead.id}`)).json();
  const opportunityId = converted.converted_opportunity_id as number;
  const products = (await (await page.request.get("/api/v1/products?page_size=50")).json()).results as Row[];
  const byName = (name: string) => products.find((product) => product.name === name)!.id;
  await apiPost(page, `opportunities/${opportunityId}/line_items`, { product_id: byName("New Website Build"), quantity: "1" });
  await apiPost(page, `opportunities/${opportunityId}/line_items`, { product_id: byName("Photography Day"), quantity: "2", sale_price: "850.00" });
  await page.goto(`/o/opportunity/${opportunityId}`);
  await expect(page.getByRole("article", { name: "Products (2)" })).toBeVisible();
  await page.screenshot({ path: `${OUT}/sales-opportunity-products.png`, fullPage: true });

  await page.getByRole("button", { name: "Add Product" }).click();
  await page.getByRole("dialog", { name: "Add Product" }).getByRole("combobox", { name: "Product" }).fill("Logo");
  await expect(page.getByRole("dialog", { name: "Add Product" }).getByRole("option", { name: /Logo Design/ })).toBeVisible();
  await page.screenshot({ path: `${OUT}/sales-add-product-modal.png` });
  await page.keyboard.press("Escape");

  await page.goto("/o/opportunity/pipeline");
  await expect(page.getByRole("listitem", { name: "Closed Won" })).toBeVisible();
  await page.screenshot({ path: `${OUT}/sales-kanban.png` });

  const opportunity = await (await page.request.get(`/api/v1/opportunities/${opportunityId}`)).json();
  await apiPost(page, `opportunities/${opportunityId}`, { stage: "Closed Won", version: opportunity.version }, "patch");
  const order = await apiPost<Row>(page, `opportunities/${opportunityId}/generate-order`, {});
  await apiPost(page, `orders/${order.id}/payments`, { amount: "2000.00", payment_date: "2025-05-02", payment_method: "Bank Transfer", status: "Completed" });
  const second = await apiPost<Row>(page, `orders/${order.id}/payments`, {
    amount: "500.00",
    payment_date: "2025-05-09",
    payment_method: "Stripe",
    status: "Completed",
  });
  await apiPost(page, `payments/${second.id}`, { status: "Void", version: second.version }, "patch");
  await page.goto(`/o/order/${order.id}`);
  await expect(page.getByRole("article", { name: "Payments (2)" })).toBeVisible();
  await page.screenshot({ path: `${OUT}/sales-order-payments.png`, fullPage: true });

  await page.getByRole("button", { name: "Log Payment" }).click();
  const dialog = page.getByRole("dialog", { name: "Log Payment" });
  await dialog.getByText("Retainer payment").click();
  await expect(dialog.getByLabel(/Service Period Start/)).toBeVisible();
  await page.screenshot({ path: `${OUT}/sales-log-payment-modal.png` });
  await page.keyboard.press("Escape");

  await page.setViewportSize({ width: 375, height: 812 });
  await page.goto("/o/opportunity/pipeline");
  await expect(page.getByRole("listitem", { name: "Qualifying" })).toBeVisible();
  await page.screenshot({ path: `${OUT}/sales-mobile-kanban.png` });
  await page.goto(`/o/order/${order.id}`);
  await expect(page.getByRole("article", { name: "Payments (2)" })).toBeVisible();
  await page.screenshot({ path: `${OUT}/sales-mobile-order.png`, fullPage: true });
});
