import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { sqlOf } from "~/server/db/client";
import { findThread } from "~/server/modules/mail/threading/find-thread";
import { callerFor, db, makeUser, testDeps } from "./support/fixtures";

async function expectError(p: Promise<unknown>, code: string, appCode?: string) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TRPCError);
  expect((err as TRPCError).code).toBe(code);
  if (appCode) expect(((err as TRPCError).cause as { code?: string } | undefined)?.code).toBe(appCode);
  return err as TRPCError;
}

async function setup(customerLocale = "es") {
  const t = testDeps();
  const agent = await makeUser("AGENT", { name: "Luis Agente" });
  const customer = await makeUser("CUSTOMER", { locale: customerLocale });
  const scheduled: Array<[string, Date]> = [];
  const asAgent = await callerFor(t.deps, agent.id, { queues: { scheduleAutoClose: async (id, at) => void scheduled.push([id, at]) } });
  const asCustomer = await callerFor(t.deps, customer.id);
  return { ...t, agent, customer, asAgent, asCustomer, scheduled };
}

const emailsOf = (ticketId: string) => db.outboundEmail.findMany({ where: { ticketId }, orderBy: { createdAt: "asc" } });

describe("Solicitar información", () => {
  it("posts the question, waits on the customer with the SLA clock stopped, and mails the question, in one write", async () => {
    const { bus, clock, asAgent, asCustomer, customer, scheduled } = await setup();
    const t = await asCustomer.ticket.create({ subject: "Impresora", description: "No imprime" });
    const before = await asAgent.ticket.get({ number: t.number });
    clock.advance(60_000);

    const res = await asAgent.ticket.requestInfo({ ticketId: t.id, body: "¿Qué modelo de impresora es?", version: before.version, clientRequestId: "req-info-0001" });
    expect(res).toMatchObject({ status: "WAITING_ON_CUSTOMER", created: true });

    const row = await db.ticket.findUniqueOrThrow({ where: { id: t.id } });
    expect(row.status).toBe("WAITING_ON_CUSTOMER");
    expect(row.slaPausedAt).toEqual(clock.now());
    expect(row.firstResponseAt).toEqual(clock.now());
    expect(row.version).toBe(before.version + 1);
    const seen = await asCustomer.ticket.get({ number: t.number });
    expect(seen.messages.map((m) => m.bodyText)).toEqual(["No imprime", "¿Qué modelo de impresora es?"]);
    // Both entries carry the same instant: their order between them is not defined.
    expect(seen.events.slice(1).map((e) => [e.type, e.fromValue, e.toValue])).toEqual(
      expect.arrayContaining([
        ["REPLIED", null, null],
        ["STATUS_CHANGED", "OPEN", "WAITING_ON_CUSTOMER"],
      ]),
    );
    expect(seen.events).toHaveLength(3);
    const mails = await emailsOf(t.id);
    expect(mails.map((m) => m.kind)).toEqual(["ticket_created", "info_requested"]);
    expect(mails[1]).toMatchObject({ to: customer.email, subject: `[#${t.number}] Necesitamos información: Impresora`, fromName: "Luis Agente vía Ventanilla Soporte" });
    expect(mails[1]!.text).toContain("¿Qué modelo de impresora es?");
    expect(mails[1]!.text).toContain("el plazo de atención queda en pausa");
    expect(mails[1]!.replyTo).toMatch(/^soporte\+/);
    expect(bus.events.filter((e) => "ticketId" in e && e.ticketId === t.id).map((e) => e.type)).toEqual(["ticket.created", "message.created", "ticket.updated"]);
    expect(bus.events.find((e) => e.type === "message.created")).toMatchObject({ emailIds: [mails[1]!.id] });
    // Seed 000: closed 24 h after the agent's request if the customer does not answer.
    expect(scheduled).toEqual([[t.id, new Date(clock.now().getTime() + 24 * 3600_000)]]);

    // The customer's answer restarts the clock (reply-rule.ts).
    await asCustomer.ticket.reply({ ticketId: t.id, body: "Una HP LaserJet" });
    const answered = await db.ticket.findUniqueOrThrow({ where: { id: t.id } });
    expect(answered.status).toBe("OPEN");
    expect(answered.slaPausedAt).toBeNull();
  });

  it("mails an English-speaking customer in English", async () => {
    const { asAgent, asCustomer } = await setup("en");
    const t = await asCustomer.ticket.create({ subject: "Printer", description: "x" });
    await asAgent.ticket.requestInfo({ ticketId: t.id, body: "Which model is it?" });
    const mail = (await emailsOf(t.id)).find((m) => m.kind === "info_requested")!;
    expect(mail.subject).toBe(`[#${t.number}] We need some information: Printer`);
    expect(mail.text).toContain("needs more information to continue with your ticket");
  });

  it("a retry with the same client request id creates nothing twice, even at the same time", async () => {
    const { bus, asAgent, asCustomer } = await setup();
    const t = await asCustomer.ticket.create({ subject: "Retry", description: "x" });
    const { version } = await asAgent.ticket.get({ number: t.number });
    const input = { ticketId: t.id, body: "¿Número de serie?", version, clientRequestId: "req-info-retry-1" };
    const [a, b] = await Promise.all([asAgent.ticket.requestInfo(input), asAgent.ticket.requestInfo(input)]);
    const c = await asAgent.ticket.requestInfo(input);
    expect(new Set([a.messageId, b.messageId, c.messageId]).size).toBe(1);
    expect([a.created, b.created, c.created].filter(Boolean)).toHaveLength(1);
    expect(await db.message.count({ where: { ticketId: t.id } })).toBe(2);
    expect((await emailsOf(t.id)).filter((m) => m.kind === "info_requested")).toHaveLength(1);
    expect(await db.ticketEvent.count({ where: { ticketId: t.id, type: "STATUS_CHANGED" } })).toBe(1);
    expect(bus.events.filter((e) => e.type === "message.created")).toHaveLength(1);
  });

  it("refuses customers, a stale version, a ticket not open, and an empty question, writing nothing", async () => {
    const { asAgent, asCustomer } = await setup();
    const t = await asCustomer.ticket.create({ subject: "Refusals", description: "x" });
    const { version } = await asAgent.ticket.get({ number: t.number });
    await expectError(asCustomer.ticket.requestInfo({ ticketId: t.id, body: "hola" }), "FORBIDDEN");
    await asAgent.ticket.updateDetails({ ticketId: t.id, priority: "HIGH" });
    const stale = await expectError(asAgent.ticket.requestInfo({ ticketId: t.id, body: "¿Modelo?", version }), "CONFLICT", "TICKET_CHANGED");
    expect(stale.message).toMatch(/cambi/i);
    const empty = await expectError(asAgent.ticket.requestInfo({ ticketId: t.id, body: "   " }), "BAD_REQUEST");
    expect(empty.message).toBe("Escriba qué información necesita del cliente.");
    await asAgent.ticket.setStatus({ ticketId: t.id, status: "RESOLVED" });
    await expectError(asAgent.ticket.requestInfo({ ticketId: t.id, body: "¿Modelo?" }), "CONFLICT", "ACTION_NOT_ALLOWED");
    expect(await db.message.count({ where: { ticketId: t.id } })).toBe(1);
    expect((await emailsOf(t.id)).map((m) => m.kind)).not.toContain("info_requested");
  });
});

