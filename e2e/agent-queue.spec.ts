import type { Page } from "@playwright/test";
import { query } from "./support/db";
import { makeCategory, makeTicket } from "./support/tickets";
import { expect, test } from "./support/fixtures";
import { signIn } from "./support/sign-in";
import { uniq } from "./support/uniq";

// Every test works in a category of its own and filters the queue by it, so tickets other tests
// open at the same time never change what it sees or counts.

async function openQueue(page: Page, category: string) {
  await page.goto("/agent");
  await expect(page.getByRole("heading", { name: "Cola de tickets" })).toBeVisible();
  await page.getByLabel("Categoría").selectOption({ label: category });
}

const views = (page: Page) => page.getByRole("navigation", { name: "Vistas" });
const viewButton = (page: Page, name: string) => views(page).getByRole("button", { name: new RegExp(`^${name} `) });

test("a 200-character unbroken subject never widens the page, at 1280 px and on a 768 px tablet", async ({ browser, agentAccount, customerAccount }) => {
  const category = await makeCategory();
  const subject = `Z${uniq()}`.padEnd(200, "x");
  await makeTicket(category, customerAccount, subject, { assigneeId: agentAccount.id });
  const agent = await signIn(browser, agentAccount);
  await openQueue(agent, category);
  await viewButton(agent, "Mis tickets").click();

  for (const width of [1280, 768]) {
    await agent.setViewportSize({ width, height: 900 });
    const link = agent.getByRole("link", { name: subject });
    await expect(link).toBeVisible();
    await expect(link).toHaveAttribute("title", subject);
    const row = agent.getByRole("row").filter({ has: link });
    for (const text of ["Media", "Abierto", agentAccount.name]) await expect(row.getByText(text, { exact: true })).toBeInViewport();
    const { scrollWidth, clientWidth } = await agent.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
    expect(scrollWidth, `at ${width} px`).toBeLessThanOrEqual(clientWidth);
  }
});

test("views switch, and a view's count moves live when a customer opens a ticket", async ({ browser, agentAccount, customerAccount }) => {
  const category = await makeCategory();
  const mine = await makeTicket(category, customerAccount, `Asignado a mí ${uniq()}`, { assigneeId: agentAccount.id });
  const agent = await signIn(browser, agentAccount);
  await openQueue(agent, category);
  await expect(agent.getByRole("status")).toHaveText("En vivo");
  await expect(viewButton(agent, "Sin asignar")).toHaveAccessibleName("Sin asignar 0");
  await expect(viewButton(agent, "Mis tickets")).toHaveAccessibleName("Mis tickets 1");
  await expect(viewButton(agent, "Sin asignar")).toHaveAttribute("aria-pressed", "true");
  await expect(agent.getByText("No hay tickets en la cola.")).toBeVisible();

  await viewButton(agent, "Mis tickets").click();
  await expect(viewButton(agent, "Mis tickets")).toHaveAttribute("aria-pressed", "true");
  await expect(agent.getByRole("link", { name: mine.subject })).toBeVisible();

  const customer = await signIn(browser, customerAccount);
  const subject = `Nuevo desde el portal ${uniq()}`;
  await customer.getByRole("link", { name: "Agregar ticket" }).click();
  await customer.getByLabel("Asunto").fill(subject);
  await customer.getByLabel("Descripción").fill("Se abre mientras el agente mira la cola.");
  await customer.getByLabel("Categoría").selectOption({ label: category });
  // The summary step (seed 004) shows what will be sent; "Enviar" there sends it.
  await customer.getByRole("button", { name: "Continuar" }).click();
  await customer.getByRole("button", { name: "Enviar" }).click();
  await expect(customer.getByRole("heading", { name: new RegExp(subject) })).toBeVisible();

  await expect(viewButton(agent, "Sin asignar")).toHaveAccessibleName("Sin asignar 1", { timeout: 5_000 });
  await expect(viewButton(agent, "Abiertos")).toHaveAccessibleName("Abiertos 2");
  await expect(agent.getByText("1 ticket nuevo")).toBeVisible();
  await viewButton(agent, "Sin asignar").click();
  await expect(agent.getByRole("link", { name: subject })).toBeVisible();
  await expect(agent.getByRole("link", { name: mine.subject })).toHaveCount(0);
});

