import { expect, test } from "@playwright/test";
import { apiGet, signIn } from "./helpers";

test("restore a deactivated account from the recycle bin", async ({ page }) => {
  const name = `Old Partner ${Date.now().toString(36)}`;
  await signIn(page);
  const csrf = (await page.context().cookies()).find((cookie) => cookie.name === "csrftoken")?.value ?? "";
  const created = await page.request.post("/api/v1/accounts", { data: { name, type: "Customer" }, headers: { "X-CSRFToken": csrf } });
  const account = (await created.json()) as { id: number; version: number };
  const deactivated = await page.request.patch(`/api/v1/accounts/${account.id}`, {
    data: { is_active: false, version: account.version },
    headers: { "X-CSRFToken": csrf },
  });
  expect(deactivated.status()).toBe(200);

  await page.getByRole("button", { name: "User menu" }).click();
  await page.getByRole("menuitem", { name: "Recycle Bin" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Recycle Bin" })).toBeVisible();
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name }) });
  await row.getByRole("button", { name: "Restore" }).click();
  await expect(page.getByRole("status").filter({ hasText: `“${name}” was restored.` })).toBeVisible();
  await expect(page.getByRole("link", { name })).toHaveCount(0);
  expect((await apiGet<{ is_active: boolean }>(page, `accounts/${account.id}`)).is_active).toBe(true);
});
