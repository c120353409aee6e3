import { TRPCError } from "@trpc/server";
import type { ParsedMail } from "mailparser";
import { createTransport } from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "~/env";
import { readSession } from "~/server/auth/session";
import { verifyPassword, hashPassword } from "~/server/auth/password";
import { systemClock } from "~/server/clock";
import { localeFromMailHeaders } from "~/server/modules/mail/parse/mail-locale";
import { sendOutboundEmail } from "~/server/modules/notifications/send-email";
import { createRateLimits } from "~/server/modules/security/rate-limit";
import { startCaptureSmtp } from "./support/capture-smtp";
import { callerFor, db, makeUser, sessionCookie, testDeps } from "./support/fixtures";
import { uniq } from "./support/uniq";

async function refusal(p: Promise<unknown>): Promise<TRPCError & { data?: { fieldErrors?: Record<string, string[]> } }> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TRPCError);
  return err as TRPCError;
}

const fieldErrorsOf = (err: TRPCError) => {
  const issues = (err.cause as { issues?: Array<{ path: PropertyKey[]; message: string }> } | undefined)?.issues ?? [];
  return Object.fromEntries(issues.map((i) => [i.path.join("."), i.message]));
};

const profileRow = (id: string) =>
  db.user.findUniqueOrThrow({ where: { id }, select: { name: true, company: true, phone: true, locale: true, timeZone: true, mailStatusChanges: true } });

describe("profile", () => {
  it("saves name, company, phone, language, time zone and mail choices, and reads them back", async () => {
    const { deps } = testDeps();
    const user = await makeUser("CUSTOMER");
    const me = await callerFor(deps, user.id);
    const saved = await me.profile.update({
      name: "  Núria Peña  ",
      company: "Estudio Gómez",
      phone: "+34 (91) 555-12-34",
      locale: "en",
      timeZone: "America/Mexico_City",
      mailStatusChanges: false,
    });
    expect(saved).toMatchObject({ name: "Núria Peña", company: "Estudio Gómez", phone: "+34 (91) 555-12-34", locale: "en", timeZone: "America/Mexico_City", mailStatusChanges: false, hasPassword: false });
    expect(await me.profile.get()).toEqual(saved);
    // Empty company and phone clear them; omitted fields stay as they were.
    await me.profile.update({ name: "Núria Peña", company: "", phone: "" });
    expect(await profileRow(user.id)).toMatchObject({ company: null, phone: null, locale: "en", timeZone: "America/Mexico_City" });
  });

  it("refuses an unknown time zone or a bad phone with a localized field error, and changes nothing", async () => {
    const { deps } = testDeps();
    const user = await makeUser("CUSTOMER", { name: "Antes" });
    const before = await profileRow(user.id);
    const es = await callerFor(deps, user.id, { locale: "es" });
    const en = await callerFor(deps, user.id, { locale: "en" });

    const tz = await refusal(es.profile.update({ name: "Después", timeZone: "Europe/Atlantis" }));
    expect(tz.code).toBe("BAD_REQUEST");
    expect(tz.message).toBe("Elija una zona horaria de la lista.");
    expect(fieldErrorsOf(tz)).toEqual({ timeZone: "TIME_ZONE_INVALID" });
    const phone = await refusal(en.profile.update({ name: "Después", phone: "llámame al 91" }));
    expect(phone.message).toBe("Enter a valid phone number: digits, spaces, +, dashes or parentheses only (6 to 20 digits).");
    expect((await refusal(es.profile.update({ name: "Después", phone: "12345" }))).message).toMatch(/^Escriba un teléfono válido/);
    expect((await refusal(es.profile.update({ name: "Después", locale: "fr" as "es" }))).message).toBe("Elija un idioma de la lista.");
    expect(await profileRow(user.id)).toEqual(before);
  });

  it("the language picker, signed in, saves the language on the profile", async () => {
    const { deps } = testDeps();
    const user = await makeUser("CUSTOMER");
    await (await callerFor(deps, user.id)).profile.setLocale({ locale: "en" });
    expect((await profileRow(user.id)).locale).toBe("en");
    expect((await (await callerFor(deps, user.id)).user.me())?.locale).toBe("en");
  });
});

