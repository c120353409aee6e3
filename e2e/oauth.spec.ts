import { expect, test, type Browser, type Page } from "@playwright/test";
import pg from "pg";

// "Google" here is a real OpenID Connect provider on loopback (e2e/support/oidc-provider.ts), started
// by the global setup before the app, which gets it as GOOGLE_ISSUER. Its accounts are the addresses
// at example.test, any password.

async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

type UserRow = { id: string; role: string; name: string | null; passwordHash: string | null };
type AccountRow = { userId: string; type: string; providerAccountId: string };

const usersWithEmail = (email: string) => query<UserRow>(`SELECT id, role, name, "passwordHash" FROM "User" WHERE email = $1`, [email]);
const googleAccountsOf = (email: string) =>
  query<AccountRow>(`SELECT a."userId", a.type, a."providerAccountId" FROM "Account" a JOIN "User" u ON u.id = a."userId" WHERE u.email = $1 AND a.provider = 'google'`, [email]);

/** Who the app thinks is signed in, as its own API reports it. */
async function me(page: Page): Promise<{ id: string; role: string } | null> {
  const res = await page.request.get("/api/trpc/user.me");
  expect(res.ok()).toBe(true);
  return ((await res.json()) as { result: { data: { json: { id: string; role: string } | null } } }).result.data.json;
}

async function signInWithGoogle(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext();
  // Nothing leaves the machine: the app and the provider both listen on 127.0.0.1.
  await context.route(
    (url) => !["127.0.0.1", "localhost", "[::1]"].includes(url.hostname),
    (route) => route.abort(),
  );
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByRole("button", { name: "Continuar con Google" }).click();

  // The provider's own sign-in page, on its own origin.
  await expect(page.getByRole("heading", { name: "Sign in with Google" })).toBeVisible();
  expect(new URL(page.url()).origin).not.toBe(new URL(process.env.E2E_BASE_URL!).origin);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("contraseña-de-google");
  await page.getByRole("button", { name: "Sign in" }).click();

  // A new sign-in session at the provider asks to share the profile and address with Ventanilla.
  await expect(page.getByRole("heading", { name: "Allow access" })).toBeVisible();
  await expect(page.getByText(`Ventanilla wants to access your account ${email}`)).toBeVisible();
  await page.getByRole("button", { name: "Allow" }).click();

  // Back in the app, signed in: customers land on their portal.
  await expect(page).toHaveURL(/\/portal$/);
  await expect(page.getByRole("heading", { name: "Mis tickets" })).toBeVisible();
  return page;
}

test("a new customer signs in with Google, and signing in again is the same customer", async ({ browser }) => {
  const email = "google.user@example.test";
  expect(await usersWithEmail(email)).toHaveLength(0);

  const first = await signInWithGoogle(browser, email);
  const [user, ...others] = await usersWithEmail(email);
  expect(others).toHaveLength(0);
  expect(user).toMatchObject({ role: "CUSTOMER", name: "Gabriela Google", passwordHash: null });
  const accounts = await googleAccountsOf(email);
  expect(accounts).toEqual([{ userId: user!.id, type: "oauth", providerAccountId: expect.stringMatching(/^\d{21}$/) }]);
  expect(await me(first)).toMatchObject({ id: user!.id, role: "CUSTOMER" });
  await first.context().close();

  // A second sign-in, from a fresh browser, finds the account by its Google subject.
  const second = await signInWithGoogle(browser, email);
  expect(await usersWithEmail(email)).toEqual([user]);
  expect(await googleAccountsOf(email)).toEqual(accounts);
  expect(await me(second)).toMatchObject({ id: user!.id, role: "CUSTOMER" });
  await second.context().close();
});

test("a customer first known from a phone ticket signs in with Google into that same account", async ({ browser }) => {
  const email = `telefono.${Date.now()}@example.test`;
  const subject = `Llamada: no llega la factura ${Date.now()}`;

  // An agent takes a phone call and opens a ticket for a customer the app has never seen:
  // the app creates the customer by address, without a password.
  const agentContext = await browser.newContext();
  const agent = await agentContext.newPage();
  await agent.goto("/login");
  await agent.getByLabel("Correo electrónico").fill("agente@ventanilla.test");
  await agent.getByLabel("Contraseña").fill("ventanilla-demo");
  await agent.getByRole("button", { name: "Iniciar sesión" }).click();
  await expect(agent).toHaveURL(/\/agent$/);
  const created = await agent.request.post("/api/trpc/ticket.create", {
    data: { json: { subject, description: "El cliente llamó: la factura de octubre no le llegó.", requesterEmail: email, channel: "PHONE" } },
  });
  expect(created.ok(), await created.text()).toBe(true);
  await agentContext.close();

  const [before, ...others] = await usersWithEmail(email);
  expect(others).toHaveLength(0);
  expect(before).toMatchObject({ role: "CUSTOMER", passwordHash: null });
  expect(await googleAccountsOf(email)).toHaveLength(0);

  // Google vouches for the address, so the login is linked to that customer, not refused.
  const customer = await signInWithGoogle(browser, email);
  expect(await usersWithEmail(email)).toEqual([before]);
  expect(await googleAccountsOf(email)).toEqual([{ userId: before!.id, type: "oauth", providerAccountId: expect.stringMatching(/^\d{21}$/) }]);
  expect(await me(customer)).toMatchObject({ id: before!.id, role: "CUSTOMER" });
  // …and they see the ticket the agent opened for them on the phone.
  await expect(customer.getByRole("link", { name: subject })).toBeVisible();
  await customer.context().close();
});