describe("Resolver", () => {
  it("posts the solution, resolves, restarts a stopped clock, and mails the solution with a working evaluation link", async () => {
    const { deps, bus, clock, asAgent, asCustomer, customer, scheduled } = await setup();
    const t = await asCustomer.ticket.create({ subject: "Correo", description: "No envía" });
    await asAgent.ticket.requestInfo({ ticketId: t.id, body: "¿Qué error sale?" });
    clock.advance(3600_000);
    const { version } = await asAgent.ticket.get({ number: t.number });
    const res = await asAgent.ticket.resolve({ ticketId: t.id, body: "Reinicie el servidor SMTP.", version, clientRequestId: "req-resolve-01" });
    expect(res).toMatchObject({ status: "RESOLVED", created: true });

    const row = await db.ticket.findUniqueOrThrow({ where: { id: t.id } });
    expect(row).toMatchObject({ status: "RESOLVED", slaPausedAt: null, resolvedAt: clock.now() });
    const mail = (await emailsOf(t.id)).find((m) => m.kind === "ticket_resolved")!;
    expect(mail).toMatchObject({ to: customer.email, subject: `[#${t.number}] Su ticket fue resuelto: Correo` });
    expect(mail.text).toContain("Reinicie el servidor SMTP.");
    expect(mail.text).toContain("¿Le ayudó esta respuesta?");
    const link = /http:\/\/localhost:3000\/evaluar\/(\S+)/.exec(mail.text)?.[1];
    expect(link).toBeTruthy();
    expect(mail.html).toContain(`/evaluar/${link}`);
    expect(scheduled.at(-1)?.[1]).toEqual(new Date(clock.now().getTime() + 72 * 3600_000));
    expect(bus.events.filter((e) => e.type === "ticket.updated" && e.ticketId === t.id).length).toBeGreaterThanOrEqual(2);

    // The link works without a session.
    const anon = await callerFor(deps, null);
    const view = await anon.evaluation.byToken({ token: link! });
    expect(view).toMatchObject({ ticket: { number: t.number, status: "RESOLVED" }, open: true, evaluation: null });

    // A retry of the same resolve writes nothing more.
    const again = await asAgent.ticket.resolve({ ticketId: t.id, body: "Reinicie el servidor SMTP.", version, clientRequestId: "req-resolve-01" });
    expect(again).toEqual({ ...res, created: false });
    expect((await emailsOf(t.id)).filter((m) => m.kind === "ticket_resolved")).toHaveLength(1);
  });

  it("requires the solution, refuses customers and tickets already resolved", async () => {
    const { asAgent, asCustomer } = await setup();
    const t = await asCustomer.ticket.create({ subject: "Sin solución", description: "x" });
    const err = await expectError(asAgent.ticket.resolve({ ticketId: t.id, body: "" }), "BAD_REQUEST");
    expect(err.message).toBe("Escriba la solución: el cliente la recibirá por correo.");
    await expectError(asCustomer.ticket.resolve({ ticketId: t.id, body: "Yo mismo" }), "FORBIDDEN");
    await asAgent.ticket.resolve({ ticketId: t.id, body: "Hecho" });
    await expectError(asAgent.ticket.resolve({ ticketId: t.id, body: "Otra vez" }), "CONFLICT", "ACTION_NOT_ALLOWED");
    expect((await db.ticket.findUniqueOrThrow({ where: { id: t.id } })).status).toBe("RESOLVED");
  });
});

