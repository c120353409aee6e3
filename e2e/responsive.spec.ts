import type { Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { signIn } from "./support/sign-in";
import { makeCategory, makeTicket } from "./support/tickets";
import { uniq } from "./support/uniq";
import type { TestUser } from "./support/users";

const PHONE = { width: 390, height: 844 };
const TABLET = { width: 768, height: 1024 };

/** The pages issue 14 measured on a phone (one line each); `customer` pages are visited signed in. */
const PAGES: Array<{ path: string | ((ticket: number) => string); customer: boolean }> = [
  { path: "/login", customer: false },
  { path: "/kb", customer: false },
  { path: "/kb/como-crear-un-ticket", customer: false },
  { path: "/portal", customer: true },
  { path: "/portal/tickets/new", customer: true },
  { path: (n) => `/portal/tickets/${n}`, customer: true },
  { path: "/portal/perfil", customer: true },
];

async function overflow(page: Page) {
  return page.evaluate(() => {
    // The outermost elements reaching past the right edge, to say what overflows when something does.
    const wide = [...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5 && !(el.parentElement && el.parentElement.getBoundingClientRect().right > window.innerWidth + 0.5))
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(" ").join(".")}` : ""}`);
    return { scrollWidth: document.scrollingElement!.scrollWidth, innerWidth: window.innerWidth, wide };
  });
}

async function ticketOf(customer: TestUser) {
  return makeTicket(await makeCategory(), customer, `Una impresora con un nombre de modelo larguísimo HP-LaserJet-Enterprise-M609dn-${uniq()}`, {
    body: "Muestra «Error 50.4» y https://soporte.ejemplo.test/impresoras/hp/laserjet/enterprise/m609dn/errores/50-4/que-hacer-cuando-aparece no me ayudó.",
  });
}

for (const viewport of [PHONE, TABLET]) {
  test(`nothing is wider than a ${viewport.width} px screen`, async ({ browser, customerAccount }) => {
    const { number } = await ticketOf(customerAccount);
    const customer = await signIn(browser, customerAccount);
    const guest = await (await browser.newContext()).newPage();
    for (const page of [customer, guest]) await page.setViewportSize(viewport);
    for (const p of PAGES) {
      const page = p.customer ? customer : guest;
      const path = typeof p.path === "string" ? p.path : p.path(number);
      await page.goto(path);
      await expect(page.locator("h1").first()).toBeVisible();
      await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
      const { scrollWidth, innerWidth, wide } = await overflow(page);
      expect(scrollWidth, `${path} at ${viewport.width} px: ${wide.join(", ")}`).toBeLessThanOrEqual(innerWidth);
    }
    await customer.context().close();
    await guest.context().close();
  });
}

test("on a phone the menu folds into a button; the sheet traps focus, closes with Esc and reaches «Cerrar sesión»", async ({ browser, customerAccount }) => {
  const page = await signIn(browser, customerAccount);
  await page.setViewportSize(PHONE);
  await page.goto("/portal");
  const menu = page.getByRole("button", { name: "Menú" });
  await expect(menu).toBeVisible();
  // The inline links are folded away: only the sheet offers them.
  await expect(page.getByRole("link", { name: "Nuevo ticket" })).toBeHidden();
  await expect(page.getByRole("button", { name: "Cerrar sesión" })).toBeHidden();

  await menu.click();
  const sheet = page.getByRole("dialog", { name: "Menú" });
  await expect(sheet).toBeVisible();
  await expect(sheet.getByRole("link", { name: "Mis tickets" })).toHaveAttribute("aria-current", "page");
  const signOut = sheet.getByRole("button", { name: "Cerrar sesión" });
  await expect(signOut).toBeVisible();
  await expect(signOut).toBeInViewport({ ratio: 1 });
  // Focus stays inside the sheet however far one tabs.
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press("Tab");
    expect(await sheet.evaluate((el) => el.contains(document.activeElement))).toBe(true);
  }
  await page.keyboard.press("Escape");
  await expect(sheet).toBeHidden();
  await expect(menu).toBeFocused();

  await menu.click();
  await sheet.getByRole("link", { name: "Nuevo ticket" }).click();
  await expect(page).toHaveURL(/\/portal\/tickets\/new$/);
  await expect(sheet).toBeHidden();

  await page.getByRole("button", { name: "Menú" }).click();
  await page.getByRole("dialog", { name: "Menú" }).getByRole("button", { name: "Cerrar sesión" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.context().close();
});

test("on a tablet the links are inline and «Cerrar sesión» is on screen", async ({ browser, customerAccount }) => {
  const page = await signIn(browser, customerAccount);
  await page.setViewportSize(TABLET);
  await page.goto("/portal");
  await expect(page.getByRole("button", { name: "Menú" })).toBeHidden();
  const nav = page.getByRole("navigation", { name: "Menú principal" });
  await expect(nav.getByRole("link", { name: "Nuevo ticket" })).toBeVisible();
  await expect(nav.getByRole("button", { name: "Cerrar sesión" })).toBeInViewport({ ratio: 1 });
  await page.context().close();
});

test("a ticket that is still loading shows a labelled busy state, not a blank page", async ({ browser, customerAccount }) => {
  const { number, subject } = await ticketOf(customerAccount);
  const page = await signIn(browser, customerAccount);
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await page.route(/\/api\/trpc\/[^?]*ticket\.get/, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(`/portal/tickets/${number}`);
  const busy = page.getByRole("status").filter({ hasText: "Cargando el ticket…" });
  await expect(busy).toBeVisible();
  await expect(busy).toHaveAttribute("aria-busy", "true");
  release();
  await expect(page.getByRole("heading", { name: new RegExp(subject) })).toBeVisible();
  await expect(busy).toHaveCount(0);
  await page.context().close();
});