test("search finds a ticket by the words of a message, whatever their accents", async ({ browser, agentAccount, customerAccount }) => {
  const category = await makeCategory();
  const word = `murciélago${uniq().replace(/\d/g, "")}`;
  const found = await makeTicket(category, customerAccount, `Ruido en la sala ${uniq()}`, { body: `Se oye un ${word} detrás del servidor.` });
  const other = await makeTicket(category, customerAccount, `Otra consulta ${uniq()}`, { body: "Nada que ver." });
  const agent = await signIn(browser, agentAccount);
  await openQueue(agent, category);
  await expect(agent.getByRole("link", { name: other.subject })).toBeVisible();

  await agent.getByLabel("Buscar").fill(word.toUpperCase().replace("É", "E"));
  await expect(agent.getByRole("link", { name: found.subject })).toBeVisible();
  await expect(agent.getByRole("link", { name: other.subject })).toHaveCount(0);
  await agent.getByLabel("Buscar").fill(`#${other.number}`);
  await expect(agent.getByRole("link", { name: other.subject })).toBeVisible();
  await expect(agent.getByRole("link", { name: found.subject })).toHaveCount(0);
});

test("an agent selects two tickets and assigns both at once", async ({ browser, agentAccount, customerAccount }) => {
  const category = await makeCategory();
  const a = await makeTicket(category, customerAccount, `Primero ${uniq()}`);
  const b = await makeTicket(category, customerAccount, `Segundo ${uniq()}`);
  const agent = await signIn(browser, agentAccount);
  await openQueue(agent, category);

  await agent.getByLabel(`Seleccionar el ticket #${a.number}: ${a.subject}`).check();
  await agent.getByLabel(`Seleccionar el ticket #${b.number}: ${b.subject}`).check();
  await expect(agent.getByText("2 seleccionados", { exact: true })).toBeVisible();
  await agent.getByLabel("Asignar a").selectOption({ label: agentAccount.name });
  await agent.getByRole("button", { name: "Asignar", exact: true }).click();
  await expect(agent.getByText("2 tickets actualizados.")).toBeVisible();

  await expect(viewButton(agent, "Mis tickets")).toHaveAccessibleName("Mis tickets 2");
  await expect(agent.getByRole("link", { name: a.subject })).toHaveCount(0);
  const rows = await query<{ assigneeId: string }>(`SELECT "assigneeId" FROM "Ticket" WHERE id = ANY($1)`, [[a.id, b.id]]);
  expect(rows.map((r) => r.assigneeId)).toEqual([agentAccount.id, agentAccount.id]);
  const history = await query<{ n: number }>(`SELECT count(*)::int AS n FROM "TicketEvent" WHERE "ticketId" = ANY($1) AND type = 'ASSIGNED'`, [[a.id, b.id]]);
  expect(history[0]!.n).toBe(2);
});

test("keyboard: j and x select a row, ? opens the shortcuts help, and typing in the search box triggers nothing", async ({ browser, agentAccount, customerAccount }) => {
  const category = await makeCategory();
  const a = await makeTicket(category, customerAccount, `Teclado ${uniq()}`);
  const agent = await signIn(browser, agentAccount);
  await openQueue(agent, category);
  await expect(agent.getByRole("link", { name: a.subject })).toBeVisible();

  await agent.getByLabel("Buscar").fill("j?x");
  await expect(agent.getByRole("dialog")).toHaveCount(0);
  await agent.getByLabel("Buscar").fill("");
  await agent.getByRole("heading", { name: "Cola de tickets" }).click();

  await agent.keyboard.press("j");
  await expect(agent.getByRole("link", { name: a.subject })).toBeFocused();
  await agent.keyboard.press("x");
  await expect(agent.getByLabel(`Seleccionar el ticket #${a.number}: ${a.subject}`)).toBeChecked();

  await agent.keyboard.press("?");
  const dialog = agent.getByRole("dialog", { name: "Atajos de teclado" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("row", { name: /Ticket siguiente/ })).toContainText("j");
  await expect(dialog.getByRole("button", { name: "Cerrar" })).toBeFocused();
  await agent.keyboard.press("Escape");
  await expect(dialog).toBeHidden();

  await agent.getByRole("link", { name: a.subject }).focus();
  await agent.keyboard.press("o");
  await expect(agent).toHaveURL(new RegExp(`/agent/tickets/${a.number}$`));
});