describe("password change", () => {
  async function withPassword(password: string) {
    const user = await makeUser("CUSTOMER");
    await db.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(password) } });
    return user;
  }

  it("refuses a wrong current password and keeps the old one", async () => {
    const { deps } = testDeps();
    const user = await withPassword("antigua-clave-1");
    const err = await refusal((await callerFor(deps, user.id)).profile.changePassword({ current: "no-es-esta", password: "nueva-clave-22", passwordConfirm: "nueva-clave-22" }));
    expect(err.message).toBe("La contraseña actual no es correcta.");
    const { passwordHash, sessionsValidAfter } = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(await verifyPassword(passwordHash, "antigua-clave-1")).toBe(true);
    expect(sessionsValidAfter).toBeNull();
  });

  it("is limited like the login: after the account's budget of wrong guesses even the right one is refused", async () => {
    const { deps } = testDeps();
    const user = await withPassword("antigua-clave-1");
    const rateLimits = createRateLimits(null, `${env.REDIS_PREFIX}-${uniq()}`);
    const me = await callerFor(deps, user.id, { rateLimits });
    for (let i = 0; i < 10; i++) {
      expect((await refusal(me.profile.changePassword({ current: `mala-${i}`, password: "nueva-clave-22", passwordConfirm: "nueva-clave-22" }))).code).toBe("BAD_REQUEST");
    }
    const locked = await refusal(me.profile.changePassword({ current: "antigua-clave-1", password: "nueva-clave-22", passwordConfirm: "nueva-clave-22" }));
    expect(locked.code).toBe("TOO_MANY_REQUESTS");
    expect(await verifyPassword((await db.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash, "antigua-clave-1")).toBe(true);
  });

  it("with the right current password: stores the new one (Argon2) and ends every session begun before", async () => {
    const { deps } = testDeps({ clock: systemClock });
    const user = await withPassword("antigua-clave-1");
    const otherDevice = await sessionCookie(user.id);
    expect((await readSession(db, otherDevice, env.NEXTAUTH_SECRET)).actor?.id).toBe(user.id);
    const done = await (await callerFor(deps, user.id)).profile.changePassword({ current: "antigua-clave-1", password: "nueva-clave-22", passwordConfirm: "nueva-clave-22" });
    expect(done).toEqual({ email: user.email });
    const row = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(row.passwordHash, "nueva-clave-22")).toBe(true);
    expect(await readSession(db, otherDevice, env.NEXTAUTH_SECRET)).toEqual({ actor: null, stale: true });
  });

  it("refuses a mismatched confirmation or the same password, field by field", async () => {
    const { deps } = testDeps();
    const user = await withPassword("antigua-clave-1");
    const me = await callerFor(deps, user.id);
    expect(fieldErrorsOf(await refusal(me.profile.changePassword({ current: "antigua-clave-1", password: "nueva-clave-22", passwordConfirm: "otra-cosa-33" })))).toEqual({ passwordConfirm: "PASSWORD_MISMATCH" });
    expect(fieldErrorsOf(await refusal(me.profile.changePassword({ current: "antigua-clave-1", password: "antigua-clave-1", passwordConfirm: "antigua-clave-1" })))).toEqual({ password: "PASSWORD_SAME" });
  });
});

