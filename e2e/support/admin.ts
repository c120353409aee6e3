import type { Page } from "@playwright/test";

/** An admin page reached as a person would: the menu's «Administración», then the page's link on /admin. */
export async function openAdminPage(page: Page, name: string) {
  await page.getByRole("navigation").getByRole("link", { name: "Administración" }).click();
  await page.waitForURL(/\/admin$/);
  await page.getByRole("main").getByRole("link", { name, exact: true }).click();
}