describe("Fusionar", () => {
  async function pair() {
    const s = await setup();
    const survivor = await s.asCustomer.ticket.create({ subject: "La VPN no conecta", description: "Desde ayer" });
    s.clock.advance(60_000);
    const dup = await s.asCustomer.ticket.create({ subject: "VPN otra vez", description: "Sigue sin conectar" });
    s.clock.advance(60_000);
    await s.asAgent.ticket.reply({ ticketId: survivor.id, body: "Revisamos la VPN" });
    return { ...s, survivor, dup };
  }

  it("moves the duplicate's thread into the survivor, closes it pointing there, records both histories and tells the customer once", async () => {
    const { bus, clock, asAgent, asCustomer, customer, survivor, dup } = await pair();
    const att = await db.attachment.create({
      data: { ticketId: dup.id, messageId: (await db.message.findFirstOrThrow({ where: { ticketId: dup.id } })).id, filename: "log.txt", contentType: "text/plain", size: 3, sha256: "x", storageKey: "k" },
    });
    const d = await asAgent.ticket.get({ number: dup.number });
    const s = await asAgent.ticket.get({ number: survivor.number });
    clock.advance(60_000);
    const res = await asAgent.ticket.merge({ ticketId: dup.id, targetNumber: survivor.number, version: d.version, targetVersion: s.version });
    expect(res).toEqual({ merged: true, survivorNumber: survivor.number, survivorId: survivor.id });

    const joined = await asCustomer.ticket.get({ number: survivor.number });
    expect(joined.messages.map((m) => [m.bodyText, m.mergedFromTicket?.number ?? null])).toEqual([
      ["Desde ayer", null],
      ["Sigue sin conectar", dup.number],
      ["Revisamos la VPN", null],
    ]);
    expect(joined.messages[1]!.attachments.map((a) => a.id)).toEqual([att.id]);
    expect((await db.attachment.findUniqueOrThrow({ where: { id: att.id } })).ticketId).toBe(survivor.id);
    expect(joined.events.at(-1)).toMatchObject({ type: "MERGED_FROM", fromValue: String(dup.number) });
    const rows = await db.ticket.findMany({ where: { id: { in: [survivor.id, dup.id] } }, select: { id: true, lastCustomerMessageAt: true } });
    const dupLast = rows.find((r) => r.id === dup.id)!.lastCustomerMessageAt;
    expect(dupLast).not.toBeNull();
    expect(rows.find((r) => r.id === survivor.id)!.lastCustomerMessageAt).toEqual(dupLast);
    // The moved words find the survivor, in the queue's search and in the customer's.
    const words = await db.$queryRaw<Array<{ agent: boolean; customer: boolean }>>`SELECT "searchVector" @@ to_tsquery('vt_simple', 'sigue') AS agent,
      "customerSearchVector" @@ to_tsquery('vt_simple', 'sigue') AS customer FROM "Ticket" WHERE id = ${survivor.id}`;
    expect(words).toEqual([{ agent: true, customer: true }]);

    const closed = await asCustomer.ticket.get({ number: dup.number });
    expect(closed).toMatchObject({ status: "CLOSED", mergedInto: { number: survivor.number }, messages: [] });
    expect(closed.events.slice(-2).map((e) => [e.type, e.fromValue, e.toValue])).toEqual(
      expect.arrayContaining([
        ["STATUS_CHANGED", "OPEN", "CLOSED"],
        ["MERGED_INTO", null, String(survivor.number)],
      ]),
    );
    const mails = (await emailsOf(dup.id)).filter((m) => m.kind === "ticket_merged");
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ to: customer.email, subject: `[#${dup.number}] Su ticket continúa en el #${survivor.number}` });
    expect(mails[0]!.text).toContain(`/portal/tickets/${survivor.number}`);
    const updated = bus.events.flatMap((e) => (e.type === "ticket.updated" ? [e.ticketId] : []));
    expect(updated).toEqual(expect.arrayContaining([dup.id, survivor.id]));

    // A retry changes nothing.
    const again = await asAgent.ticket.merge({ ticketId: dup.id, targetNumber: survivor.number, version: d.version, targetVersion: s.version });
    expect(again.merged).toBe(false);
    expect((await emailsOf(dup.id)).filter((m) => m.kind === "ticket_merged")).toHaveLength(1);
    expect(await db.ticketEvent.count({ where: { ticketId: survivor.id, type: "MERGED_FROM" } })).toBe(1);

    // Replies to the duplicate: the portal points to the survivor, mail to its reply address lands there.
    const refused = await expectError(asCustomer.ticket.reply({ ticketId: dup.id, body: "¿Hola?" }), "CONFLICT", "TICKET_MERGED");
    expect(refused.message).toBe(`Este ticket se fusionó en el #${survivor.number}: continúe allí.`);
    const dupRow = await db.ticket.findUniqueOrThrow({ where: { id: dup.id } });
    const thread = await findThread(sqlOf(db), { supportAddresses: ["soporte@ventanilla.test"] }, {}, [`soporte+${dupRow.replyToken}@ventanilla.test`], null);
    expect(thread?.ticket.id).toBe(survivor.id);
  });

  it("refuses itself, a merged target, another requester, a closed target, stale versions, customers and unknown numbers", async () => {
    const { asAgent, asCustomer, survivor, dup, deps } = await pair();
    await expectError(asCustomer.ticket.merge({ ticketId: dup.id, targetNumber: survivor.number }), "FORBIDDEN");
    await expectError(asAgent.ticket.merge({ ticketId: dup.id, targetNumber: dup.number }), "BAD_REQUEST", "MERGE_SELF");
    await expectError(asAgent.ticket.merge({ ticketId: dup.id, targetNumber: 2_000_000_000 }), "BAD_REQUEST", "MERGE_TARGET_NOT_FOUND");

    const other = await makeUser();
    const foreign = await (await callerFor(deps, other.id)).ticket.create({ subject: "Ajeno", description: "x" });
    const mismatch = await expectError(asAgent.ticket.merge({ ticketId: dup.id, targetNumber: foreign.number }), "BAD_REQUEST", "MERGE_REQUESTER_MISMATCH");
    expect(mismatch.message).toContain("mismo solicitante");

    const s = await asAgent.ticket.get({ number: survivor.number });
    await asAgent.ticket.updateDetails({ ticketId: survivor.id, priority: "LOW" });
    await expectError(asAgent.ticket.merge({ ticketId: dup.id, targetNumber: survivor.number, targetVersion: s.version }), "CONFLICT", "TICKET_CHANGED");
    const d = await asAgent.ticket.get({ number: dup.number });
    await asAgent.ticket.updateDetails({ ticketId: dup.id, priority: "LOW" });
    await expectError(asAgent.ticket.merge({ ticketId: dup.id, targetNumber: survivor.number, version: d.version }), "CONFLICT", "TICKET_CHANGED");

    const third = await asCustomer.ticket.create({ subject: "Tercero", description: "x" });
    await asAgent.ticket.merge({ ticketId: third.id, targetNumber: survivor.number });
    await expectError(asAgent.ticket.merge({ ticketId: dup.id, targetNumber: third.number }), "CONFLICT", "MERGE_TARGET_MERGED");

    const closed = await asCustomer.ticket.create({ subject: "Cerrado", description: "x" });
    await asCustomer.ticket.setStatus({ ticketId: closed.id, status: "CLOSED" });
    await expectError(asAgent.ticket.merge({ ticketId: dup.id, targetNumber: closed.number }), "CONFLICT", "MERGE_TARGET_FINAL");

    expect((await db.ticket.findUniqueOrThrow({ where: { id: dup.id } })).mergedIntoId).toBeNull();
    expect(await db.message.count({ where: { ticketId: dup.id } })).toBe(1);
  });

  it("two agents merging the same pair at once: one merge, one mail", async () => {
    const { asAgent, survivor, dup } = await pair();
    const results = await Promise.all([asAgent.ticket.merge({ ticketId: dup.id, targetNumber: survivor.number }), asAgent.ticket.merge({ ticketId: dup.id, targetNumber: survivor.number })]);
    expect(results.map((r) => r.merged).sort()).toEqual([false, true]);
    expect(await db.outboundEmail.count({ where: { ticketId: dup.id, kind: "ticket_merged" } })).toBe(1);
    expect(await db.ticketEvent.count({ where: { ticketId: dup.id, type: "MERGED_INTO" } })).toBe(1);
  });

  it("a ticket merged into a duplicate follows it when that duplicate is merged in turn", async () => {
    const { asAgent, asCustomer, survivor, dup } = await pair();
    const first = await asCustomer.ticket.create({ subject: "Primero", description: "el primero" });
    await asAgent.ticket.merge({ ticketId: first.id, targetNumber: dup.number });
    await asAgent.ticket.merge({ ticketId: dup.id, targetNumber: survivor.number });
    expect((await db.ticket.findUniqueOrThrow({ where: { id: first.id } })).mergedIntoId).toBe(survivor.id);
    const joined = await asAgent.ticket.get({ number: survivor.number });
    expect(joined.messages.find((m) => m.bodyText === "el primero")?.mergedFromTicket?.number).toBe(first.number);
  });
});