describe("the recipient's language and mail choices", () => {
  const delivered: ParsedMail[] = [];
  let smtp: Awaited<ReturnType<typeof startCaptureSmtp>>;
  let transport: ReturnType<typeof createTransport>;
  beforeAll(async () => {
    smtp = await startCaptureSmtp((mail) => void delivered.push(mail));
    transport = createTransport({ host: "127.0.0.1", port: smtp.port, secure: false, ignoreTLS: true });
  });
  afterAll(async () => {
    transport.close();
    await smtp.close();
  });

  async function sendAll(emailIds: string[]) {
    const { deps } = testDeps({ clock: systemClock });
    for (const id of emailIds) await sendOutboundEmail({ db, clock: deps.clock, transport, mail: deps.mail }, id, { finalAttempt: true });
    return Promise.all(
      emailIds.map(async (id) => {
        const { messageId } = await db.outboundEmail.findUniqueOrThrow({ where: { id } });
        return delivered.find((m) => m.messageId === messageId);
      }),
    );
  }

  it("a customer who chose English on the profile gets the agent's reply mailed in English, over SMTP", async () => {
    const { deps, bus } = testDeps();
    const customer = await makeUser("CUSTOMER");
    const agent = await makeUser("AGENT", { name: "Ana" });
    const asCustomer = await callerFor(deps, customer.id);
    const ticket = await asCustomer.ticket.create({ subject: "La impresora no imprime", description: "Desde ayer no imprime nada." });
    await asCustomer.profile.update({ name: "Pat", locale: "en" });
    await (await callerFor(deps, agent.id)).ticket.reply({ ticketId: ticket.id, body: "Please restart it." });
    const event = bus.events.find((e) => e.type === "message.created");
    const [mail] = await sendAll(event?.type === "message.created" ? event.emailIds : []);
    expect(mail?.subject).toBe(`[#${ticket.number}] New reply: La impresora no imprime`);
    expect(mail?.text).toContain("Please restart it.");
  });

  it("status-change mails can be turned off; an agent's answer is mailed anyway", async () => {
    const { deps, bus } = testDeps();
    const customer = await makeUser("CUSTOMER");
    const agent = await makeUser("AGENT");
    const asCustomer = await callerFor(deps, customer.id);
    const ticket = await asCustomer.ticket.create({ subject: `Sin avisos ${uniq()}`, description: "Prefiero no recibir cambios de estado." });
    await asCustomer.profile.update({ name: "Sin avisos", mailStatusChanges: false });
    const asAgent = await callerFor(deps, agent.id);
    await asAgent.ticket.setStatus({ ticketId: ticket.id, status: "IN_PROGRESS" });
    await asAgent.ticket.reply({ ticketId: ticket.id, body: "Lo estamos mirando." });
    const updated = bus.events.filter((e) => e.type === "ticket.updated");
    expect(updated.flatMap((e) => e.emailIds)).toEqual([]);
    // The test clock stands still: rows staged at one instant, compared as a set.
    const kinds = (await db.outboundEmail.findMany({ where: { ticketId: ticket.id }, select: { kind: true } })).map((r) => r.kind).sort();
    expect(kinds).toEqual(["agent_reply", "ticket_created"]);
  });

  it("a newcomer by mail takes the mail's Content-Language (or Accept-Language) when we speak it, else Spanish", () => {
    const cases: Array<[Record<string, unknown>, "es" | "en"]> = [
      [{ "content-language": "en-US" }, "en"],
      [{ "content-language": "fr, en" }, "en"],
      [{ "content-language": "es-MX" }, "es"],
      [{ "accept-language": "en-GB;q=0.9, es;q=0.8" }, "en"],
      [{ "x-accept-language": "de" }, "es"],
      [{ "content-language": { value: "EN" } }, "en"],
      [{}, "es"],
    ];
    for (const [headers, locale] of cases) expect(localeFromMailHeaders(new Map(Object.entries(headers)))).toBe(locale);
    expect(localeFromMailHeaders(undefined)).toBe("es");
  });
});

describe("similar open tickets", () => {
  it("offers the customer's own open ticket with a resembling subject; never another customer's, nor a closed one", async () => {
    const { deps } = testDeps();
    const a = await makeUser("CUSTOMER");
    const b = await makeUser("CUSTOMER");
    const asA = await callerFor(deps, a.id);
    const asB = await callerFor(deps, b.id);
    const open = await asA.ticket.create({ subject: "La impresora de recepción no imprime", description: "Desde ayer no imprime nada." });
    const closed = await asA.ticket.create({ subject: "La impresora de recepción no imprime en color", description: "Solo blanco y negro." });
    await asA.ticket.setStatus({ ticketId: closed.id, status: "CLOSED" });
    await asB.ticket.create({ subject: "La impresora de recepción no imprime", description: "Tampoco la mía." });

    expect(await asA.profile.similarOpenTickets({ subject: "impresora de recepción no imprime" })).toEqual([{ number: open.number, subject: "La impresora de recepción no imprime" }]);
    expect(await asA.profile.similarOpenTickets({ subject: "No puedo entrar a la VPN" })).toEqual([]);
    expect((await asB.profile.similarOpenTickets({ subject: "impresora de recepción no imprime" })).map((t) => t.number)).not.toContain(open.number);
  });
});
