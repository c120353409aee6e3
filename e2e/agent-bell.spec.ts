import type { Browser, Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { openAdminPage } from "./support/admin";
import { signIn } from "./support/sign-in";
import { uniq } from "./support/uniq";
import { createUser, type TestUser } from "./support/users";

/** The customer opens a ticket from the portal; returns its number. */
async function openTicket(browser: Browser, customer: TestUser, subject: string): Promise<number> {
  const page = await signIn(browser, customer);
  await page.getByRole("link", { name: "Agregar ticket" }).click();
  await page.getByLabel("Asunto").fill(subject);
  await page.getByLabel("Descripción").fill("La impresora de la planta 2 no imprime.");
  // The summary step (seed 004) shows what will be sent; "Enviar" there sends it.
  await page.getByRole("button", { name: "Continuar" }).click();
  await page.getByRole("button", { name: "Enviar" }).click();
  const heading = page.getByRole("heading", { name: new RegExp(subject) });
  await expect(heading).toBeVisible();
  const number = Number((await heading.textContent())!.match(/#(\d+)/)![1]);
  await page.context().close();
  return number;
}

const bellOf = (page: Page) => page.getByRole("button", { name: /^Notificaciones/ });

test("an admin writes a canned reply and an agent inserts it with the customer's name filled", async ({ browser, adminAccount, agentAccount }) => {
  const customer = await createUser("CUSTOMER", { name: `Carla ${uniq()}` });
  const subject = `Impresora ${uniq()}`;
  const number = await openTicket(browser, customer, subject);
  const title = `Acuse ${uniq()}`;

  const admin = await signIn(browser, adminAccount);
  await openAdminPage(admin, "Respuestas predefinidas");
  await expect(admin.getByRole("heading", { name: "Respuestas predefinidas", level: 1 })).toBeVisible();
  // The list is fetched by the browser: once it shows, the form is live (typing earlier could be lost to hydration).
  await expect(admin.getByRole("table").or(admin.getByText("Todavía no hay respuestas predefinidas."))).toBeVisible();
  await admin.getByLabel("Título").fill(title);
  // An unknown placeholder is refused, named in the message.
  await admin.getByLabel("Texto").fill("Hola {{cliente.apellido}}");
  await admin.getByRole("button", { name: "Crear respuesta" }).click();
  await expect(admin.getByText("El marcador {{cliente.apellido}} no existe.", { exact: false }).first()).toBeVisible();
  await admin.getByLabel("Texto").fill("Hola {{cliente.nombre}}: revisamos el ticket #{{ticket.numero}}. {{agente.nombre}}");
  await expect(admin.getByRole("region", { name: "Vista previa con datos de ejemplo" })).toContainText("Hola Carla Cliente: revisamos el ticket #1042. Luis Agente");
  await admin.getByRole("button", { name: "Crear respuesta" }).click();
  await expect(admin.getByRole("status")).toHaveText(`Respuesta «${title}» creada.`);
  await admin.getByLabel("Buscar respuestas").fill(title);
  await expect(admin.getByRole("row", { name: new RegExp(title) })).toBeVisible();

  const agent = await signIn(browser, agentAccount);
  await agent.goto(`/agent/tickets/${number}`);
  await expect(agent.getByRole("heading", { name: new RegExp(`#${number}`) })).toBeVisible();
  const picker = agent.getByRole("group", { name: "Respuestas predefinidas" }).getByRole("combobox");
  await picker.fill(title.slice(0, 10));
  const matches = agent.getByRole("listbox", { name: "Coincidencias" }).getByRole("option");
  await expect(matches).toHaveCount(1);
  await expect(matches).toHaveAccessibleName(new RegExp(title));
  // Keyboard: the first match is active; Enter inserts it (and does not send the reply).
  await picker.press("Enter");
  await expect(agent.getByLabel("Respuesta")).toHaveValue(`Hola ${customer.name}: revisamos el ticket #${number}. ${agentAccount.name}`);
  await agent.getByRole("button", { name: "Responder" }).click();
  await expect(agent.getByText(`Hola ${customer.name}: revisamos el ticket #${number}.`)).toBeVisible();
});

test("agent A assigns a ticket to agent B: B's bell counts it live, and opening it marks it read", async ({ browser, agentAccount }) => {
  const customer = await createUser("CUSTOMER");
  const agentB = await createUser("AGENT");
  const subject = `Asignación ${uniq()}`;
  const number = await openTicket(browser, customer, subject);

  const b = await signIn(browser, agentB);
  await expect(b).toHaveURL(/\/agent$/);
  await expect(bellOf(b)).toHaveAccessibleName("Notificaciones");
  await expect(b.getByRole("status")).toHaveText("En vivo");

  const a = await signIn(browser, agentAccount);
  await a.goto(`/agent/tickets/${number}`);
  await a.getByLabel("Asignar a").selectOption({ label: agentB.name });

  // B hears of it without a reload.
  await expect(bellOf(b)).toHaveAccessibleName("Notificaciones, 1 sin leer");
  await bellOf(b).click();
  const item = b.getByRole("link", { name: new RegExp(`${agentAccount.name} le asignó el ticket #${number}`) });
  await expect(item).toContainText(subject);
  await item.click();
  await expect(b).toHaveURL(new RegExp(`/agent/tickets/${number}$`));
  await expect(b.getByRole("heading", { name: new RegExp(`#${number}`) })).toBeVisible();
  await expect(bellOf(b)).toHaveAccessibleName("Notificaciones");
  await bellOf(b).click();
  await expect(b.getByRole("link", { name: new RegExp(`le asignó el ticket #${number}`) })).not.toContainText("Sin leer");
});

test("an @mention in an internal note rings the mentioned agent's bell; 'Marcar todas como leídas' clears it", async ({ browser, agentAccount }) => {
  const customer = await createUser("CUSTOMER");
  const mentioned = await createUser("AGENT");
  const subject = `Mención ${uniq()}`;
  const number = await openTicket(browser, customer, subject);

  const m = await signIn(browser, mentioned);
  await expect(m.getByRole("status")).toHaveText("En vivo");

  const author = await signIn(browser, agentAccount);
  await author.goto(`/agent/tickets/${number}`);
  await author.getByLabel("Respuesta").fill(`@${mentioned.name} ¿puedes mirar la impresora?`);
  await author.getByLabel("Nota interna (no la ve el cliente)").check();
  await author.getByRole("button", { name: "Responder" }).click();
  await expect(author.getByText("¿puedes mirar la impresora?")).toBeVisible();

  await expect(bellOf(m)).toHaveAccessibleName("Notificaciones, 1 sin leer");
  await bellOf(m).click();
  await expect(m.getByRole("link", { name: new RegExp(`${agentAccount.name} le mencionó en una nota interna del ticket #${number}`) })).toBeVisible();
  await m.getByRole("button", { name: "Marcar todas como leídas" }).click();
  await expect(bellOf(m)).toHaveAccessibleName("Notificaciones");
  // The author is never told of their own mention.
  await expect(bellOf(author)).toHaveAccessibleName("Notificaciones");
});
