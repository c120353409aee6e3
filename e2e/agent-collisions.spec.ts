import type { Browser, Page } from "@playwright/test";
import { query } from "./support/db";
import { expect, test } from "./support/fixtures";
import { signIn, signInOn } from "./support/sign-in";
import { uniq } from "./support/uniq";
import { createUser, type TestUser } from "./support/users";

/** A customer opens a ticket from the portal; returns their page (on the ticket) and its number. */
async function openTicket(browser: Browser, customer: TestUser, subject: string): Promise<{ page: Page; number: number }> {
  const page = await signIn(browser, customer);
  await page.getByRole("link", { name: "Agregar ticket" }).click();
  await page.getByLabel("Asunto").fill(subject);
  await page.getByLabel("Descripción").fill("El portátil no arranca desde esta mañana.");
  // The summary step (seed 004) shows what will be sent; "Enviar" there sends it.
  await page.getByRole("button", { name: "Continuar" }).click();
  await page.getByRole("button", { name: "Enviar" }).click();
  const heading = page.getByRole("heading", { name: new RegExp(subject) });
  await expect(heading).toBeVisible();
  return { page, number: Number((await heading.textContent())!.match(/#(\d+)/)![1]) };
}

async function openAsAgent(browser: Browser, agent: TestUser, number: number): Promise<Page> {
  const page = await signIn(browser, agent);
  await page.goto(`/agent/tickets/${number}`);
  await expect(page.getByRole("heading", { name: new RegExp(`#${number}`) })).toBeVisible();
  return page;
}

/** A flag on `window` survives only as long as the page is not reloaded or navigated. */
async function markPage(page: Page) {
  await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
}
async function expectNotReloaded(page: Page) {
  expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
}

const STALE = "Otra persona cambió este ticket mientras lo editaba. Revise los cambios y vuelva a intentarlo.";

test("two agents on one ticket: each sees the other, the typing warning, and a stale edit is refused until the page shows the change", async ({
  browser,
  customerAccount,
  agentAccount: ana,
}) => {
  const bruno = await createUser("AGENT");
  const { number } = await openTicket(browser, customerAccount, `Colisión ${uniq()}`);

  const pageA = await openAsAgent(browser, ana, number);
  // Bruno's page will stop hearing "ticket changed" hints on cue, as if they were late: his view goes stale.
  const contextB = await browser.newContext();
  let deaf = false;
  await contextB.routeWebSocket(/\/socket\.io\//, (ws) => {
    const server = ws.connectToServer();
    server.onMessage((message) => {
      if (deaf && typeof message === "string" && message.includes('"ticket:updated"')) return;
      ws.send(message);
    });
  });
  const pageB = await contextB.newPage();
  await signInOn(pageB, bruno);
  await expect(pageB).not.toHaveURL(/\/login/);
  await pageB.goto(`/agent/tickets/${number}`);
  await expect(pageB.getByRole("heading", { name: new RegExp(`#${number}`) })).toBeVisible();

  // Presence: each sees the other by name, not themself.
  await expect(pageA.getByLabel(`También viendo: ${bruno.name}`)).toBeVisible();
  await expect(pageB.getByLabel(`También viendo: ${ana.name}`)).toBeVisible();
  await expect(pageA.getByLabel(`También viendo: ${ana.name}`)).toHaveCount(0);

  // Ana types a reply, then a note: Bruno is warned of each, and the warning lapses when she stops.
  await pageA.getByLabel("Respuesta").pressSequentially("Hola, ¿ha probado a", { delay: 20 });
  await expect(pageB.getByText(`${ana.name} está escribiendo una respuesta`)).toBeVisible();
  await expect(pageB.getByText(`${ana.name} está escribiendo una respuesta`)).toHaveCount(0, { timeout: 10_000 });
  await pageA.getByLabel("Nota interna (no la ve el cliente)").check();
  await pageA.getByLabel("Respuesta").pressSequentially(" revisar la garantía", { delay: 20 });
  await expect(pageB.getByText(`${ana.name} está escribiendo una nota interna`)).toBeVisible();
  await expect(pageA.getByText(/está escribiendo/)).toHaveCount(0);

  // Ana raises the priority while Bruno's page misses the news.
  deaf = true;
  await pageA.getByLabel("Cambiar prioridad").selectOption({ label: "Alta" });
  await expect(pageA.getByLabel("Cambiar prioridad")).toHaveValue("HIGH");
  await expect.poll(async () => (await query<{ priority: string }>(`SELECT priority::text FROM "Ticket" WHERE number = $1`, [number]))[0]!.priority).toBe("HIGH");
  await expect(pageB.getByLabel("Cambiar prioridad")).toHaveValue("MEDIUM");

  // Bruno, from his stale page, sets the status: refused, said clearly, nothing changed; his page now shows Ana's change.
  await pageB.getByLabel("Cambiar estado").selectOption({ label: "Trabajando" });
  await expect(pageB.getByRole("alert").filter({ hasText: STALE })).toBeVisible();
  await expect(pageB.getByLabel("Cambiar prioridad")).toHaveValue("HIGH");
  await expect(pageB.getByLabel("Cambiar estado")).toHaveValue("OPEN");
  const [row] = await query<{ status: string; events: number }>(
    `SELECT t.status::text, (SELECT count(*)::int FROM "TicketEvent" e WHERE e."ticketId" = t.id AND e.type = 'STATUS_CHANGED') AS events FROM "Ticket" t WHERE number = $1`,
    [number],
  );
  expect(row).toEqual({ status: "OPEN", events: 0 });

  // Having seen it, he tries again: it goes through.
  await pageB.getByLabel("Cambiar estado").selectOption({ label: "Trabajando" });
  await expect(pageB.getByTestId("ticket-status")).toHaveText("Trabajando");
  await expect(pageB.getByRole("alert").filter({ hasText: STALE })).toHaveCount(0);
  await expect(pageA.getByTestId("ticket-status")).toHaveText("Trabajando");

  // Bruno leaves the ticket: Ana no longer sees him.
  await pageB.goto("/agent");
  await expect(pageA.getByLabel(`También viendo: ${bruno.name}`)).toHaveCount(0);
});

test("an agent's changes (status, priority, category, a custom field) appear live on the customer's page and in Movimientos", async ({
  browser,
  customerAccount,
  agentAccount,
}) => {
  const { page: customer, number } = await openTicket(browser, customerAccount, `En vivo ${uniq()}`);
  await expect(customer.getByTestId("ticket-status")).toHaveText("Abierto");
  await markPage(customer);
  const agent = await openAsAgent(browser, agentAccount, number);
  const meta = customer.locator("dl.meta.card");

  await agent.getByLabel("Cambiar estado").selectOption({ label: "Trabajando" });
  await expect(customer.getByTestId("ticket-status")).toHaveText("Trabajando");
  await agent.getByLabel("Cambiar prioridad").selectOption({ label: "Alta" });
  await expect(meta).toContainText("Alta");
  await agent.getByLabel("Cambiar categoría").selectOption({ label: "Software" });
  await expect(meta).toContainText("Software");

  // The demo's dropdown field: saved by the agent, in both pages' Movimientos, read-only for the customer.
  await agent.getByLabel("Equipo afectado").selectOption({ label: "Impresora" });
  await agent.getByRole("button", { name: "Guardar campos" }).click();
  await expect(agent.getByRole("status").filter({ hasText: "Campos guardados." })).toBeVisible();
  const history = (page: Page) => page.getByRole("region", { name: "Movimientos" });
  await expect(history(agent)).toContainText("Equipo afectado: — → Impresora");
  await expect(history(customer)).toContainText("Equipo afectado: — → Impresora");
  const values = customer.getByRole("region", { name: "Campos personalizados" });
  await expect(values).toContainText("Equipo afectado");
  await expect(values).toContainText("Impresora");
  await expect(values.getByRole("combobox")).toHaveCount(0);
  await expectNotReloaded(customer);

  // A text field the same way.
  await agent.getByLabel("Número de inventario").fill("INV-2026-001");
  await agent.getByRole("button", { name: "Guardar campos" }).click();
  await expect(history(agent)).toContainText("Número de inventario: — → INV-2026-001");
  await expect(customer.getByRole("region", { name: "Campos personalizados" })).toContainText("INV-2026-001");
  await expectNotReloaded(customer);
});
