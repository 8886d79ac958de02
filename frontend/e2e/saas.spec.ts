import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test, type Page } from "@playwright/test";

// SaaS mode journeys run under playwright.saas.config.ts (the server started with E2E_SAAS_MODE=1).
test.skip(process.env.E2E_SAAS_MODE !== "1", "SaaS mode is off");

const PASSWORD = "Owner-Passphrase-2026";

/** The verification link of the newest mail to ``email``; the server mails during the request, read it from the mail folder. */
async function verificationLink(email: string): Promise<URL> {
  const dir = process.env.E2E_MAIL_DIR ?? "";
  let found: string | undefined;
  await expect
    .poll(() => {
      found = readdirSync(dir)
        .map((name) => readFileSync(join(dir, name), "utf8"))
        .filter((text) => text.includes(`To: ${email}`))
        .map((text) => text.match(/https?:\/\/\S+\/signup\/verify\?token=\S+/)?.[0])
        .filter((link): link is string => Boolean(link))
        .at(-1);
      return Boolean(found);
    })
    .toBe(true);
  return new URL(found as string);
}

async function csrf(page: Page): Promise<string> {
  return (await page.context().cookies()).find((cookie) => cookie.name === "csrftoken")?.value ?? "";
}

test("sign up, verify, see the plan, reach a limit and start an upgrade through Stripe Checkout", async ({ page }) => {
  test.setTimeout(120_000);
  const suffix = Date.now().toString(36);
  const organization = `Nimbus ${suffix}`;
  const email = `olive.${suffix}@example.com`;

  // Public sign-up from the sign-in page.
  await page.goto("/login");
  await page.getByRole("link", { name: "Create an organization" }).click();
  await expect(page.getByRole("heading", { name: "Create your organization" })).toBeVisible();
  await page.getByLabel("Organization name").fill(organization);
  await page.getByLabel("Your name").fill("Olive Owner");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign Up" }).click();
  await expect(page.getByText("Check your inbox: we sent you a link to confirm your email address.")).toBeVisible();

  // The mailed link verifies the address and creates the organization with its owner.
  const link = await verificationLink(email);
  await page.goto(link.pathname + link.search);
  await expect(page.getByText(`${organization} is ready. Sign in with ${email}.`)).toBeVisible();
  // A link works once.
  await page.goto(link.pathname + link.search);
  await expect(page.getByRole("alert")).toContainText("invalid, has expired or has already been used");

  // The owner signs in and sees the plan and what the organization uses of it.
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log In" }).click();
  await expect(page.getByRole("navigation", { name: "Navigation menu" })).toBeVisible();
  await page.goto("/setup/billing");
  await expect(page.getByRole("heading", { name: "Billing & Plan" })).toBeVisible();
  const current = page.getByRole("article").filter({ has: page.getByRole("heading", { name: "Current plan" }) });
  await expect(current).toContainText("Free");
  await expect(current).toContainText("1 of 3");
  await expect(page.getByRole("button", { name: "Current Plan" })).toBeDisabled();

  // Two more users fill the Free plan's three seats; inviting a fourth is refused with the plan's message.
  for (const name of ["Uma", "Ugo"]) {
    const created = await page.request.post("/api/v1/admin/users", {
      data: { name: `${name} User`, email: `${name.toLowerCase()}.${suffix}@example.com`, role: "user" },
      headers: { "X-CSRFToken": await csrf(page) },
    });
    expect(created.status()).toBe(201);
  }
  await page.goto("/setup/users");
  const invitations = page.getByRole("region", { name: "Invitations" });
  await invitations.getByRole("button", { name: "Invite User" }).click();
  const dialog = page.getByRole("dialog", { name: "Invite User" });
  await dialog.getByLabel("Email").fill(`fourth.${suffix}@example.com`);
  await dialog.getByLabel("Role").selectOption("user");
  await dialog.getByRole("button", { name: "Send Invitation" }).click();
  await expect(dialog.getByText("The Free plan includes 3 users and all of them are taken.", { exact: false })).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();

  // The billing page shows the seats taken; choosing Team opens Stripe Checkout (the local stand-in's session).
  await page.goto("/setup/billing");
  await expect(current).toContainText("3 of 3");
  await page.route("https://checkout.stripe.test/**", (route) =>
    route.fulfill({ status: 200, contentType: "text/html", body: "<html><body><h1>Stripe Checkout</h1></body></html>" }),
  );
  await page.getByRole("button", { name: "Choose Team" }).click();
  await page.waitForURL(/^https:\/\/checkout\.stripe\.test\/c\/pay\/cs_test_/);
  await expect(page.getByRole("heading", { name: "Stripe Checkout" })).toBeVisible();
});
