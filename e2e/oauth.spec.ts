import type { Browser, BrowserContext, Page } from "@playwright/test";
import { transformer } from "../src/shared/transformer";
import { query } from "./support/db";
import { expect, test } from "./support/fixtures";
import { signIn, signInOn } from "./support/sign-in";
import { uniq } from "./support/uniq";
import { createUser } from "./support/users";

// "Google" here is a real OpenID Connect provider on loopback (e2e/support/oidc-provider.ts), started
// by the global setup before the app, which gets it as GOOGLE_ISSUER. Its accounts are the addresses
// at example.test, any password; those with `sin-verificar` in the local part come back with
// `email_verified: false`.

type UserRow = { id: string; role: string; name: string | null; passwordHash: string | null };
type FullUserRow = UserRow & { email: string; emailVerified: Date | null; sessionsValidAfter: Date | null; updatedAt: Date };
type AccountRow = { userId: string; type: string; providerAccountId: string };

const usersWithEmail = (email: string) => query<UserRow>(`SELECT id, role, name, "passwordHash" FROM "User" WHERE email = $1`, [email]);
const googleAccountsOf = (email: string) =>
  query<AccountRow>(`SELECT a."userId", a.type, a."providerAccountId" FROM "Account" a JOIN "User" u ON u.id = a."userId" WHERE u.email = $1 AND a.provider = 'google'`, [email]);

const fullUser = async (email: string) =>
  (await query<FullUserRow>(`SELECT id, email, role, name, "passwordHash", "emailVerified", "sessionsValidAfter", "updatedAt" FROM "User" WHERE email = $1`, [email]))[0];
const accountsOfUser = (userId: string) => query<{ provider: string }>(`SELECT provider FROM "Account" WHERE "userId" = $1 ORDER BY provider`, [userId]);

/** An account someone registered with a password and never verified (for all we know, not the address's owner). */
async function insertPasswordUser(email: string, password: string): Promise<string> {
  return (await createUser("CUSTOMER", { email, password, name: "Con Clave", verified: false })).id;
}

function isolatedContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext().then(async (context) => {
    // Nothing leaves the machine: the app and the provider both listen on 127.0.0.1.
    await context.route(
      (url) => !["127.0.0.1", "localhost", "[::1]"].includes(url.hostname),
      (route) => route.abort(),
    );
    return context;
  });
}

/** Who the app thinks is signed in, as its own API reports it. */
async function me(page: Page): Promise<{ id: string; role: string } | null> {
  const res = await page.request.get("/api/trpc/user.me");
  expect(res.ok()).toBe(true);
  return transformer.deserialize(((await res.json()) as { result: { data: unknown } }).result.data) as { id: string; role: string } | null;
}

/** At the provider's pages: signs in as `email` and allows access; the browser then returns to the app. */
async function atGoogle(page: Page, email: string) {
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
}

/** "Continuar con Google" on the login page of a fresh browser, through the provider and back. */
async function tryGoogle(browser: Browser, email: string): Promise<Page> {
  const page = await (await isolatedContext(browser)).newPage();
  await page.goto("/login");
  await page.getByRole("button", { name: "Continuar con Google" }).click();
  await atGoogle(page, email);
  return page;
}

