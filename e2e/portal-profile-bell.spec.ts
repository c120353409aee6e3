import type { Browser, Page } from "@playwright/test";
import { query } from "./support/db";
import { expect, test } from "./support/fixtures";
import { receivedMail } from "./support/mailbox";
import { signIn } from "./support/sign-in";
import { makeCategory, makeTicket } from "./support/tickets";
import { uniq } from "./support/uniq";

async function agentReplies(browser: Browser, agent: Parameters<typeof signIn>[1], number: number, text: string): Promise<Page> {
  const page = await signIn(browser, agent);
  await page.goto(`/agent/tickets/${number}`);
  await expect(page.getByRole("heading", { name: new RegExp(`#${number}`) })).toBeVisible();
  await expect(async () => {
    await page.getByLabel("Respuesta").fill(text);
    await expect(page.getByLabel("Respuesta")).toHaveValue(text, { timeout: 500 });
  }).toPass();
  await page.getByRole("button", { name: "Responder" }).click();
  await expect(page.getByText(text)).toBeVisible();
  return page;
}

test("the customer's bell counts an agent's reply live, and opening it marks it read", async ({ browser, customerAccount, agentAccount }) => {
  const ticket = await makeTicket(await makeCategory(), customerAccount, `Campana ${uniq()}`, { body: "La impresora no imprime desde ayer." });
  const customer = await signIn(browser, customerAccount);
  await customer.goto("/portal");
  const bell = customer.getByRole("banner").getByRole("button", { name: /^Notificaciones/ });
  await expect(bell).toHaveAccessibleName("Notificaciones");

  const agent = await agentReplies(browser, agentAccount, ticket.number, `Ya lo estamos revisando ${uniq()}.`);
  await expect(bell).toHaveAccessibleName("Notificaciones, 1 sin leer");
  // An internal note tells the customer nothing.
  await agent.getByLabel("Nota interna").check();
  await agent.getByLabel("Respuesta").fill(`Nota para el equipo ${uniq()}`);
  await agent.getByRole("button", { name: "Responder" }).click();
  await expect(agent.getByText("Nota para el equipo")).toBeVisible();

  await bell.click();
  const item = customer.getByRole("link", { name: new RegExp(`respondió a su ticket #${ticket.number}`) });
  await expect(item).toHaveCount(1);
  await item.click();
  await expect(customer).toHaveURL(new RegExp(`/portal/tickets/${ticket.number}$`));
  await expect(bell).toHaveAccessibleName("Notificaciones");
});

test("the profile saves the language (pages and the next mail in English) and the time zone of the dates shown", async ({ browser, customerAccount, agentAccount }) => {
  const ticket = await makeTicket(await makeCategory(), customerAccount, `Zona ${uniq()}`, { body: "Un mensaje con fecha." });
  const customer = await signIn(browser, customerAccount);
  await customer.goto("/portal/perfil");
  await expect(customer.getByRole("heading", { name: "Su perfil" })).toBeVisible();
  await expect(customer.getByRole("button", { name: "Guardar" })).toBeEnabled();

  // A bad phone is refused, field by field, in Spanish.
  await customer.getByLabel("Teléfono").fill("llámeme");
  await customer.getByRole("button", { name: "Guardar" }).click();
  await expect(customer.getByText(/^Escriba un teléfono válido/)).toBeVisible();

  await customer.getByLabel("Teléfono").fill("+34 612 345 678");
  await customer.getByLabel("Empresa").fill("Estudio Gómez");
  await customer.getByLabel("Idioma", { exact: true }).selectOption("en");
  await customer.getByLabel("Zona horaria").selectOption("Asia/Tokyo");
  await customer.getByRole("button", { name: "Guardar" }).click();
  await expect(customer.getByRole("heading", { name: "Your profile" })).toBeVisible();
  await expect(customer.getByLabel("Time zone")).toHaveValue("Asia/Tokyo");
  const [saved] = await query<{ locale: string; timeZone: string; company: string }>(`SELECT locale, "timeZone", company FROM "User" WHERE id = $1`, [customerAccount.id]);
  expect(saved).toEqual({ locale: "en", timeZone: "Asia/Tokyo", company: "Estudio Gómez" });

  // The message's date, written in Tokyo's time (the browser runs in another zone).
  const [message] = await query<{ createdAt: Date }>(`SELECT "createdAt" FROM "Message" WHERE "ticketId" = $1`, [ticket.id]);
  const tokyo = new Intl.DateTimeFormat("en-GB", { dateStyle: "short", timeStyle: "short", timeZone: "Asia/Tokyo" }).format(message!.createdAt);
  await customer.goto(`/portal/tickets/${ticket.number}`);
  await expect(customer.getByRole("heading", { name: new RegExp(`#${ticket.number}`) })).toBeVisible();
  await expect(customer.locator("time").filter({ hasText: tokyo }).first()).toBeVisible();

  const reply = `Please restart the printer ${uniq()}.`;
  await agentReplies(browser, agentAccount, ticket.number, reply);
  await expect
    .poll(async () => (await receivedMail()).find((m) => m.text?.includes(reply))?.subject, { timeout: 15_000 })
    .toBe(`[#${ticket.number}] New reply: ${ticket.subject}`);
});

test("writing hints appear while typing and stay dismissed; a similar open ticket is offered", async ({ browser, customerAccount }) => {
  const tag = uniq();
  const open = await makeTicket(await makeCategory(), customerAccount, `Impresora ${tag} de recepción no imprime`);
  const customer = await signIn(browser, customerAccount);
  await customer.goto("/portal/tickets/new");
  await expect(async () => {
    await customer.getByLabel("Descripción").fill("AYUDA!!!");
    await expect(customer.getByText("Varios signos seguidos", { exact: false })).toBeVisible({ timeout: 500 });
  }).toPass();
  await expect(customer.getByText("MAYÚSCULAS", { exact: false })).toBeVisible();
  await customer.getByRole("button", { name: "Descartar el consejo sobre signos seguidos" }).click();
  await expect(customer.getByText("Varios signos seguidos", { exact: false })).toBeHidden();
  // Still the same draft: the dismissed hint stays away, the others stay.
  await customer.getByLabel("Descripción").fill("AYUDA!!! YA!!!");
  await expect(customer.getByText("Varios signos seguidos", { exact: false })).toBeHidden();
  await expect(customer.getByText("MAYÚSCULAS", { exact: false })).toBeVisible();

  await customer.getByLabel("Asunto").fill(`La impresora ${tag} de recepción no imprime`);
  await expect(customer.getByText(`¿Es sobre el ticket #${open.number}?`)).toBeVisible();
  await expect(customer.getByRole("link", { name: `Añada su mensaje allí (#${open.number})` })).toHaveAttribute("href", `/portal/tickets/${open.number}`);
  // Not blocking: the form still goes on to its summary and sends.
  await expect(customer.getByRole("button", { name: "Continuar" })).toBeEnabled();
});

test("the language picked in the header is saved on the signed-in customer's profile", async ({ browser, customerAccount }) => {
  const customer = await signIn(browser, customerAccount);
  await customer.goto("/portal");
  await customer.getByRole("navigation").getByRole("combobox", { name: /Idioma/ }).selectOption("en");
  await expect(customer.getByRole("navigation").getByRole("combobox", { name: /Language/ })).toBeVisible();
  await expect.poll(async () => (await query<{ locale: string }>(`SELECT locale FROM "User" WHERE id = $1`, [customerAccount.id]))[0]?.locale).toBe("en");
});
