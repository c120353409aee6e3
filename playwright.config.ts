import { defineConfig } from "@playwright/test";

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  globalSetup: "./e2e/support/global-setup.ts",
  // A test alone takes 10-40 s; in the full run (two workers beside the web cluster, the workers and
  // PostgreSQL on two cores) the longest ones reached 60 s on session 7's run: 90 s keeps a slow
  // machine from failing a test whose every step still has its own 10 s expectation.
  timeout: 90_000,
  expect: { timeout: 10_000 },
  // Every test signs in as users of its own (e2e/support/fixtures.ts), so tests of one file can run
  // side by side too. Two workers: one per core of the machines this runs on.
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: process.env.E2E_BASE_URL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium-headless-shell",
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
});