async function signInWithGoogle(browser: Browser, email: string): Promise<Page> {
  const page = await tryGoogle(browser, email);
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

test("a customer first known from a phone ticket signs in with Google into that same account", async ({ browser, agentAccount }) => {
  const email = `telefono.${uniq()}@example.test`;
  const subject = `Llamada: no llega la factura ${uniq()}`;

  // An agent takes a phone call and opens a ticket for a customer the app has never seen:
  // the app creates the customer by address, without a password.
  const agent = await signIn(browser, agentAccount);
  await expect(agent).toHaveURL(/\/agent$/);
  const created = await agent.request.post("/api/trpc/ticket.create", {
    // The app's own wire format (src/shared/transformer.ts).
    headers: { "content-type": "application/json" },
    data: JSON.stringify(transformer.serialize({ subject, description: "El cliente llamó: la factura de octubre no le llegó.", requesterEmail: email, channel: "PHONE" })),
  });
  expect(created.ok(), await created.text()).toBe(true);
  await agent.context().close();

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

test("an unverified Google address matching an existing account is refused: no Account row, the account untouched", async ({ browser }) => {
  const email = `sin-verificar.${uniq()}@example.test`;
  await insertPasswordUser(email, "contraseña-de-quien-la-registro");
  const before = await fullUser(email);

  // The provider signs the login in, but says it never verified the address.
  const page = await tryGoogle(browser, email);
  await expect(page).toHaveURL(/\/login\?error=OAuthEmailUnverified$/);
  await expect(page.getByRole("alert").filter({ hasText: "Google no ha verificado esta dirección de correo" })).toBeVisible();
  expect(await me(page)).toBeNull();
  expect(await googleAccountsOf(email)).toHaveLength(0);
  expect(await accountsOfUser(before!.id)).toHaveLength(0);
  expect(await fullUser(email)).toEqual(before);
  await page.context().close();
});

test("an unverified Google address opens no new account", async ({ browser }) => {
  const email = `nuevo.sin-verificar.${uniq()}@example.test`;
  const page = await tryGoogle(browser, email);
  await expect(page).toHaveURL(/\/login\?error=OAuthEmailUnverified$/);
  await expect(page.getByRole("alert").filter({ hasText: "Google no ha verificado esta dirección de correo" })).toBeVisible();
  expect(await usersWithEmail(email)).toHaveLength(0);
  await page.context().close();
});

test("a pre-registered password account linked by a verified Google login loses its password and its old sessions", async ({ browser }) => {
  const email = `clave.${uniq()}@example.test`;
  const password = "contraseña-de-quien-la-registro";
  const id = await insertPasswordUser(email, password);

  // Whoever registered the address with a password is signed in, in their own browser.
  const old = await (await isolatedContext(browser)).newPage();
  await signInOn(old, { email, password });
  await expect(old).toHaveURL(/\/portal$/);
  expect(await me(old)).toMatchObject({ id });
  const oldCookies = await old.context().cookies();

  // The address's owner signs in with Google, which verified it: linked, and the owner alone is in.
  const owner = await signInWithGoogle(browser, email);
  expect(await me(owner)).toMatchObject({ id });
  expect(await googleAccountsOf(email)).toEqual([{ userId: id, type: "oauth", providerAccountId: expect.stringMatching(/^\d{21}$/) }]);
  const after = await fullUser(email);
  expect(after).toMatchObject({ id, passwordHash: null });
  expect(after!.sessionsValidAfter).not.toBeNull();

  // The old session cookie, captured before the link, is refused everywhere…
  await old.context().clearCookies();
  await old.context().addCookies(oldCookies);
  expect(await me(old)).toBeNull();
  const profile = await old.request.get("/api/trpc/user.profile");
  expect(profile.status()).toBe(401);
  expect(await profile.text()).toContain("SESSION_EXPIRED");
  // …including by next-auth's session endpoint, which must not re-issue it as a fresh cookie.
  expect(await (await old.request.get("/api/auth/session")).json()).toEqual({});
  await old.goto("/portal");
  await expect(old).toHaveURL(/\/login$/);
  // …and the password no longer opens the account.
  await signInOn(old, { email, password });
  await expect(old.getByRole("alert").filter({ hasText: "Correo o contraseña incorrectos." })).toBeVisible();

  // The Google session, issued after the link, keeps working.
  await owner.goto("/portal");
  await expect(owner.getByRole("heading", { name: "Mis tickets" })).toBeVisible();
  expect(await me(owner)).toMatchObject({ id });
  await old.context().close();
  await owner.context().close();
});

test("a signed-in customer links a provider login from the profile, and it then signs them in", async ({ browser }) => {
  // The way a Facebook login whose address already has an account gets linked (Facebook is never
  // linked by address): sign in with the password, then "Vincular" on the profile. Exercised with
  // the test provider; the address at the provider does not matter, the session proves the account.
  const email = `perfil.${uniq()}@example.test`;
  const providerEmail = `otra.sin-verificar.${uniq()}@example.test`;
  const password = "contraseña-del-cliente";
  const id = await insertPasswordUser(email, password);
  const page = await (await isolatedContext(browser)).newPage();
  await signInOn(page, { email, password });
  await expect(page).toHaveURL(/\/portal$/);
  await page.goto("/portal/perfil");
  await page.getByRole("button", { name: "Vincular Google" }).click();
  await atGoogle(page, providerEmail);
  await expect(page).toHaveURL(/\/portal\/perfil\?vinculada=google$/);
  await expect(page.getByRole("status").filter({ hasText: "Se ha vinculado Google. A partir de ahora también puede entrar con ella." })).toBeVisible();
  await expect(page.getByText("Google: vinculada")).toBeVisible();
  expect(await accountsOfUser(id)).toEqual([{ provider: "google" }]);
  expect(await fullUser(email)).toMatchObject({ passwordHash: expect.any(String), sessionsValidAfter: null });
  expect(await me(page)).toMatchObject({ id });
  await page.context().close();

  // A fresh browser signing in with that provider login is that customer.
  const again = await signInWithGoogle(browser, providerEmail);
  expect(await me(again)).toMatchObject({ id });
  expect(await usersWithEmail(providerEmail)).toHaveLength(0);
  await again.context().close();
});
