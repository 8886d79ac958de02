import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

// SaaS mode pages; run with E2E_SAAS_MODE=1 (the server script then turns SAAS_MODE on).
test.skip(process.env.E2E_SAAS_MODE !== "1", "SaaS mode is off");

test("sign-up, verification and Setup › Billing & Plan", async ({ page }) => {
  await page.goto("/login");
  await expect(page.getByRole("link", { name: "Create an organization" })).toBeVisible();
  await page.getByRole("link", { name: "Create an organization" }).click();
  await expect(page.getByRole("heading", { name: "Create your organization" })).toBeVisible();
  await page.screenshot({ path: "../docs/screenshots/saas-signup.png" });
  await page.goto("/signup/verify?token=not-a-real-token");
  await expect(page.getByRole("alert")).toContainText("invalid");
  await page.screenshot({ path: "../docs/screenshots/saas-verify-invalid.png" });

  await signIn(page, "/setup/billing");
  await expect(page.getByRole("heading", { name: "Billing & Plan" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Current plan" })).toBeVisible();
  await page.screenshot({ path: "../docs/screenshots/saas-billing.png", fullPage: true });
});
