import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { TRPCError } from "@trpc/server";
import { afterAll, describe, expect, it } from "vitest";
import { verifyPassword } from "~/server/auth/password";
import { processInboundMail, type InboundDeps } from "~/server/modules/mail/process/process-inbound-mail";
import { storeInboundMail } from "~/server/modules/mail/intake/store-inbound-mail";
import { localBlobStore } from "~/server/adapters/local-disk/local-blob-store";
import { acceptInvitation, getInvitation, hashInvitationToken, INVITATION_TTL_DAYS, stageInvitation } from "~/server/modules/users/invitations";
import { callerFor, db, makeUser, testDeps } from "./support/fixtures";

const SUPPORT = "soporte@ventanilla.test";
const storeDir = path.join(os.tmpdir(), `ventanilla-invitations-${randomUUID()}`);
const store = localBlobStore(storeDir);
afterAll(() => rmSync(storeDir, { recursive: true, force: true }));

const DAY = 86_400_000;

function inboundSetup() {
  const { deps, bus, clock } = testDeps();
  const inbound: InboundDeps = {
    ...deps,
    store,
    mailbox: { supportAddresses: [SUPPORT] },
    limits: { maxAttachmentBytes: 1024 * 1024, newTicketsPerHour: 1000 },
  };
  return { deps: inbound, bus, clock };
}

function rawMail(m: { from: string; to?: string; subject: string; body: string; headers?: Record<string, string> }): Buffer {
  const lines = [
    `From: ${m.from}`,
    `To: ${m.to ?? SUPPORT}`,
    `Subject: ${m.subject}`,
    "Date: Mon, 02 Mar 2026 10:00:00 +0000",
    `Message-ID: <${randomUUID()}@cliente.test>`,
    ...Object.entries(m.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: 8bit",
  ];
  return Buffer.from(`${lines.join("\r\n")}\r\n\r\n${m.body}\r\n`);
}

/** Through the real pipeline: stored as the SMTP listener stores it, then processed as the worker does. */
async function deliver(deps: InboundDeps, envelopeFrom: string, raw: Buffer, envelopeTo = [SUPPORT]) {
  const id = await storeInboundMail(deps, raw, { from: envelopeFrom, to: envelopeTo, source: "smtp" });
  return processInboundMail(deps, id);
}

const newAddress = (name = "cliente") => `${name}-${randomUUID().slice(0, 8)}@cliente.test`;

function tokenIn(text: string): string {
  const m = /http:\/\/localhost:3000\/invitacion\/([A-Za-z0-9_-]+)/.exec(text);
  if (!m) throw new Error(`no invitation link in: ${text}`);
  return m[1]!;
}

async function invitationMailTo(email: string) {
  return db.outboundEmail.findMany({ where: { to: email, kind: "invitation" }, orderBy: { createdAt: "asc" } });
}

/** A customer as first contact by mail leaves them: known by address, no password, one invitation. */
async function invitedCustomer(opts: { locale?: string } = {}) {
  const { deps, bus, clock } = testDeps();
  const user = await makeUser("CUSTOMER", { locale: opts.locale });
  const staged = await db.$transaction((tx) => stageInvitation(deps, tx, user));
  return { deps, bus, clock, user, token: staged.token, staged };
}

async function rejection(p: Promise<unknown>): Promise<TRPCError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TRPCError);
  return err as TRPCError;
}

