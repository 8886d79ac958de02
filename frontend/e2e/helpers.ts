import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, type Page } from "@playwright/test";

export const ADMIN_EMAIL = "admin@example.com";
export const ADMIN_PASSWORD = process.env.E2E_ADMIN_PASSWORD ?? "E2e-Pass-2024!";

export async function signIn(page: Page, path = "/"): Promise<void> {
  await page.goto(path);
  await page.getByLabel("Email").fill(ADMIN_EMAIL);
  await page.getByLabel("Password").fill(ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Log In" }).click();
  await expect(page.getByRole("navigation", { name: "Navigation menu" })).toBeVisible();
}

/** GET an API path with the page's session cookie. */
export async function apiGet<T>(page: Page, path: string): Promise<T> {
  const response = await page.request.get(`/api/v1/${path}`);
  expect(response.status(), `GET ${path}`).toBe(200);
  return (await response.json()) as T;
}

/** The body of a MIME part, decoded from quoted-printable or base64 when the part says so. */
function decodePart(part: string): string {
  const [head, ...rest] = part.split(/\r?\n\r?\n/);
  const body = rest.join("\n\n");
  if (/Content-Transfer-Encoding:\s*quoted-printable/i.test(head)) {
    const bytes = body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(bytes, "latin1").toString("utf8");
  }
  if (/Content-Transfer-Encoding:\s*base64/i.test(head)) return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  return body;
}

/** The HTML part of the newest mail to `to` with `subject` in the mail folder the server writes (e2e/serve.sh). */
export function htmlOfMailTo(to: string, subject: string): string | null {
  const dir = process.env.E2E_MAIL_DIR ?? "";
  // A file holds every message of one connection, each followed by a line of dashes.
  const mail = readdirSync(dir)
    .flatMap((name) => readFileSync(join(dir, name), "utf8").split(/^-{79}$/m))
    .filter((text) => new RegExp(`^To: ${to.replace(/[.+]/g, "\\$&")}$`, "m").test(text) && text.includes(`Subject: ${subject}`))
    .at(-1);
  if (!mail) return null;
  const part = mail.split(/\r?\n--[^\r\n]+\r?\n/).find((chunk) => /Content-Type: text\/html/i.test(chunk));
  return part ? decodePart(part) : null;
}
