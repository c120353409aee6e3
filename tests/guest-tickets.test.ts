// Issue 15, guests: a ticket without an account, its tracking page (ID + address, a short-lived
// cookie for that one ticket), the forgotten-ID mail, and a guest who later signs up. Through the
// tRPC router with a real context (cookies in and out), PostgreSQL, in-memory rate limits per test.
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { env } from "~/env";
import { createContext } from "~/server/api/context";
import { appRouter } from "~/server/api/root";
import { createCallerFactory } from "~/server/api/trpc";
import { fixedClock } from "~/server/clock";
import { CLIENT_IP_HEADER } from "~/server/http/client-ip";
import { uploadOwner } from "~/server/http/uploads";
import { activateSignup, processSignup } from "~/server/modules/accounts/sign-up";
import type { Deps } from "~/server/modules/deps";
import { GUEST_ACCESS_MINUTES, GUEST_DRAFT_COOKIE, GUEST_TICKET_COOKIE, guestTicketToken, verifyGuestDraft, verifyGuestTicket } from "~/server/modules/guest/capability";
import { sendTrackingReminder } from "~/server/modules/guest/forgotten-id";
import { canonicalTrackingId } from "~/server/modules/guest/lookup";
import { listMyTickets } from "~/server/modules/portal/list-my-tickets";
import { createRateLimits, POLICIES, type RateLimits } from "~/server/modules/security/rate-limit";
import { updateSettings } from "~/server/modules/settings/app-settings";
import { replyToTicket } from "~/server/modules/tickets/reply-to-ticket";
import { resolveTicket } from "~/server/modules/tickets/resolve";
import { hashPassword } from "~/server/auth/password";
import { callerFor, db, makeCategory, makeUser, testDeps } from "./support/fixtures";

const createCaller = createCallerFactory(appRouter);
const address = (name = "invitado") => `${name}-${randomUUID().slice(0, 8)}@invitado.test`;
const freshLimits = () => createRateLimits(null, `guest-${randomUUID()}`);
let ipSeq = 0;
const newIp = () => `198.51.100.${(ipSeq++ % 250) + 1}`;
const mailsTo = (to: string, kind?: string) => db.outboundEmail.findMany({ where: { to, ...(kind && { kind }) }, orderBy: { createdAt: "asc" } });

/** A browser: its cookie jar, its address, its language; every call goes through the real context. */
function browser(deps: Deps, opts: { ip?: string; locale?: "es" | "en"; limits?: RateLimits } = {}) {
  const jar = new Map<string, string>();
  const ip = opts.ip ?? newIp();
  const limits = opts.limits ?? freshLimits();
  const api = async () => {
    const cookie = [...[...jar].map(([k, v]) => `${k}=${v}`), opts.locale ? `vt-locale=${opts.locale}` : null].filter(Boolean).join("; ");
    const ctx = await createContext({ ...deps, rateLimits: limits }, { headers: { cookie: cookie || undefined, [CLIENT_IP_HEADER]: ip } }, {
      appendHeader: (_name: string, value: string) => {
        const [pair] = value.split(";");
        const i = pair!.indexOf("=");
        const [k, v] = [pair!.slice(0, i), pair!.slice(i + 1)];
        if (/Max-Age=0/.test(value)) jar.delete(k);
        else jar.set(k, v);
      },
    });
    return createCaller(ctx);
  };
  return { api, jar, ip, limits };
}