describe("invitation on first contact", () => {
  it("the first mail from an unknown sender opens a ticket and invites them, announced in the same event", async () => {
    const { deps, bus, clock } = inboundSetup();
    const address = newAddress("lucia");
    const outcome = await deliver(deps, address, rawMail({ from: `Lucía Gómez <${address}>`, subject: "No puedo entrar a la intranet", body: "Desde esta mañana." }));
    expect(outcome).toMatchObject({ status: "PROCESSED", created: true });

    const user = await db.user.findUniqueOrThrow({ where: { email: address }, include: { invitations: true } });
    expect(user).toMatchObject({ role: "CUSTOMER", name: "Lucía Gómez", passwordHash: null, emailVerified: null });
    expect(user.invitations).toHaveLength(1);
    const invitation = user.invitations[0]!;
    expect(invitation.usedAt).toBeNull();
    expect(invitation.expiresAt.getTime()).toBe(clock.now().getTime() + INVITATION_TTL_DAYS * DAY);

    const [mail, ...more] = await invitationMailTo(address);
    expect(more).toHaveLength(0);
    expect(mail!.subject).toBe("Active su acceso al portal de soporte");
    expect(mail!.ticketId).toBeNull();
    expect(mail!.text).toContain("Hola Lucía Gómez:");
    expect(mail!.text).toContain("Aceptar la invitación: http://localhost:3000/invitacion/");
    expect(mail!.html).toContain(">Aceptar la invitación</a>");
    const token = tokenIn(mail!.text);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes
    // Only the hash is stored.
    expect(invitation.tokenHash).toBe(hashInvitationToken(token));
    expect(invitation.tokenHash).not.toContain(token);

    // Both mails (the ticket's confirmation and the invitation) are enqueued after commit.
    const ticketMail = await db.outboundEmail.findFirstOrThrow({ where: { ticketId: outcome.status === "PROCESSED" ? outcome.ticketId : "", kind: "ticket_created" } });
    expect(bus.events).toHaveLength(1);
    expect(bus.events[0]).toMatchObject({ type: "ticket.created", requesterId: user.id, emailIds: [ticketMail.id, mail!.id] });

    expect(await getInvitation(deps, token)).toEqual({ status: "valid", valid: true, email: address });
  });

  it("invites nobody already known: a second mail from the same sender, or a customer who exists", async () => {
    const { deps, bus } = inboundSetup();
    const address = newAddress();
    await deliver(deps, address, rawMail({ from: address, subject: "Primera", body: "uno" }));
    await deliver(deps, address, rawMail({ from: address, subject: "Segunda", body: "dos" }));
    expect(await db.ticket.count({ where: { requester: { email: address } } })).toBe(2);
    expect(await invitationMailTo(address)).toHaveLength(1);
    expect(await db.invitation.count({ where: { user: { email: address } } })).toBe(1);
    expect(bus.events[1]).toMatchObject({ type: "ticket.created" });
    expect((bus.events[1] as { emailIds: string[] }).emailIds).toHaveLength(1);

    const known = await makeUser();
    const outcome = await deliver(deps, known.email, rawMail({ from: known.email, subject: "Ya tengo cuenta", body: "hola" }));
    expect(outcome).toMatchObject({ status: "PROCESSED", created: true });
    expect(await db.invitation.count({ where: { userId: known.id } })).toBe(0);
  });

  it("never invites on automated mail", async () => {
    const { deps } = inboundSetup();
    // An auto-reply from an unknown address that matches no ticket is ignored: no user, no invitation.
    const stray = newAddress("vacaciones");
    const ignored = await deliver(deps, stray, rawMail({ from: stray, subject: "Fuera de la oficina", body: "Vuelvo el lunes.", headers: { "Auto-Submitted": "auto-replied" } }));
    expect(ignored).toMatchObject({ status: "IGNORED" });
    expect(await db.user.count({ where: { email: stray } })).toBe(0);

    // One sent to a ticket's reply address is kept on that ticket, and its (new) sender is not invited.
    const customer = await makeUser();
    const first = await deliver(deps, customer.email, rawMail({ from: customer.email, subject: "Impresora", body: "No imprime." }));
    const ticket = await db.ticket.findUniqueOrThrow({ where: { id: first.status === "PROCESSED" ? first.ticketId : "" } });
    const robot = newAddress("autoresponder");
    const to = `soporte+${ticket.replyToken}@ventanilla.test`;
    const kept = await deliver(deps, robot, rawMail({ from: robot, to, subject: "Respuesta automática", body: "Recibido.", headers: { "Auto-Submitted": "auto-replied" } }), [to]);
    expect(kept).toMatchObject({ status: "PROCESSED", created: false, ticketId: ticket.id });
    expect(await db.user.count({ where: { email: robot } })).toBe(1);
    expect(await db.invitation.count({ where: { user: { email: robot } } })).toBe(0);
    expect(await invitationMailTo(robot)).toHaveLength(0);
  });

  it("an agent opening a phone ticket for a new address invites that customer; for a known one it does not", async () => {
    const { deps, bus } = testDeps();
    const agent = await makeUser("AGENT");
    const api = await callerFor(deps, agent.id);
    const address = newAddress("telefono");
    const t = await api.ticket.create({ subject: "Llamada", description: "Llamó por teléfono", requesterEmail: address });
    const [mail] = await invitationMailTo(address);
    expect(mail!.subject).toBe("Active su acceso al portal de soporte");
    expect(bus.events[0]).toMatchObject({ type: "ticket.created", ticketId: t.id });
    expect((bus.events[0] as { emailIds: string[] }).emailIds).toContain(mail!.id);

    const known = await makeUser();
    await api.ticket.create({ subject: "Otra llamada", description: "De nuevo", requesterEmail: known.email });
    expect(await db.invitation.count({ where: { userId: known.id } })).toBe(0);
  });

  it("writes to English-speaking users in English", async () => {
    const { user } = await invitedCustomer({ locale: "en" });
    const [mail] = await invitationMailTo(user.email);
    expect(mail!.subject).toBe("Activate your access to the support portal");
    expect(mail!.text).toContain("Accept the invitation: http://localhost:3000/invitacion/");
  });
});

