import { test as base } from "@playwright/test";
import { createUser, type TestUser } from "./users";

export { expect } from "@playwright/test";

interface TestUsers {
  /** A customer of this test's own (empty "Mis tickets", own failed-login counter). */
  customerAccount: TestUser;
  /** An agent of this test's own. */
  agentAccount: TestUser;
  /** An admin of this test's own. */
  adminAccount: TestUser;
}

interface Hygiene {
  /** Closes every browser context the test opened (signIn's and the specs' own newContext). */
  closeContexts: void;
}

/** `test` with fresh users per test, created only when the test asks for them. */
export const test = base.extend<TestUsers & Hygiene>({
  // A context left open keeps its pages alive for the rest of the worker's run: their sockets, polls and
  // timers went on loading the browser and the server, and the later tests ran 3-4 times slower.
  closeContexts: [
    async ({ browser }, use) => {
      const before = new Set(browser.contexts());
      await use();
      await Promise.all(browser.contexts().filter((c) => !before.has(c)).map((c) => c.close().catch(() => {})));
    },
    { auto: true },
  ],
  customerAccount: async ({}, use) => use(await createUser("CUSTOMER")),
  agentAccount: async ({}, use) => use(await createUser("AGENT")),
  adminAccount: async ({}, use) => use(await createUser("ADMIN")),
});
