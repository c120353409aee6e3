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

/** `test` with fresh users per test, created only when the test asks for them. */
export const test = base.extend<TestUsers>({
  customerAccount: async ({}, use) => use(await createUser("CUSTOMER")),
  agentAccount: async ({}, use) => use(await createUser("AGENT")),
  adminAccount: async ({}, use) => use(await createUser("ADMIN")),
});
