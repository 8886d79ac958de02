import { expect, test } from "@playwright/test";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { apiGet, signIn } from "./helpers";

// Documentation screenshots: `SCREENSHOTS=1 npx playwright test screenshots` writes docs/screenshots/*.png.
const OUT = resolve(dirname(fileURLToPath(import.meta.url)), "../../docs/screenshots");
test.skip(!process.env.SCREENSHOTS, "set SCREENSHOTS=1 to refresh the documentation screenshots");

type Row = { id: number; name: string };

test("documentation screenshots", async ({ page }) => {
  mkdirSync(OUT, { recursive: true });
  await page.goto("/login");
  await expect(page.getByRole("button", { name: "Log In" })).toBeVisible();
  await page.screenshot({ path: `${OUT}/login.png` });

  await signIn(page, "/o/account");
  await expect(page.getByRole("table").getByRole("row").nth(10)).toBeVisible();
  await page.screenshot({ path: `${OUT}/account-list.png` });

  const accounts = await apiGet<{ results: Row[] }>(page, "accounts?ordering=name&page_size=1");
  await page.goto(`/o/account/${accounts.results[0].id}`);
  await expect(page.getByRole("article", { name: /Contacts \(\d+\)/ })).toBeVisible();
  await expect(page.getByRole("article", { name: /Opportunities \(\d+\)/ })).toBeVisible();
  await expect(page.getByRole("article", { name: /Payments \(\d+\)/ })).toBeVisible();
  await expect(page.getByRole("article", { name: /History \(\d+\)/ })).toBeVisible();
  // The related lists that read their rows from the API (payments) have loaded: the full page is measured once.
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: `${OUT}/account-record.png`, fullPage: true });

  await page
    .getByRole("article", { name: /Contacts/ })
    .getByRole("button", { name: "New Contact" })
    .click();
  const dialog = page.getByRole("dialog", { name: "New Contact" });
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog.getByText("We hit a snag.")).toBeVisible();
  await page.screenshot({ path: `${OUT}/contact-form-modal.png` });
  await dialog.getByRole("button", { name: "Cancel" }).click();

  await page.setViewportSize({ width: 375, height: 812 });
  await page.goto("/o/contact");
  await expect(page.getByRole("table")).toBeVisible();
  await page.screenshot({ path: `${OUT}/mobile-contact-list.png` });
  await page.getByRole("button", { name: "Navigation menu" }).click();
  await page.screenshot({ path: `${OUT}/mobile-nav-menu.png` });
  await page.goto(`/o/account/${accounts.results[0].id}`);
  await expect(page.getByRole("article", { name: /Contacts/ })).toBeVisible();
  await page.screenshot({ path: `${OUT}/mobile-account-record.png` });

  await page.setViewportSize({ width: 1366, height: 860 });
  await page.getByRole("button", { name: "User menu" }).click();
  await page.getByRole("menuitemradio", { name: "Български" }).click();
  await expect(page.getByRole("heading", { name: "Подробности" })).toBeVisible();
  await page.screenshot({ path: `${OUT}/bulgarian-account-record.png` });
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: /Добре дошли/ })).toBeVisible();
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${OUT}/bulgarian-home.png` });
});
