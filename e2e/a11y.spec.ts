import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page } from "@playwright/test";
import { NAV_LINKS } from "../src/components/nav/nav-links";
import { ADMIN_PAGES } from "../src/shared/admin-pages";
import { expect, test } from "./support/fixtures";
import { receivedMail } from "./support/mailbox";
import { signIn } from "./support/sign-in";
import { makeCategory, makeTicket } from "./support/tickets";
import { uniq } from "./support/uniq";
import type { TestUser } from "./support/users";

type Who = "guest" | "customer" | "agent" | "admin";
interface Setup {
  browser: Browser;
  customer: TestUser;
  agent: TestUser;
  /** A ticket of the test's customer, with a first message. */
  ticket: () => Promise<{ number: number; subject: string }>;
}

/**
 * Every page a customer, an agent and an admin can reach, scanned with axe (issue 14: no serious or
 * critical violation). One line per page; admin pages (admin-pages.ts, the site menu) are scanned without a line here.
 */
const PAGES: Array<{ name: string; as: Who; path: string | ((s: Setup) => Promise<string>); locale?: "en"; ready?: (page: Page) => Promise<void> }> = [
  { name: "login", as: "guest", path: "/login" },
  { name: "knowledge base home", as: "guest", path: "/kb" },
  { name: "knowledge base article", as: "guest", path: "/kb/como-crear-un-ticket" },
  { name: "knowledge base search", as: "guest", path: "/kb/search?q=impresora" },
  { name: "knowledge base category", as: "guest", path: "/kb/category/equipos-e-impresoras" },
  { name: "knowledge base in English", as: "guest", path: "/kb", locale: "en" },
  { name: "article in English (Spanish fallback)", as: "guest", path: "/kb/la-impresora-no-imprime", locale: "en" },
  { name: "evaluation link", as: "guest", path: evaluationLink },
  { name: "Mis tickets", as: "customer", path: "/portal" },
  { name: "new ticket", as: "customer", path: "/portal/tickets/new" },
  { name: "customer ticket page", as: "customer", path: async (s) => `/portal/tickets/${(await s.ticket()).number}` },
  { name: "profile", as: "customer", path: "/portal/perfil" },
  { name: "knowledge base (signed in)", as: "customer", path: "/kb" },
  { name: "agent queue", as: "agent", path: "/agent" },
  { name: "agent ticket page", as: "agent", path: async (s) => `/agent/tickets/${(await s.ticket()).number}` },
  { name: "agent new ticket", as: "agent", path: "/agent/tickets/new" },
  { name: "agent articles", as: "agent", path: "/agent/kb" },
  { name: "agent new article", as: "agent", path: "/agent/kb/new" },
  { name: "agent API tokens", as: "agent", path: "/agent/tokens" },
  // The /api/v1 reference: Scalar draws it in the browser once it has read the OpenAPI document. Its
  // colours and its own <main> are set from outside (src/app/api/docs/ApiReference.tsx); nothing of it is excluded.
  { name: "API reference", as: "agent", path: "/api/docs", ready: scalarRendered },
  { name: "admin home", as: "admin", path: "/admin" },
  // Every admin page (src/shared/admin-pages.ts) and every admin link of the site menu, once each.
  ...[...new Set([...ADMIN_PAGES.map((p) => p.href), ...NAV_LINKS.filter((l) => l.for.includes("admin")).map((l) => l.href)])].map((href) => ({
    name: `admin ${href}`,
    as: "admin" as const,
    path: href,
  })),
];

