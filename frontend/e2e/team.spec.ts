import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./helpers";

const SHOTS = process.env.SCREENSHOTS ? "../docs/screenshots" : null;

async function shot(page: Page, name: string): Promise<void> {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

/** The newest link to ``page`` in the mail sent to ``email``; the server mails in the background, so wait for it. */
async function mailedLink(email: string, page: "set-password" | "reset-password", after = 0): Promise<URL> {
  const dir = process.env.E2E_MAIL_DIR ?? "";
  let found: string | undefined;
  await expect
    .poll(() => {
      const mails = readdirSync(dir)
        .map((name) => readFileSync(join(dir, name), "utf8"))
        .filter((text) => text.includes(`To: ${email}`))
        .map((text) => text.match(new RegExp(`https?://\\S+/${page}\\?\\S+`))?.[0])
        .filter((link): link is string => Boolean(link));
      found = mails.length > after ? mails.at(-1) : undefined;
      return Boolean(found);
    })
    .toBe(true);
  return new URL(found as string);
}

function mailCount(email: string, page: string): number {
  const dir = process.env.E2E_MAIL_DIR ?? "";
  return readdirSync(dir)
    .map((name) => readFileSync(join(dir, name), "utf8"))
    .filter((text) => text.includes(`To: ${email}`) && text.includes(`/${page}?`)).length;
}

test("a new user sets a password from the welcome mail, forgets it, resets it and signs in", async ({ page, browser }) => {
  const suffix = Date.now().toString(36);
  const email = `nora.${suffix}@example.com`;
  await signIn(page, "/setup/users");
  const created = await page.request.post("/api/v1/admin/users", {
    data: { name: `Nora New ${suffix}`, email, role: "user" },
    headers: { "X-CSRFToken": (await page.context().cookies()).find((cookie) => cookie.name === "csrftoken")?.value ?? "" },
  });
  expect(created.status()).toBe(201);

  // The welcome link opens the set-password page.
  const context = await browser.newContext();
  const nora = await context.newPage();
  const welcome = await mailedLink(email, "set-password");
  await nora.goto(welcome.pathname + welcome.search);
  await expect(nora.getByRole("heading", { level: 1, name: "Choose your password" })).toBeVisible();
  await nora.getByLabel("New password").fill("First-Passphrase-2026");
  await nora.getByLabel("Confirm password").fill("Something-Else-2026");
  await nora.getByRole("button", { name: "Save Password" }).click();
  await expect(nora.getByText("The two passwords differ.")).toBeVisible();
  await nora.getByLabel("Confirm password").fill("First-Passphrase-2026");
  await shot(nora, "set-password");
  await nora.getByRole("button", { name: "Save Password" }).click();
  await expect(nora.getByText("Your password has been set. You can sign in now.")).toBeVisible();

  // The same link a second time is refused.
  await nora.goto(welcome.pathname + welcome.search);
  await nora.getByLabel("New password").fill("Second-Passphrase-2026");
  await nora.getByLabel("Confirm password").fill("Second-Passphrase-2026");
  await nora.getByRole("button", { name: "Save Password" }).click();
  await expect(nora.getByText("This link is invalid, has expired or has already been used. Ask for a new one.")).toBeVisible();

  // Forgot password from the sign-in page: the same answer for a known and an unknown address.
  await nora.goto("/login");
  await nora.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(nora.getByRole("heading", { level: 1, name: "Reset your password" })).toBeVisible();
  await nora.getByLabel("Email").fill(`ghost.${suffix}@example.com`);
  await nora.getByRole("button", { name: "Send Reset Link" }).click();
  const answer = "If an account with this email exists, a link to reset its password is on its way.";
  await expect(nora.getByText(answer)).toBeVisible();
  await nora.goto("/forgot-password");
  await nora.getByLabel("Email").fill(email);
  await shot(nora, "forgot-password");
  const before = mailCount(email, "reset-password");
  await nora.getByRole("button", { name: "Send Reset Link" }).click();
  await expect(nora.getByText(answer)).toBeVisible();

  // The reset mail's link sets a new password; the old one stops working, the new one signs in.
  const reset = await mailedLink(email, "reset-password", before);
  await nora.goto(reset.pathname + reset.search);
  await expect(nora.getByRole("heading", { level: 1, name: "Choose a new password" })).toBeVisible();
  await nora.getByLabel("New password").fill("Reset-Passphrase-2026");
  await nora.getByLabel("Confirm password").fill("Reset-Passphrase-2026");
  await nora.getByRole("button", { name: "Save Password" }).click();
  await expect(nora.getByText("Your password has been set. You can sign in now.")).toBeVisible();
  await nora.getByRole("link", { name: "Log In" }).click();
  await nora.getByLabel("Email").fill(email);
  await nora.getByLabel("Password").fill("First-Passphrase-2026");
  await nora.getByRole("button", { name: "Log In" }).click();
  await expect(nora.getByRole("alert")).toHaveText("Invalid email or password.");
  await nora.getByLabel("Password").fill("Reset-Passphrase-2026");
  await nora.getByRole("button", { name: "Log In" }).click();
  await expect(nora.getByRole("navigation", { name: "Navigation menu" })).toBeVisible();
  await context.close();
});

test("an admin fills in the organization's profile; a bad IBAN is a field error", async ({ page }) => {
  await signIn(page, "/settings");
  await expect(page.getByLabel("Legal Name")).toBeVisible();
  await page.getByLabel("Legal Name").fill("Demo Agency EOOD");
  await page.getByLabel("IBAN").fill("BG80 BNBG 9661 1020 3456 79");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Not a valid IBAN.")).toBeVisible();
  await page.getByLabel("IBAN").fill("BG80 BNBG 9661 1020 3456 78");
  await page.getByLabel("BIC").fill("BNBGBGSD");
  await page.getByLabel("VAT Number").fill("BG175074752");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Organization settings were saved." })).toBeVisible();
  const saved = (await (await page.request.get("/api/v1/organization")).json()) as Record<string, string>;
  expect([saved.legal_name, saved.iban, saved.bic, saved.vat_number]).toEqual(["Demo Agency EOOD", "BG80BNBG96611020345678", "BNBGBGSD", "BG175074752"]);
  await shot(page, "organization-settings");
});

test("switching the profile language to Bulgarian makes the server's validation errors Bulgarian", async ({ page }) => {
  await signIn(page, "/profile");
  await expect(page.getByRole("heading", { level: 1, name: "My Profile" })).toBeVisible();
  await shot(page, "profile");
  await page.getByLabel("Language").selectOption("bg");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Моят профил" })).toBeVisible();
  try {
    await page.goto("/settings");
    await page.getByLabel("IBAN").fill("BG80 BNBG 9661 1020 3456 79");
    await page.getByLabel("Часова зона").fill("Mars/Olympus");
    await page.getByRole("button", { name: "Запис", exact: true }).click();
    await expect(page.getByText("Невалиден IBAN.")).toBeVisible();
    await expect(page.getByText("Не е часова зона (напр. Europe/Sofia).")).toBeVisible();
    await shot(page, "organization-settings-bg");
  } finally {
    // Back to English for the other journeys (they sign in as the same admin).
    const me = (await (await page.request.get("/api/v1/auth/me")).json()) as { version: number };
    const csrf = (await page.context().cookies()).find((cookie) => cookie.name === "csrftoken")?.value ?? "";
    const reset = await page.request.patch("/api/v1/auth/me", { data: { language: "en", version: me.version }, headers: { "X-CSRFToken": csrf } });
    expect(reset.status()).toBe(200);
  }
});
