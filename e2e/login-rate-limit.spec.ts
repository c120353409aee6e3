import type { Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { signIn } from "./support/sign-in";
import { createUser } from "./support/users";

// Through the real login form, next-auth's credentials callback (served by Next inside our server)
// and Redis: ten wrong passwords lock the account, and then even the right one is refused with the
// wait, in Spanish. The account is this test's own, so no other test's user is ever locked; and the
// eleven failures stay far below the per-IP budget (50) that every test shares from 127.0.0.1,
// which the last step checks.

/** Submits the form and waits for next-auth's answer, so each attempt is counted before the next. */
async function submit(page: Page, email: string, password: string) {
  await page.getByLabel("Correo electrónico").fill(email);
  await page.getByLabel("Contraseña").fill(password);
  await Promise.all([
    page.waitForResponse((r) => r.url().includes("/api/auth/callback/credentials") && r.request().method() === "POST"),
    page.getByRole("button", { name: "Iniciar sesión" }).click(),
  ]);
}

test("ten wrong passwords lock the account: the right one is then refused with the wait, in Spanish", async ({ page, browser, customerAccount }) => {
  const { email, password } = customerAccount;
  await page.goto("/login");
  const alert = page.locator("form").getByRole("alert");

  for (let i = 0; i < 10; i++) {
    await submit(page, email, `incorrecta-${i}`);
    await expect(alert).toHaveText("Correo o contraseña incorrectos.");
  }

  await submit(page, email, password);
  await expect(alert).toHaveText("Demasiados intentos fallidos. Vuelva a intentarlo en 15 minutos.");
  await expect(page).toHaveURL(/\/login/);

  // The lock is the account's: another account still signs in from the same address.
  const other = await signIn(browser, await createUser("CUSTOMER"));
  await expect(other).toHaveURL(/\/portal$/);
  await other.context().close();
});