describe("accepting an invitation", () => {
  it("sets the password (which then logs in), verifies the address and saves the name; the link is then used", async () => {
    const { deps, user, token } = await invitedCustomer();
    const anon = await callerFor(deps, null);
    expect(await anon.invitation.get({ token })).toEqual({ status: "valid", valid: true, email: user.email });

    const result = await anon.invitation.accept({ token, password: "una-clave-segura", passwordConfirm: "una-clave-segura", name: "  Lucía Gómez  " });
    expect(result).toEqual({ email: user.email, staff: false });
    const after = await db.user.findUniqueOrThrow({ where: { id: user.id }, include: { invitations: true } });
    expect(await verifyPassword(after.passwordHash, "una-clave-segura")).toBe(true);
    expect(await verifyPassword(after.passwordHash, "otra-clave")).toBe(false);
    expect(after.emailVerified).toEqual(deps.clock.now());
    expect(after.name).toBe("Lucía Gómez");
    expect(after.invitations[0]!.usedAt).toEqual(deps.clock.now());

    // Used: the page learns only that, not whose it was.
    expect(await anon.invitation.get({ token })).toEqual({ status: "used", valid: false, email: null });
    const again = await rejection(anon.invitation.accept({ token, password: "clave-del-atacante", passwordConfirm: "clave-del-atacante" }));
    expect(again.code).toBe("CONFLICT");
    expect(again.message).toBe("El enlace de invitación ya se ha utilizado.");
    const unchanged = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(unchanged.passwordHash).toBe(after.passwordHash);
  });

  it("of simultaneous accepts exactly one wins", async () => {
    const { deps, user, token } = await invitedCustomer();
    const passwords = Array.from({ length: 6 }, (_, i) => `clave-concurrente-${i}`);
    const results = await Promise.allSettled(passwords.map((password) => acceptInvitation(deps, { token, password, passwordConfirm: password })));
    const won = results.flatMap((r, i) => (r.status === "fulfilled" ? [i] : []));
    expect(won).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect((r.reason as { code?: string }).code).toBe("INVITATION_USED");
    const after = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    for (const [i, password] of passwords.entries()) expect(await verifyPassword(after.passwordHash, password)).toBe(i === won[0]);
  });

  it("expires after the configured days, and an expired link changes nothing", async () => {
    const { deps, clock, user, token } = await invitedCustomer();
    const anon = await callerFor(deps, null);
    clock.advance(INVITATION_TTL_DAYS * DAY - 60_000);
    expect(await anon.invitation.get({ token })).toMatchObject({ status: "valid" });
    clock.advance(60_000);
    expect(await anon.invitation.get({ token })).toEqual({ status: "expired", valid: false, email: null });
    const err = await rejection(anon.invitation.accept({ token, password: "una-clave-segura", passwordConfirm: "una-clave-segura" }));
    expect(err.message).toBe("El enlace de invitación ha caducado.");
    const after = await db.user.findUniqueOrThrow({ where: { id: user.id }, include: { invitations: true } });
    expect(after.passwordHash).toBeNull();
    expect(after.emailVerified).toBeNull();
    expect(after.invitations[0]!.usedAt).toBeNull();
  });

  it("rejects mismatched and short passwords in the caller's language, changing nothing", async () => {
    const { deps, user, token } = await invitedCustomer();
    const anon = await callerFor(deps, null);
    const mismatch = await rejection(anon.invitation.accept({ token, password: "una-clave-segura", passwordConfirm: "una-clave-segurA" }));
    expect(mismatch.code).toBe("BAD_REQUEST");
    expect(mismatch.message).toBe("Las contraseñas no coinciden.");
    const short = await rejection(anon.invitation.accept({ token, password: "corta", passwordConfirm: "corta" }));
    expect(short.message).toBe("La contraseña debe tener al menos 8 caracteres.");
    const english = await callerFor(deps, null, { locale: "en" });
    expect((await rejection(english.invitation.accept({ token, password: "abc", passwordConfirm: "abc" }))).message).toBe("The password must be at least 8 characters long.");
    expect((await rejection(english.invitation.accept({ token, password: "long-enough-1", passwordConfirm: "long-enough-2" }))).message).toBe("The passwords do not match.");

    const after = await db.user.findUniqueOrThrow({ where: { id: user.id }, include: { invitations: true } });
    expect(after.passwordHash).toBeNull();
    expect(after.invitations[0]!.usedAt).toBeNull();
    expect(await anon.invitation.get({ token })).toMatchObject({ status: "valid" });
  });

  it("refuses unknown links without revealing anything", async () => {
    const { deps } = testDeps();
    const anon = await callerFor(deps, null);
    expect(await anon.invitation.get({ token: "no-existe" })).toEqual({ status: "invalid", valid: false, email: null });
    expect(await anon.invitation.get({ token: "" })).toEqual({ status: "invalid", valid: false, email: null });
    const err = await rejection(anon.invitation.accept({ token: "no-existe", password: "una-clave-segura", passwordConfirm: "una-clave-segura" }));
    expect(err.code).toBe("NOT_FOUND");
    expect(err.message).toBe("El enlace de invitación no es válido.");
  });

  it("once one link is accepted, every other link sent to that user stops working", async () => {
    const { deps, user, token } = await invitedCustomer();
    const second = await db.$transaction((tx) => stageInvitation(deps, tx, user));
    await acceptInvitation(deps, { token: second.token, password: "una-clave-segura", passwordConfirm: "una-clave-segura" });
    expect(await getInvitation(deps, token)).toMatchObject({ status: "used" });
    await expect(acceptInvitation(deps, { token, password: "otra-clave-nueva", passwordConfirm: "otra-clave-nueva" })).rejects.toMatchObject({ code: "INVITATION_USED" });
  });
});

describe("user.updateProfile", () => {
  it("saves the signed-in user's name, requires one, and refuses anonymous callers", async () => {
    const { deps, user, token } = await invitedCustomer();
    await acceptInvitation(deps, { token, password: "una-clave-segura", passwordConfirm: "una-clave-segura" });
    const api = await callerFor(deps, user.id);
    expect(await api.user.updateProfile({ name: "  Marta Ruiz " })).toMatchObject({ email: user.email, name: "Marta Ruiz" });
    expect(await api.user.profile()).toMatchObject({ email: user.email, name: "Marta Ruiz", hasPassword: true });
    expect((await rejection(api.user.updateProfile({ name: "   " }))).message).toBe("El nombre es obligatorio.");
    expect((await rejection(api.user.updateProfile({ name: "x".repeat(101) }))).message).toBe("El nombre no puede superar 100 caracteres.");
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).name).toBe("Marta Ruiz");
    const anon = await callerFor(deps, null);
    expect((await rejection(anon.user.updateProfile({ name: "Nadie" }))).code).toBe("UNAUTHORIZED");
  });
});
