import type { Browser, BrowserContext, Page } from "@playwright/test";
import { transformer } from "../src/shared/transformer";
import { query } from "./support/db";
import { facebookIdFor } from "./support/oauth2-provider";
import { expect, test } from "./support/fixtures";
import { signInOn } from "./support/sign-in";
import { uniq } from "./support/uniq";
import { createUser } from "./support/users";

// "Facebook" here is a plain OAuth 2.0 server on loopback shaped like Facebook's dialog, token
// endpoint and Graph `/me?fields=id,name,email` (e2e/support/oauth2-provider.ts), started by the
// global setup, which points FACEBOOK_AUTHORIZATION_URL/TOKEN_URL/USERINFO_URL at it. Any address
// signs in there (any password); its Facebook id is derived from the address.
//
// The rules are the security issue's (SECURITY.md #10): Facebook does not verify addresses for us,
// so its login never opens an account on its word and is never linked by address; a customer links
// it from the profile once signed in, and from then on it signs them in.

const accountsOf = (userId: string) => query<{ provider: string; providerAccountId: string }>(`SELECT provider, "providerAccountId" FROM "Account" WHERE "userId" = $1 ORDER BY provider`, [userId]);
const facebookRows = (providerAccountId: string) => query<{ userId: string }>(`SELECT "userId" FROM "Account" WHERE provider = 'facebook' AND "providerAccountId" = $1`, [providerAccountId]);
const usersWithEmail = (email: string) => query<{ id: string; passwordHash: string | null }>(`SELECT id, "passwordHash" FROM "User" WHERE email = $1`, [email]);

async function isolatedPage(browser: Browser): Promise<Page> {
  const context: BrowserContext = await browser.newContext();
  await context.route(
    (url) => !["127.0.0.1", "localhost", "[::1]"].includes(url.hostname),
    (route) => route.abort(),
  );
  return context.newPage();
}

async function me(page: Page): Promise<{ id: string; role: string } | null> {
  const res = await page.request.get("/api/trpc/user.me");
  expect(res.ok()).toBe(true);
  return transformer.deserialize(((await res.json()) as { result: { data: unknown } }).result.data) as { id: string; role: string } | null;
}

/** At the stand-in's login dialog: logs in as `email`; the browser then returns to the app. */
async function atFacebook(page: Page, email: string) {
  await expect(page.getByRole("heading", { name: "Log in to Facebook" })).toBeVisible();
  expect(new URL(page.url()).origin).not.toBe(new URL(process.env.E2E_BASE_URL!).origin);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Facebook password").fill("contraseña-de-facebook");
  await page.getByRole("button", { name: "Log in" }).click();
}

async function tryFacebook(browser: Browser, email: string): Promise<Page> {
  const page = await isolatedPage(browser);
  await page.goto("/login");
  await page.getByRole("button", { name: "Continuar con Facebook" }).click();
  await atFacebook(page, email);
  return page;
}

test("a new customer's Facebook login opens no account, and the page says how to get one", async ({ browser }) => {
  const email = `nuevo.fb.${uniq()}@e2e.test`;
  const page = await tryFacebook(browser, email);
  // The whole exchange ran (authorize, token, /me with the address): the refusal names the missing account.
  await expect(page).toHaveURL(/\/login\?error=OAuthNoAccount$/);
  await expect(page.getByRole("alert").filter({ hasText: "Todavía no tiene una cuenta con este correo, y Facebook no nos permite comprobar que la dirección es suya." })).toBeVisible();
  expect(await me(page)).toBeNull();
  expect(await usersWithEmail(email)).toHaveLength(0);
  expect(await facebookRows(facebookIdFor(email))).toHaveLength(0);
  await page.context().close();
});

test("an existing password account is not taken over by a Facebook login with its address", async ({ browser, customerAccount }) => {
  const page = await tryFacebook(browser, customerAccount.email);
  await expect(page).toHaveURL(/\/login\?error=OAuthLinkWithPassword$/);
  await expect(page.getByRole("alert").filter({ hasText: "Ya existe una cuenta con este correo. Inicie sesión con su contraseña para vincular Facebook" })).toBeVisible();
  expect(await me(page)).toBeNull();
  expect(await accountsOf(customerAccount.id)).toHaveLength(0);
  // The owner's password still works.
  await signInOn(page, customerAccount);
  await expect(page).toHaveURL(/\/portal$/);
  expect(await me(page)).toMatchObject({ id: customerAccount.id });
  await page.context().close();
});

test("a customer links Facebook from the profile, and Facebook then signs them in (new browser, same account)", async ({ browser }) => {
  const customer = await createUser("CUSTOMER");
  const facebookEmail = `${customer.email.split("@")[0]}.fb@e2e.test`;
  const page = await isolatedPage(browser);
  await signInOn(page, customer);
  await expect(page).toHaveURL(/\/portal$/);
  await page.goto("/portal/perfil");
  await page.getByRole("button", { name: "Vincular Facebook" }).click();
  await atFacebook(page, facebookEmail);
  await expect(page).toHaveURL(/\/portal\/perfil\?vinculada=facebook$/);
  await expect(page.getByRole("status").filter({ hasText: "Se ha vinculado Facebook." })).toBeVisible();
  await expect(page.getByText("Facebook: vinculada")).toBeVisible();
  expect(await accountsOf(customer.id)).toEqual([{ provider: "facebook", providerAccountId: facebookIdFor(facebookEmail) }]);
  // The password stays: linking from a signed-in session revokes nothing.
  expect((await usersWithEmail(customer.email))[0]!.passwordHash).toEqual(expect.any(String));
  await page.context().close();

  const again = await tryFacebook(browser, facebookEmail);
  await expect(again).toHaveURL(/\/portal$/);
  await expect(again.getByRole("heading", { name: "Mis tickets" })).toBeVisible();
  expect(await me(again)).toMatchObject({ id: customer.id, role: "CUSTOMER" });
  expect(await usersWithEmail(facebookEmail)).toHaveLength(0);
  await again.context().close();
});
