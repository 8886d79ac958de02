import { createHmac } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { apiGet, signIn } from "./helpers";

type Row = { id: number; version: number; [key: string]: unknown };

// serve.sh starts the server with a local Stripe stand-in and this webhook secret.
const WEBHOOK_SECRET = "whsec_test_e2e";

async function apiPost<T>(page: Page, path: string, data: unknown): Promise<T> {
  const cookies = await page.context().cookies();
  const csrf = cookies.find((cookie) => cookie.name === "csrftoken")?.value ?? "";
  const response = await page.request.post(`/api/v1/${path}`, { data, headers: { "X-CSRFToken": csrf } });
  expect(response.status(), `POST ${path}: ${await response.text()}`).toBeLessThan(300);
  return (await response.json()) as T;
}

test("Pay Online: a Stripe Checkout link for an issued invoice, paid by the webhook", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, "/");
  const suffix = Date.now().toString(36);
  const accounts = await apiGet<{ results: Row[] }>(page, "accounts?page_size=1");
  const products = await apiGet<{ results: Row[] }>(page, "products?page_size=1");
  const opportunity = await apiPost<Row>(page, "opportunities", {
    name: `Pay online ${suffix}`,
    account_id: accounts.results[0].id,
    stage: "Closed Won",
    close_date: "2030-01-31",
  });
  await apiPost(page, `opportunities/${opportunity.id}/line_items`, { product_id: products.results[0].id, quantity: "1" });
  const order = await apiPost<Row>(page, `opportunities/${opportunity.id}/generate-order`, {});
  const draft = await apiPost<Row>(page, `orders/${order.id}/invoices`, {});
  const invoice = await apiPost<Row>(page, `invoices/${draft.id}/issue`, {});

  await page.goto(`/o/invoice/${invoice.id}`);
  await page.getByRole("button", { name: "Pay Online" }).click();
  const dialog = page.getByRole("dialog", { name: "Pay online" });
  await dialog.getByRole("button", { name: "Create Payment Link" }).click();
  const field = dialog.getByLabel("Payment link");
  await expect(field).toHaveValue(/^https:\/\/checkout\.stripe\.test\/c\/pay\/cs_test_/);
  await expect(dialog.getByRole("button", { name: "Copy Link" })).toBeVisible();
  if (process.env.SCREENSHOTS) await page.screenshot({ path: "../docs/screenshots/invoice-pay-online.png" });
  const url = await field.inputValue();
  await dialog.getByRole("button", { name: "Close" }).first().click();

  // Stripe reports the completed checkout: a signed event for the session.
  const link = await apiGet<{ link: { url: string; amount_minor: number; currency: string } }>(page, `invoices/${invoice.id}/payment-link`);
  expect(link.link.url).toBe(url);
  const payload = JSON.stringify({
    id: `evt_e2e_${suffix}`,
    object: "event",
    created: Math.floor(Date.now() / 1000),
    type: "checkout.session.completed",
    data: {
      object: {
        id: url.split("/").pop(),
        object: "checkout.session",
        payment_status: "paid",
        amount_total: link.link.amount_minor,
        currency: link.link.currency,
        client_reference_id: String(invoice.id),
        metadata: { invoice_id: String(invoice.id) },
        payment_intent: `pi_e2e_${suffix}`,
      },
    },
  });
  const stamp = Math.floor(Date.now() / 1000);
  const signature = createHmac("sha256", WEBHOOK_SECRET).update(`${stamp}.${payload}`).digest("hex");
  const delivered = await page.request.post("/api/v1/stripe/webhook", {
    data: payload,
    headers: { "Content-Type": "application/json", "Stripe-Signature": `t=${stamp},v1=${signature}` },
  });
  expect(delivered.status()).toBe(200);
  await expect.poll(async () => (await apiGet<Row>(page, `invoices/${invoice.id}`)).status).toBe("Paid");
  await page.reload();
  const payments = page.getByRole("article", { name: "Payments (1)" });
  await expect(payments.getByRole("cell", { name: "Stripe" })).toBeVisible();
  await expect(payments.getByRole("cell", { name: "Completed" })).toBeVisible();
  if (process.env.SCREENSHOTS) await page.screenshot({ path: "../docs/screenshots/invoice-paid-by-stripe.png", fullPage: true });
});
