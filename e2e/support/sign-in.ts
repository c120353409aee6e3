import { expect, type Browser, type Page } from "@playwright/test";
import type { Credentials } from "./users";

/** Submits the login form on this page, as a person would (whether the app lets them in is the caller's to check). */
export async function signInOn(page: Page, who: Credentials): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Correo electrónico").fill(who.email);
  await page.getByLabel("Contraseña").fill(who.password);
  await page.getByRole("button", { name: "Iniciar sesión" }).click();
}

/** A fresh browser context (its own cookies) signed in as this user, past the login page. */
export async function signIn(browser: Browser, who: Credentials): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInOn(page, who);
  await expect(page).not.toHaveURL(/\/login/);
  return page;
}