async function openGuestTicket(deps: Deps, b: ReturnType<typeof browser>, over: Partial<{ name: string; email: string; company: string; categoryId: string; subject: string; description: string }> = {}) {
  const category = over.categoryId ? { id: over.categoryId } : await makeCategory();
  const email = over.email ?? address();
  await (await b.api()).guest.draft();
  const created = await (await b.api()).guest.create({
    name: "Ana Invitada",
    email,
    company: "Estudio Contable Pérez",
    categoryId: category.id,
    subject: "No puedo emitir facturas",
    description: "Al emitir una factura aparece el error 504.",
    clientRequestId: randomUUID(),
    ...over,
  });
  const ticket = await db.ticket.findFirstOrThrow({ where: { trackingId: created.trackingId }, include: { requester: true } });
  return { created, ticket, email, categoryId: category.id };
}

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe("a guest ticket", () => {
  it("creates the CUSTOMER row of a new address with name, company and the form's language, shows and mails the tracking ID, and threads replies", async () => {
    const { deps } = testDeps();
    const b = browser(deps);
    const { created, ticket, email } = await openGuestTicket(deps, b);
    expect(created).toEqual({ trackingId: expect.stringMatching(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/), created: true });
    expect(ticket).toMatchObject({ channel: "GUEST", status: "OPEN", subject: "No puedo emitir facturas" });
    expect(ticket.requester).toMatchObject({ email, name: "Ana Invitada", company: "Estudio Contable Pérez", role: "CUSTOMER", locale: "es", passwordHash: null, emailVerified: null });

    const [mail] = await mailsTo(email, "ticket_created");
    expect(mail!.subject).toBe(`[#${ticket.number}] Ticket recibido: No puedo emitir facturas`);
    expect(mail!.text).toContain(`ID de seguimiento: ${created.trackingId}`);
    expect(mail!.text).toContain(`http://localhost:3000/soporte/seguimiento?id=${created.trackingId}`);
    // The reply address carries the ticket's own token: answers thread into it (mail/threading).
    expect(mail!.replyTo).toBe(`soporte+${ticket.replyToken}@ventanilla.test`);
    expect(mail!.messageId).toMatch(new RegExp(`^<ticket-${ticket.id}@`));

    // The browser that sent it holds that ticket: its thread, as the requester sees it.
    expect(b.jar.has(GUEST_TICKET_COOKIE)).toBe(true);
    const view = await (await b.api()).guest.ticket();
    expect(view).toMatchObject({ id: ticket.id, trackingId: created.trackingId, status: "OPEN" });
    expect(view.messages.map((m) => m.bodyText)).toEqual(["Al emitir una factura aparece el error 504."]);
    // …and no session: nothing else of the account is reachable.
    expect(await (await b.api()).user.me()).toBeNull();
    await expect((await b.api()).portal.myTickets({})).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("an English form gives English mails, and the guest's later mails stay in English", async () => {
    const { deps } = testDeps();
    const b = browser(deps, { locale: "en" });
    const { created, ticket, email } = await openGuestTicket(deps, b);
    expect(ticket.requester.locale).toBe("en");
    const [mail] = await mailsTo(email, "ticket_created");
    expect(mail!.subject).toBe(`[#${ticket.number}] Ticket received: No puedo emitir facturas`);
    expect(mail!.text).toContain(`Tracking ID: ${created.trackingId}`);
    const agent = await makeUser("AGENT", { name: "Luis Agente" });
    await replyToTicket(deps, { id: agent.id, role: "AGENT", locale: "es" }, { ticketId: ticket.id, body: "¿Qué versión usa?" });
    const [reply] = await mailsTo(email, "agent_reply");
    expect(reply!.subject).toMatch(/^\[#\d+\] New reply/);
    expect(reply!.text).toContain(`/soporte/seguimiento?id=${created.trackingId}`);
  });

  it("in an account holder's name: the ticket is theirs, nothing of the account changes, no session is given", async () => {
    const { deps } = testDeps();
    const owner = await makeUser("CUSTOMER", { name: "Dueña Real", locale: "es" });
    await db.user.update({ where: { id: owner.id }, data: { passwordHash: await hashPassword("clave-de-la-duena"), company: "Su Empresa" } });
    const b = browser(deps, { locale: "en" });
    const { ticket } = await openGuestTicket(deps, b, { email: owner.email.toUpperCase(), name: "Impostor", company: "Otra" });
    expect(ticket.requesterId).toBe(owner.id);
    const after = await db.user.findUniqueOrThrow({ where: { id: owner.id } });
    expect(after).toMatchObject({ name: "Dueña Real", company: "Su Empresa", locale: "es", passwordHash: owner.passwordHash === null ? expect.any(String) : owner.passwordHash });
    expect(await (await b.api()).user.me()).toBeNull();
    // The held ticket is this one only; the owner's other tickets are not reachable.
    expect(verifyGuestTicket(deps, b.jar.get(GUEST_TICKET_COOKIE), deps.clock.now())).toBe(ticket.id);
  });

  it("checks its fields, its category, and a retried submit returns the same ticket", async () => {
    const { deps } = testDeps();
    const b = browser(deps);
    await (await b.api()).guest.draft();
    const base = { name: "", email: "no-es-correo", categoryId: "", subject: "", description: "", clientRequestId: randomUUID() };
    const err = (await (await b.api()).guest.create(base).then(() => null, (e: unknown) => e)) as { code: string; cause: { issues: Array<{ path: string[]; message: string }> } };
    expect(err.code).toBe("BAD_REQUEST");
    expect(err.cause.issues.map((i) => i.path.join(".")).sort()).toEqual(["categoryId", "description", "email", "name", "subject"]);
    expect(err.cause.issues.find((i) => i.path[0] === "categoryId")!.message).toBe("CATEGORY_REQUIRED");
    const category = await makeCategory();
    const input = { name: "Eva", email: address(), categoryId: category.id, subject: "Reintento", description: "Una vez", clientRequestId: randomUUID() };
    const first = await (await b.api()).guest.create(input);
    const again = await (await b.api()).guest.create(input);
    expect(again).toEqual({ trackingId: first.trackingId, created: false });
    // The same retry key from another browser (another draft) is another form: it never returns this ticket.
    const other = browser(deps);
    await (await other.api()).guest.draft();
    expect((await (await other.api()).guest.create(input)).trackingId).not.toBe(first.trackingId);
    await expect((await b.api()).guest.create({ ...input, clientRequestId: randomUUID(), categoryId: "no-existe" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("is rate limited per address and per client address", async () => {
    const { deps } = testDeps();
    const category = await makeCategory();
    const email = address("flood");
    const input = () => ({ name: "X", email, categoryId: category.id, subject: "S", description: "D", clientRequestId: randomUUID() });
    // Per address: from five different clients, then the sixth is refused.
    const limits = freshLimits();
    for (let i = 0; i < POLICIES.guestTicketAddress.points; i++) await (await browser(deps, { limits }).api()).guest.create(input());
    await expect((await browser(deps, { limits }).api()).guest.create(input())).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    // Per client: many addresses from one.
    const one = browser(deps);
    for (let i = 0; i < POLICIES.guestTicketIp.points; i++) await (await one.api()).guest.create({ ...input(), email: address("ip") });
    await expect((await one.api()).guest.create({ ...input(), email: address("ip") })).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS", message: expect.stringContaining("Vuelva a intentarlo") });
  });

  it("takes only the files its own draft staged", async () => {
    const { deps } = testDeps();
    const b = browser(deps);
    await (await b.api()).guest.draft();
    const draftKey = verifyGuestDraft(deps, b.jar.get(GUEST_DRAFT_COOKIE))!;
    expect(draftKey).toBeTruthy();
    const owner = uploadOwner(null, draftKey)!;
    expect(owner).toBe(`guest:${draftKey}`);
    expect(uploadOwner(null, null)).toBeNull();
    const key = `upl/test/${randomUUID()}`;
    const staged = await db.stagedUpload.create({ data: { id: randomUUID(), ownerId: owner, key, filename: "captura.png", contentType: "image/png", size: 10, sha256: "x" } });
    cleanups.push(() => db.stagedUpload.deleteMany({ where: { id: staged.id } }));
    const category = await makeCategory();
    const input = { name: "Eva", categoryId: category.id, subject: "Con archivo", description: "Adjunto captura", attachmentIds: [staged.id] };
    // Another browser cannot attach it.
    const thief = browser(deps);
    await (await thief.api()).guest.draft();
    await expect((await thief.api()).guest.create({ ...input, email: address(), clientRequestId: randomUUID() })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const created = await (await b.api()).guest.create({ ...input, email: address(), clientRequestId: randomUUID() });
    const t = await db.ticket.findFirstOrThrow({ where: { trackingId: created.trackingId }, select: { attachments: { select: { id: true, filename: true } } } });
    expect(t.attachments).toEqual([{ id: staged.id, filename: "captura.png" }]);
  });
});

describe("the tracking page", () => {
  it("opens with the ID typed loosely and the address in any case; a wrong pair and an unknown ID get the same answer", async () => {
    const { deps } = testDeps();
    const { created, email } = await openGuestTicket(deps, browser(deps));
    const b = browser(deps);
    const sloppy = ` ${created.trackingId.toLowerCase().replace(/-/g, " ")} `;
    expect(canonicalTrackingId(sloppy)).toBe(created.trackingId);

    const wrongPair = await (await b.api()).guest.lookup({ trackingId: created.trackingId, email: address() }).catch((e: unknown) => e as Error & { code: string });
    const unknownId = await (await b.api()).guest.lookup({ trackingId: "ZZZZ-ZZZZ-ZZZZ-ZZZZ", email }).catch((e: unknown) => e as Error & { code: string });
    const garbage = await (await b.api()).guest.lookup({ trackingId: "¿?", email: "" }).catch((e: unknown) => e as Error & { code: string });
    for (const e of [wrongPair, unknownId, garbage]) {
      expect(e).toMatchObject({ code: "BAD_REQUEST", message: "No encontramos un ticket con ese ID de seguimiento y ese correo. Revise ambos datos tal como aparecen en el correo de confirmación." });
    }
    expect(b.jar.has(GUEST_TICKET_COOKIE)).toBe(false);
    expect(await (await b.api()).guest.holds()).toBe(false);
    await expect((await b.api()).guest.ticket()).rejects.toMatchObject({ code: "UNAUTHORIZED" });

    await (await b.api()).guest.lookup({ trackingId: sloppy, email: `  ${email.toUpperCase()} ` });
    expect(await (await b.api()).guest.holds()).toBe(true);
    expect((await (await b.api()).guest.ticket()).trackingId).toBe(created.trackingId);
    await (await b.api()).guest.leave();
    expect(await (await b.api()).guest.holds()).toBe(false);
  });

  it("shows the customer view only: no internal notes, no staff-only events, staff by name", async () => {
    const { deps } = testDeps();
    const b = browser(deps);
    const { ticket } = await openGuestTicket(deps, b);
    const agent = await makeUser("AGENT", { name: "Luis Agente" });
    const staff = { id: agent.id, role: "AGENT" as const, locale: "es" as const };
    await replyToTicket(deps, staff, { ticketId: ticket.id, body: "Nota interna: cliente moroso", internal: true });
    await replyToTicket(deps, staff, { ticketId: ticket.id, body: "Hola, ¿qué versión usa?" });
    await db.ticketEvent.create({ data: { ticketId: ticket.id, actorId: agent.id, type: "TEAM_CHANGED", toValue: "Equipo secreto", createdAt: deps.clock.now() } });
    const view = await (await b.api()).guest.ticket();
    expect(view.messages.map((m) => m.bodyText)).toEqual(["Al emitir una factura aparece el error 504.", "Hola, ¿qué versión usa?"]);
    expect(JSON.stringify(view)).not.toContain("moroso");
    expect(JSON.stringify(view)).not.toContain("Equipo secreto");
    expect(view.events.map((e) => e.type)).not.toContain("NOTE_ADDED");
    expect(view.messages[1]!.author).toEqual({ id: "", name: "Luis Agente", email: "", role: "AGENT" });
  });

  it("lets the guest reply and evaluate the resolved ticket", async () => {
    const { deps } = testDeps();
    const b = browser(deps);
    const { ticket } = await openGuestTicket(deps, b);
    const sent = await (await b.api()).guest.reply({ body: "Uso la versión 5.2", clientRequestId: randomUUID() });
    expect(sent.followUp).toBeNull();
    const msg = await db.message.findUniqueOrThrow({ where: { id: sent.id } });
    expect(msg).toMatchObject({ authorId: ticket.requesterId, internal: false, channel: "GUEST", bodyText: "Uso la versión 5.2" });
    // Not yet resolved: no evaluation.
    await expect((await b.api()).guest.evaluate({ helpful: true })).rejects.toMatchObject({ code: "CONFLICT" });
    const agent = await makeUser("AGENT");
    await resolveTicket(deps, { id: agent.id, role: "AGENT", locale: "es" }, { ticketId: ticket.id, body: "Actualice a 5.3." });
    const view = await (await b.api()).guest.evaluate({ helpful: true, comment: "Rápido y claro" });
    expect(view.evaluation).toMatchObject({ helpful: true, comment: "Rápido y claro" });
    expect(await db.ticketEvaluation.findUniqueOrThrow({ where: { ticketId: ticket.id } })).toMatchObject({ helpful: true, agentId: agent.id });
  });

  it("holds one ticket, for a while: another ticket, an altered or an expired cookie open nothing", async () => {
    const start = new Date("2026-03-02T10:00:00Z");
    const { deps } = testDeps({ clock: fixedClock(start) });
    const b = browser(deps);
    const { ticket } = await openGuestTicket(deps, b);
    const other = await openGuestTicket(deps, browser(deps));
    const value = b.jar.get(GUEST_TICKET_COOKIE)!;
    expect(verifyGuestTicket(deps, value, start)).toBe(ticket.id);
    expect(verifyGuestTicket(deps, value.replace(ticket.id, other.ticket.id), start)).toBeNull();
    const tampered = value.replace(/\.(\d+)\./, (_m, ms: string) => `.${Number(ms) + 3_600_000}.`);
    expect(verifyGuestTicket(deps, tampered, start)).toBeNull();
    // Signed with another secret: nothing.
    expect(verifyGuestTicket({ secrets: { ...deps.secrets, session: `${deps.secrets.session}-otro` } }, value, start)).toBeNull();
    const later = new Date(start.getTime() + GUEST_ACCESS_MINUTES * 60_000 + 1);
    expect(verifyGuestTicket(deps, value, later)).toBeNull();
    const { deps: laterDeps } = testDeps({ clock: fixedClock(later) });
    const expired = browser(laterDeps, { ip: b.ip });
    expired.jar.set(GUEST_TICKET_COOKIE, value);
    await expect((await expired.api()).guest.ticket()).rejects.toMatchObject({ code: "UNAUTHORIZED", message: expect.stringContaining("caducado") });
    await expect((await expired.api()).guest.reply({ body: "hola" })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    // Any ticket id shape (cuid, or ids written by other tools with dashes) round-trips.
    expect(verifyGuestTicket(deps, guestTicketToken(deps, "e2e-t-a1_b2", start).value, start)).toBe("e2e-t-a1_b2");
    expect(guestTicketToken(deps, ticket.id, start).expiresAt).toEqual(new Date(start.getTime() + GUEST_ACCESS_MINUTES * 60_000));
  });

  it("refuses a client after its failures, and an ID after failures from anywhere; the right pair elsewhere is still served", async () => {
    const { deps } = testDeps();
    const { created, email } = await openGuestTicket(deps, browser(deps));
    const limits = freshLimits();
    const attacker = browser(deps, { limits });
    for (let i = 0; i < POLICIES.guestLookupIp.points; i++) {
      await expect((await attacker.api()).guest.lookup({ trackingId: `AAAA-BBBB-CCCC-${String(i).padStart(4, "0")}`, email })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    }
    // Locked: even the right pair is refused from there…
    await expect((await attacker.api()).guest.lookup({ trackingId: created.trackingId, email })).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    // …while another client is served.
    const owner = browser(deps, { limits });
    await (await owner.api()).guest.lookup({ trackingId: created.trackingId, email });
    expect(await (await owner.api()).guest.holds()).toBe(true);

    // One ID tried with many addresses from many clients: the ID locks.
    for (let i = 0; i < POLICIES.guestLookupTicket.points; i++) {
      await expect((await browser(deps, { limits }).api()).guest.lookup({ trackingId: created.trackingId, email: address("adivina") })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    }
    await expect((await browser(deps, { limits }).api()).guest.lookup({ trackingId: created.trackingId, email })).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
  });
});

describe("¿Olvidó su ID de seguimiento?", () => {
  async function guestWithTickets(deps: Deps) {
    const b = browser(deps);
    const open = await openGuestTicket(deps, b, { subject: "Abierto" });
    const closed = await openGuestTicket(deps, b, { email: open.email, subject: "Cerrado", categoryId: open.categoryId });
    await db.ticket.update({ where: { id: closed.ticket.id }, data: { status: "CLOSED", closedAt: deps.clock.now() } });
    return { email: open.email, open: open.created.trackingId, closed: closed.created.trackingId };
  }

  it("mails the address its open tickets with their IDs and links, or all of them when asked", async () => {
    const { deps } = testDeps();
    const g = await guestWithTickets(deps);
    const b = browser(deps);
    expect(await (await b.api()).guest.remindIds({ email: g.email })).toEqual({ ok: true });
    const openOnly = await waitForMail(g.email, 1);
    expect(openOnly.text).toContain(`ID de seguimiento: ${g.open}`);
    expect(openOnly.text).toContain(`http://localhost:3000/soporte/seguimiento?id=${g.open}`);
    expect(openOnly.text).not.toContain(g.closed);
    expect(openOnly.subject).toBe("Sus ID de seguimiento · Ventanilla Soporte");

    await (await b.api()).guest.remindIds({ email: g.email.toUpperCase(), includeClosed: true });
    const all = await waitForMail(g.email, 2);
    expect(all.text).toContain(g.open);
    expect(all.text).toContain(g.closed);
  });

  it("answers an unknown address exactly the same, and mails nothing", async () => {
    const { deps } = testDeps();
    const g = await guestWithTickets(deps);
    const unknown = address("nadie");
    const b = browser(deps);
    const known = await (await b.api()).guest.remindIds({ email: g.email });
    const answer = await (await b.api()).guest.remindIds({ email: unknown });
    expect(answer).toEqual(known);
    await waitForMail(g.email, 1);
    expect(await sendTrackingReminder(deps, unknown, true, "es")).toBeNull();
    expect(await mailsTo(unknown)).toEqual([]);
  });

  it("is rate limited per address and per client", async () => {
    const { deps } = testDeps();
    const limits = freshLimits();
    const email = address("olvido");
    for (let i = 0; i < POLICIES.guestReminderAddress.points; i++) await (await browser(deps, { limits }).api()).guest.remindIds({ email });
    await expect((await browser(deps, { limits }).api()).guest.remindIds({ email })).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    const one = browser(deps, { limits });
    for (let i = 0; i < POLICIES.guestReminderIp.points; i++) await (await one.api()).guest.remindIds({ email: address("muchas") });
    await expect((await one.api()).guest.remindIds({ email: address("muchas") })).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
  });
});

async function waitForMail(to: string, count: number) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const mails = await mailsTo(to, "guest-reminder");
    if (mails.length >= count) return mails[count - 1]!;
    if (Date.now() > deadline) throw new Error(`no reminder #${count} for ${to}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("a guest who signs up later", () => {
  it("signs up over the passwordless row only through the mailed link, and then sees the guest tickets in «Mis tickets»", async () => {
    const { deps } = testDeps();
    await updateSettings(deps, { signupEnabled: true });
    cleanups.push(() => db.appSetting.deleteMany({ where: { key: "signupEnabled" } }));
    const { ticket, email } = await openGuestTicket(deps, browser(deps));
    const started = await processSignup(deps, { name: "Ana", email, password: "una-clave-nueva-segura", locale: "es" });
    // A verification link, not the "you already have an account" mail; nothing granted yet.
    expect(started).toEqual({ token: expect.any(String) });
    expect(await mailsTo(email, "signup-existing")).toEqual([]);
    expect((await db.user.findUniqueOrThrow({ where: { id: ticket.requesterId } })).passwordHash).toBeNull();
    await activateSignup(deps, { token: (started as { token: string }).token, password: "una-clave-nueva-segura" });
    const user = await db.user.findUniqueOrThrow({ where: { id: ticket.requesterId } });
    expect(user.passwordHash).not.toBeNull();
    expect(user.emailVerified).not.toBeNull();
    const mine = await listMyTickets(deps, { id: user.id, role: "CUSTOMER", locale: "es" }, { filter: "all" });
    expect(mine.items.map((i) => i.id)).toContain(ticket.id);
    // Through the portal's own router too.
    expect((await (await callerFor(deps, user.id)).portal.myTickets({})).items.map((i) => i.id)).toContain(ticket.id);
  });
});

// Keeps env imported for the fixtures' side effects (the test database and secrets).
void env;
