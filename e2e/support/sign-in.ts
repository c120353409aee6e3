import type { Browser, Page } from "@playwright/test";

/** The demo accounts' password (prisma/seed.ts). */
export const DEMO_PASSWORD = "ventanilla-demo";

/** Signs in through the login form on this page, as a person would. */
export async function signInOn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Correo electrónico").fill(email);
  await page.getByLabel("Contraseña").fill(password);
  await page.getByRole("button", { name: "Iniciar sesión" }).click();
}

/** A fresh browser context (its own cookies) signed in as this user. */
export async function signIn(browser: Browser, email: string, password = DEMO_PASSWORD): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInOn(page, email, password);
  return page;
}
