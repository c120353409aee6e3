import { randomBytes } from "node:crypto";
import type { Page } from "@playwright/test";
import nodemailer from "nodemailer";
import { query } from "./support/db";
import { expect, test } from "./support/fixtures";
import { receivedMail } from "./support/mailbox";
import { makeCategory, makeTicket } from "./support/tickets";
import { uniq } from "./support/uniq";

// Issue 15, guests (seed 001): a ticket without an account, its tracking ID by mail (the real SMTP
// sink), the tracking page (ID + address), replying and evaluating there, the forgotten-ID mail, the
// same answer for wrong pairs and unknown addresses, English throughout, and the limits.

type Mail = Awaited<ReturnType<typeof receivedMail>>[number];
const NOT_FOUND = "No encontramos un ticket con ese ID de seguimiento y ese correo. Revise ambos datos tal como aparecen en el correo de confirmación.";
const SENT = "Si esa dirección tiene tickets, en unos minutos recibirá un correo con la lista y sus ID de seguimiento. Revise también la carpeta de correo no deseado.";

const to = (m: Mail) => (Array.isArray(m.to) ? m.to : m.to ? [m.to] : []).flatMap((a) => a.value.map((v) => v.address?.toLowerCase()));
async function mailsTo(address: string, subject: RegExp): Promise<Mail[]> {
  return (await receivedMail()).filter((m) => to(m).includes(address.toLowerCase()) && subject.test(m.subject ?? ""));
}
async function waitForMails(address: string, subject: RegExp, count = 1): Promise<Mail[]> {
  let found: Mail[] = [];
  await expect.poll(async () => (found = await mailsTo(address, subject)).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(count);
  return found;
}

/** e2e/support/tickets.ts writes a UUID as the tracking ID; a ticket looked up here gets one shaped as the app makes them. */
async function withTrackingId(ticketId: string): Promise<string> {
  const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  const raw = Array.from(randomBytes(16), (b) => alphabet[b % 32]).join("");
  const trackingId = raw.match(/.{4}/g)!.join("-");
  await query(`UPDATE "Ticket" SET "trackingId" = $1 WHERE id = $2`, [trackingId, ticketId]);
  return trackingId;
}

async function fillGuestForm(page: Page, f: { name: string; email: string; company: string; category: string; subject: string; message: string }, en = false) {
  await page.getByLabel(en ? "Name" : "Nombre").fill(f.name);
  await page.getByLabel(en ? "Email address" : "Correo electrónico").fill(f.email);
  await page.getByLabel(en ? "Firm/Company" : "Estudio/Empresa").fill(f.company);
  await page.getByLabel(en ? "Category" : "Categoría").selectOption({ label: f.category });
  await page.getByLabel(en ? "Subject" : "Asunto").fill(f.subject);
  await page.getByLabel(en ? "Message" : "Mensaje").fill(f.message);
}

test("a guest opens a ticket, gets its tracking ID by mail, looks it up, replies and evaluates it", async ({ page, browser }) => {
  // Two mails through real SMTP and one through the inbound worker: slow on a loaded machine.
  test.setTimeout(180_000);
  const email = `invitada.${uniq()}@e2e.test`;
  const category = await makeCategory();
  const subject = `No puedo emitir facturas ${uniq()}`;

  // From the login page (the site's home for visitors) to the form.
  await page.goto("/login");
  await page.getByRole("link", { name: "Enviar un ticket sin cuenta" }).click();
  await expect(page).toHaveURL(/\/soporte\/nuevo$/);
  await expect(page.getByRole("heading", { name: "Nuevo ticket" })).toBeVisible();

  // Required fields are checked before sending.
  await page.getByRole("button", { name: "Enviar ticket" }).click();
  await expect(page.getByText("Elija una categoría.")).toBeVisible();

  await fillGuestForm(page, { name: "Ana Invitada", email, company: "Estudio Contable Pérez", category, subject, message: "ESCRIBO TODO EN MAYÚSCULAS PORQUE ES URGENTE, AL EMITIR UNA FACTURA APARECE EL ERROR 504" });
  // The portal's writing hints, under the message.
  await expect(page.getByRole("region", { name: /consejos|sugerencias|escritura/i }).locator("li").first()).toBeVisible();
  const chooser = page.waitForEvent("filechooser");
  await page.getByRole("button", { name: "Adjuntar archivos" }).click();
  await (await chooser).setFiles([{ name: "error-504.txt", mimeType: "text/plain", buffer: Buffer.from("Error 504 al facturar") }]);
  await expect(page.getByRole("listitem").filter({ has: page.getByRole("progressbar", { name: "error-504.txt" }) })).toContainText("Subido");
  await page.getByRole("button", { name: "Enviar ticket" }).click();

  await expect(page.getByRole("heading", { name: "Ticket enviado" })).toBeVisible();
  const trackingId = (await page.getByTestId("tracking-id").textContent())!.trim();
  expect(trackingId).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
  await expect(page.getByText(`También se lo hemos enviado por correo a ${email}.`)).toBeVisible();

  const [mail] = await waitForMails(email, /Ticket recibido/);
  expect(mail!.subject).toMatch(new RegExp(`^\\[#\\d+\\] Ticket recibido: ${subject}$`));
  expect(mail!.text).toContain(`ID de seguimiento: ${trackingId}`);
  const link = new RegExp(`${process.env.E2E_BASE_URL}/soporte/seguimiento\\?id=${trackingId}`).exec(mail!.text ?? "")?.[0];
  expect(link, mail!.text).toBeDefined();
  const replyTo = (Array.isArray(mail!.replyTo) ? mail!.replyTo[0] : mail!.replyTo)?.value[0]?.address ?? "";
  expect(replyTo).toMatch(/^soporte\+[a-z0-9]+@/);

  // Another browser, from the mail's link: the ID is filled in, the address is asked (any case).
  const other = await (await browser.newContext()).newPage();
  await other.goto(link!);
  await expect(other.getByLabel("ID de seguimiento")).toHaveValue(trackingId);
  await other.getByLabel("Correo electrónico").fill(email.toUpperCase());
  await other.getByRole("button", { name: "Ver ticket" }).click();
  await expect(other.getByRole("heading", { name: new RegExp(`Ticket #\\d+ · ${subject}`) })).toBeVisible();
  await expect(other.getByTestId("ticket-status")).toHaveText("Abierto");
  await expect(other.getByRole("link", { name: /error-504\.txt/ })).toBeVisible();

  // A reply from the page, and one by mail to the reply address: both thread into the ticket.
  await other.getByLabel("Respuesta").fill("Uso la versión 5.2 del programa.");
  await other.getByRole("button", { name: "Responder" }).click();
  await expect(other.getByRole("article").filter({ hasText: "Uso la versión 5.2 del programa." })).toBeVisible();
  const smtp = nodemailer.createTransport({ host: "127.0.0.1", port: Number(process.env.E2E_SMTP_INBOUND_PORT), secure: false, ignoreTLS: true });
  await smtp.sendMail({ from: email, to: replyTo, subject: `Re: ${mail!.subject}`, text: "Olvidé decir: pasa desde ayer.", inReplyTo: mail!.messageId, references: mail!.messageId });
  await expect(async () => {
    await other.reload();
    await expect(other.getByRole("article").filter({ hasText: "Olvidé decir: pasa desde ayer." })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 60_000 });

  // Resolved by support: the guest evaluates it on the same page.
  await query(`UPDATE "Ticket" SET status = 'RESOLVED', "resolvedAt" = now() AT TIME ZONE 'UTC' WHERE "trackingId" = $1`, [trackingId]);
  await other.reload();
  await expect(other.getByRole("heading", { name: "¿Le ayudó esta respuesta?" })).toBeVisible();
  await other.getByLabel("Comentario (opcional)").fill("Muy claro");
  await other.getByRole("button", { name: "Sí me ayudó" }).click();
  await expect(other.getByText("¡Gracias por su evaluación!")).toBeVisible();
  const [evaluation] = await query<{ helpful: boolean; comment: string }>(`SELECT e.helpful, e.comment FROM "TicketEvaluation" e JOIN "Ticket" t ON t.id = e."ticketId" WHERE t."trackingId" = $1`, [trackingId]);
  expect(evaluation).toEqual({ helpful: true, comment: "Muy claro" });

  // "Consultar otro ticket" drops the access.
  await other.getByRole("button", { name: "Consultar otro ticket" }).click();
  await expect(other.getByRole("button", { name: "Ver ticket" })).toBeVisible();
  await other.context().close();
});

test("a wrong address, an unknown ID and a mangled ID get the very same answer", async ({ page, customerAccount }) => {
  const category = await makeCategory();
  const ticket = await makeTicket(category, customerAccount, `Consulta ${uniq()}`);
  const trackingId = await withTrackingId(ticket.id);
  await page.goto("/soporte/seguimiento");
  const answers: string[] = [];
  for (const [id, address] of [
    [trackingId, `otra.${uniq()}@e2e.test`],
    ["ZZZZ-ZZZZ-ZZZZ-ZZZZ", customerAccount.email],
  ] as const) {
    await page.getByLabel("ID de seguimiento").fill(id);
    await page.getByLabel("Correo electrónico").fill(address);
    await page.getByRole("button", { name: "Ver ticket" }).click();
    const alert = page.getByRole("alert").filter({ hasText: /\S/ });
    await expect(alert).toHaveText(NOT_FOUND);
    answers.push((await alert.textContent())!);
  }
  expect(new Set(answers).size).toBe(1);
  // The right pair, typed loosely (lower case, spaces for dashes), opens it.
  await page.getByLabel("ID de seguimiento").fill(` ${trackingId.toLowerCase().replace(/-/g, " ")} `);
  await page.getByLabel("Correo electrónico").fill(customerAccount.email);
  await page.getByRole("button", { name: "Ver ticket" }).click();
  await expect(page.getByRole("heading", { name: new RegExp(`Ticket #${ticket.number} · `) })).toBeVisible({ timeout: 20_000 });
});

test("¿Olvidó su ID de seguimiento?: the open tickets by mail, or all of them; an unknown address gets the same answer and no mail; the address is then limited", async ({ page, customerAccount }) => {
  const category = await makeCategory();
  const open = await makeTicket(category, customerAccount, `Abierto ${uniq()}`);
  const closed = await makeTicket(category, customerAccount, `Cerrado ${uniq()}`);
  await query(`UPDATE "Ticket" SET status = 'CLOSED', "closedAt" = now() AT TIME ZONE 'UTC' WHERE id = $1`, [closed.id]);
  const ids = Object.fromEntries((await query<{ id: string; trackingId: string }>(`SELECT id, "trackingId" FROM "Ticket" WHERE id = ANY($1)`, [[open.id, closed.id]])).map((r) => [r.id, r.trackingId]));
  const unknown = `nadie.${uniq()}@e2e.test`;

  async function ask(address: string, includeClosed: boolean) {
    await page.goto("/soporte/seguimiento");
    await page.getByRole("link", { name: "¿Olvidó su ID de seguimiento?" }).click();
    await page.getByLabel("Correo electrónico").fill(address);
    if (includeClosed) await page.getByLabel("Incluir también los tickets cerrados").check();
    await page.getByRole("button", { name: "Enviarme la lista" }).click();
  }

  await ask(unknown, false);
  await expect(page.getByRole("status")).toHaveText(SENT);
  await ask(customerAccount.email, false);
  await expect(page.getByRole("status")).toHaveText(SENT);
  const [first] = await waitForMails(customerAccount.email, /Sus ID de seguimiento/);
  expect(first!.text).toContain(ids[open.id]);
  expect(first!.text).not.toContain(ids[closed.id]);
  expect(first!.text).toContain(`${process.env.E2E_BASE_URL}/soporte/seguimiento?id=${ids[open.id]}`);

  await ask(customerAccount.email, true);
  const both = await waitForMails(customerAccount.email, /Sus ID de seguimiento/, 2);
  expect(both[1]!.text).toContain(ids[open.id]);
  expect(both[1]!.text).toContain(ids[closed.id]);
  expect(await mailsTo(unknown, /./)).toEqual([]);

  // Three requests an hour per address: the fourth is refused, with the wait.
  await ask(customerAccount.email, false);
  await expect(page.getByRole("status")).toHaveText(SENT);
  await ask(customerAccount.email, false);
  await expect(page.getByRole("alert").filter({ hasText: /\S/ })).toContainText("Vuelva a intentarlo en");
});

test("a guest form in English gives English pages and English mails", async ({ page }) => {
  const email = `guest.${uniq()}@e2e.test`;
  const category = await makeCategory();
  const subject = `Printer offline ${uniq()}`;
  await page.goto("/soporte/nuevo");
  await page.getByLabel("Idioma").selectOption("en");
  await expect(page.getByRole("heading", { name: "New ticket" })).toBeVisible();
  const { nameEn } = (await query<{ nameEn: string }>(`SELECT "nameEn" FROM "Category" WHERE "nameEs" = $1`, [category]))[0]!;
  await fillGuestForm(page, { name: "Grace Guest", email, company: "Acme", category: nameEn, subject, message: "The printer on floor 2 shows offline since this morning." }, true);
  await page.getByRole("button", { name: "Send ticket" }).click();
  await expect(page.getByRole("heading", { name: "Ticket sent" })).toBeVisible();
  const trackingId = (await page.getByTestId("tracking-id").textContent())!.trim();
  const [mail] = await waitForMails(email, /Ticket received/);
  expect(mail!.subject).toMatch(new RegExp(`^\\[#\\d+\\] Ticket received: ${subject}$`));
  expect(mail!.text).toContain(`Tracking ID: ${trackingId}`);
  // The language is remembered for the guest's later mails: the forgotten-ID list comes in English too.
  await page.goto("/soporte/recordar-id");
  await page.getByLabel("Language").selectOption("es");
  await expect(page.getByRole("heading", { name: "¿Olvidó su ID de seguimiento?" })).toBeVisible();
  await page.getByLabel("Correo electrónico").fill(email);
  await page.getByRole("button", { name: "Enviarme la lista" }).click();
  const [list] = await waitForMails(email, /Your tracking IDs/);
  expect(list!.text).toContain(`Tracking ID: ${trackingId}`);
});

test("one ID tried with many addresses is locked: even the right pair is refused for a while", async ({ page, customerAccount }) => {
  const category = await makeCategory();
  const ticket = await makeTicket(category, customerAccount, `Objetivo ${uniq()}`);
  const trackingId = await withTrackingId(ticket.id);
  await page.goto("/soporte/seguimiento");
  // Ten failures for this ID (its budget), well under the 20 a client address has: other tests from 127.0.0.1 go on.
  for (let i = 0; i < 10; i++) {
    await page.getByLabel("ID de seguimiento").fill(trackingId);
    await page.getByLabel("Correo electrónico").fill(`adivina.${i}.${uniq()}@e2e.test`);
    await page.getByRole("button", { name: "Ver ticket" }).click();
    await expect(page.getByRole("alert").filter({ hasText: /\S/ })).toHaveText(NOT_FOUND);
  }
  await page.getByLabel("Correo electrónico").fill(customerAccount.email);
  await page.getByRole("button", { name: "Ver ticket" }).click();
  await expect(page.getByRole("alert").filter({ hasText: /\S/ })).toHaveText("Demasiados intentos fallidos. Vuelva a intentarlo en 15 minutos.");
});
