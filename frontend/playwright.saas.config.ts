import { defineConfig } from "@playwright/test";
import base from "./playwright.config";

/**
 * The SaaS mode journeys (e2e/saas*.spec.ts): the same browser and options as playwright.config.ts,
 * with their own server started in SaaS mode (E2E_SAAS_MODE=1), since one server runs in one mode.
 * `make test-e2e` runs this after the main config.
 */
process.env.E2E_SAAS_MODE = "1";
const server = Array.isArray(base.webServer) ? base.webServer[0] : base.webServer;

export default defineConfig({
  ...base,
  testIgnore: process.env.SCREENSHOTS ? [] : ["**/*screenshots.spec.ts"],
  testMatch: ["**/saas*.spec.ts"],
  webServer: server ? { ...server, env: { ...server.env, E2E_SAAS_MODE: "1" } } : undefined,
});