/** The signed link from the "resolved" mail, after an agent resolves the customer's ticket on its page. */
async function evaluationLink(s: Setup): Promise<string> {
  const { number, subject } = await s.ticket();
  const agent = await signIn(s.browser, s.agent);
  await agent.goto(`/agent/tickets/${number}`);
  await agent.getByText("Resolver", { exact: true }).click();
  await agent.getByLabel("Solución").fill("Reiniciamos el equipo.");
  await agent.getByRole("button", { name: "Marcar como resuelto" }).click();
  await expect(agent.getByTestId("ticket-status")).toHaveText("Resuelto");
  await agent.context().close();
  let link = "";
  await expect
    .poll(async () => {
      const mail = (await receivedMail()).find((m) => m.subject === `[#${number}] Su ticket fue resuelto: ${subject}`);
      link = /https?:\/\/\S+(\/evaluar\/\S+)/.exec(mail?.text ?? "")?.[1] ?? "";
      return link;
    })
    .not.toBe("");
  return link;
}

/** Waits until the page has its heading and no labelled busy state (client pages load their data after the first paint). */
async function settled(page: Page) {
  await expect(page.locator("h1").first()).toBeVisible();
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
}

/** Scalar has drawn the reference: its operations' headings are on the page. */
async function scalarRendered(page: Page) {
  await expect(page.locator(".scalar-app").first()).toBeVisible();
  await expect(page.getByRole("heading", { name: /tickets/i }).first()).toBeVisible({ timeout: 20_000 });
}

async function seriousViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ${v.help}\n    ${v.nodes.map((n) => n.target.join(" ")).slice(0, 5).join("\n    ")}`);
}

for (const p of PAGES) {
  test(`a11y: ${p.name} has no serious or critical axe violation`, async ({ browser, customerAccount, agentAccount, adminAccount }) => {
    const category = await makeCategory();
    let made: { number: number; subject: string } | undefined;
    const setup: Setup = {
      browser,
      customer: customerAccount,
      agent: agentAccount,
      ticket: async () => (made ??= await makeTicket(category, customerAccount, `Pantalla en negro ${uniq()}`, { body: "Al encender, la pantalla se queda en negro." })),
    };
    const path = typeof p.path === "string" ? p.path : await p.path(setup);
    const who = { customer: customerAccount, agent: agentAccount, admin: adminAccount }[p.as as Exclude<Who, "guest">];
    const page = who ? await signIn(browser, who) : await (await browser.newContext()).newPage();
    if (p.locale) await page.context().addCookies([{ name: "vt-locale", value: p.locale, url: process.env.E2E_BASE_URL! }]);
    await page.goto(path);
    await settled(page);
    await p.ready?.(page);
    expect(await seriousViolations(page), `axe on ${path}`).toEqual([]);
    await page.context().close();
  });
}

test("a11y: the open menu sheet on a phone has no serious or critical axe violation", async ({ browser, customerAccount }) => {
  const page = await signIn(browser, customerAccount);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/portal");
  await settled(page);
  await page.getByRole("button", { name: "Menú" }).click();
  await expect(page.getByRole("dialog", { name: "Menú" })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.context().close();
});

test("a11y: the API reference has a title of its own, one main landmark and Spanish as its language", async ({ browser, agentAccount }) => {
  const page = await signIn(browser, agentAccount);
  await page.goto("/api/docs");
  await scalarRendered(page);
  await expect(page).toHaveTitle("Referencia de la API v1 · Ventanilla");
  await expect(page.locator("html")).toHaveAttribute("lang", "es");
  // Scalar's own <main> is a labelled region inside the site's main.
  await expect(page.getByRole("main")).toHaveCount(1);
  await expect(page.getByRole("main").getByRole("region", { name: /API documentation/ })).toBeVisible();
  await page.context().close();
});

test("a11y: the scan itself fails a page with an unlabelled field and unreadable text", async ({ browser }) => {
  const page = await (await browser.newContext()).newPage();
  await page.setContent(`<!doctype html><html lang="es"><body><main><h1>Prueba</h1><input type="text"><p style="color:#eee;background:#fff">Texto gris claro</p></main></body></html>`);
  const found = await seriousViolations(page);
  expect(found.some((v) => v.includes("label"))).toBe(true);
  expect(found.some((v) => v.includes("color-contrast"))).toBe(true);
  await page.context().close();
});
