import { expect, test } from "@playwright/test";
import { ADMIN_EMAIL, signIn } from "./helpers";

test("wrong password shows the generic error", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/login$/);
  await page.getByLabel("Email").fill(ADMIN_EMAIL);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Log In" }).click();
  await expect(page.getByRole("alert")).toHaveText("Invalid email or password.");
  await expect(page).toHaveURL(/\/login$/);
});

test("sign in returns to the deep link, sign out lands on the login page", async ({ page }) => {
  await page.goto("/o/contact?scope=mine");
  await expect(page).toHaveURL(/\/login\?next=/);
  await signIn(page, page.url());
  await expect(page).toHaveURL(/\/o\/contact\?scope=mine$/);
  await expect(page.getByRole("heading", { level: 1, name: "My Contacts" })).toBeVisible();

  await page.getByRole("button", { name: "User menu" }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/o/account");
  await expect(page).toHaveURL(/\/login\?next=%2Fo%2Faccount$/);
});
