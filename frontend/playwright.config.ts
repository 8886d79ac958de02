import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig, devices } from "@playwright/test";

/** A port no other process holds, asked of the system once; the test workers inherit it. */
function freePort(): number {
  const script = "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})";
  return Number(execFileSync(process.execPath, ["-e", script]).toString().trim());
}

process.env.E2E_PORT ||= String(freePort());
const port = Number(process.env.E2E_PORT);
// The server writes mail here (e2e/serve.sh); journeys read links from it. The process that makes
// the folder removes it when it exits (the test workers inherit the path).
if (!process.env.E2E_MAIL_DIR) {
  const mailDir = mkdtempSync(join(tmpdir(), "crm-e2e-mail-"));
  process.env.E2E_MAIL_DIR = mailDir;
  process.on("exit", () => rmSync(mailDir, { recursive: true, force: true }));
}

export default defineConfig({
  testDir: "./e2e",
  // Documentation screenshots are made on request (SCREENSHOTS=1), not in every test run. The SaaS
  // mode journeys need a server in SaaS mode: playwright.saas.config.ts runs them.
  testIgnore: [...(process.env.SCREENSHOTS ? [] : ["**/*screenshots.spec.ts"]), ...(process.env.E2E_SAAS_MODE === "1" ? [] : ["**/saas*.spec.ts"])],
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 7_000 },
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    headless: true,
    trace: "off",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], viewport: { width: 1366, height: 860 } } }],
  webServer: {
    command: "./e2e/serve.sh",
    url: `http://127.0.0.1:${port}/api/health`,
    env: { E2E_PORT: String(port), E2E_MAIL_DIR: process.env.E2E_MAIL_DIR },
    reuseExistingServer: false,
    timeout: 240_000,
    stdout: "ignore",
    stderr: "pipe",
  },
});
