import { randomBytes } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import pg from "pg";
import { hashPassword } from "../src/server/auth/password";

// Through the real login form, next-auth's credentials callback (served by Next inside our server)
// and Redis: ten wrong passwords lock the account, and then even the right one is refused with the
// wait, in Spanish. The account is this spec's own, so the demo users are never locked.

const PASSWORD = "la-clave-correcta";

async function insertPasswordUser(email: string): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`INSERT INTO "User" (id, email, name, "passwordHash", role, "updatedAt") VALUES ($1, $2, 'Con Clave', $3, 'CUSTOMER', now())`, [
      `e2e${randomBytes(10).toString("hex")}`,
      email,
      await hashPassword(PASSWORD),
    ]);
  } finally {
    await client.end();
  }
}

/** Submits the form and waits for next-auth's answer, so each attempt is counted before the next. */
async function submit(page: Page, email: string, password: string) {
  await page.getByLabel("Correo electrónico").fill(email);
  await page.getByLabel("Contraseña").fill(password);
  await Promise.all([
    page.waitForResponse((r) => r.url().includes("/api/auth/callback/credentials") && r.request().method() === "POST"),
    page.getByRole("button", { name: "Iniciar sesión" }).click(),
  ]);
}

test("ten wrong passwords lock the account: the right one is then refused with the wait, in Spanish", async ({ page }) => {
  const email = `bloqueo-${Date.now()}@ejemplo.test`;
  await insertPasswordUser(email);
  await page.goto("/login");
  const alert = page.locator("form").getByRole("alert");

  for (let i = 0; i < 10; i++) {
    await submit(page, email, `incorrecta-${i}`);
    await expect(alert).toHaveText("Correo o contraseña incorrectos.");
  }

  await submit(page, email, PASSWORD);
  await expect(alert).toHaveText("Demasiados intentos fallidos. Vuelva a intentarlo en 15 minutos.");
  await expect(page).toHaveURL(/\/login/);
});
