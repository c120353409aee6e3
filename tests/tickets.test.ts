import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { sqlOf } from "~/server/db/client";
import { newId } from "~/server/db/sql";
import { writeMessage } from "~/server/modules/tickets/ticket-writer";
import { callerFor, db, makeCategory, makeUser, testDeps } from "./support/fixtures";

async function expectError(p: Promise<unknown>, code: string, appCode?: string) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TRPCError);
  expect((err as TRPCError).code).toBe(code);
  if (appCode) expect(((err as TRPCError).cause as { code?: string } | undefined)?.code ?? (err as TRPCError).message).toBe(appCode);
  return err as TRPCError;
}

describe("ticket.create", () => {
  it("opens a ticket with number, tracking id, first message, history and a staged email", async () => {
    const { deps, bus } = testDeps();
    const customer = await makeUser("CUSTOMER", { name: "Ana Pérez" });
    const cat = await makeCategory();
    const api = await callerFor(deps, customer.id);
    const created = await api.ticket.create({ subject: "No imprime", description: "La impresora no responde", priority: "HIGH", categoryId: cat.id });

    expect(created.number).toBeGreaterThanOrEqual(1001);
    expect(created.trackingId).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const ticket = await db.ticket.findUniqueOrThrow({ where: { id: created.id }, include: { messages: true, events: true, emails: true } });
    expect(ticket).toMatchObject({ subject: "No imprime", status: "OPEN", priority: "HIGH", channel: "PORTAL", requesterId: customer.id, categoryId: cat.id });
    expect(ticket.messages).toHaveLength(1);
    expect(ticket.messages[0]!.bodyHtml).toBe("<p>La impresora no responde</p>");
    expect(ticket.events.map((e) => e.type)).toEqual(["CREATED"]);
    expect(ticket.emails).toHaveLength(1);
    expect(ticket.emails[0]!.subject).toBe(`[#${created.number}] Ticket recibido: No imprime`);
    expect(ticket.emails[0]!.text).toContain(created.trackingId);
    expect(bus.events).toEqual([{ type: "ticket.created", ticketId: created.id, number: created.number, requesterId: customer.id, emailIds: [ticket.emails[0]!.id] }]);
  });

  it("returns the same ticket when a submit is retried with the same clientRequestId", async () => {
    const { deps, bus } = testDeps();
    const customer = await makeUser();
    const api = await callerFor(deps, customer.id);
    const input = { subject: "Retry", description: "body", clientRequestId: "req-12345678" };
    const [a, b] = await Promise.all([api.ticket.create(input), api.ticket.create(input)]);
    const c = await api.ticket.create(input);
    expect(new Set([a.id, b.id, c.id]).size).toBe(1);
    expect(await db.ticket.count({ where: { requesterId: customer.id } })).toBe(1);
    expect(bus.events).toHaveLength(1);
  });

  it("rejects empty and oversized subjects and unknown categories, in Spanish, creating nothing", async () => {
    const { deps } = testDeps();
    const customer = await makeUser();
    const api = await callerFor(deps, customer.id);
    const empty = await expectError(api.ticket.create({ subject: "   ", description: "x" }), "BAD_REQUEST");
    expect(empty.message).toBe("El asunto es obligatorio.");
    const long = await expectError(api.ticket.create({ subject: "x".repeat(201), description: "x" }), "BAD_REQUEST");
    expect(long.message).toBe("El asunto no puede superar 200 caracteres.");
    const cat = await expectError(api.ticket.create({ subject: "ok", description: "x", categoryId: "nope" }), "BAD_REQUEST");
    expect(cat.message).toBe("La categoría seleccionada no existe.");
    expect(await db.ticket.count({ where: { requesterId: customer.id } })).toBe(0);
  });

  it("speaks English to a user whose language is English, and to anyone who picked English", async () => {
    const { deps } = testDeps();
    const customer = await makeUser("CUSTOMER", { locale: "en" });
    const api = await callerFor(deps, customer.id);
    const err = await expectError(api.ticket.create({ subject: "", description: "x" }), "BAD_REQUEST");
    expect(err.message).toBe("The subject is required.");
    const anon = await callerFor(deps, null, { locale: "en" });
    expect((await expectError(anon.ticket.list({}), "UNAUTHORIZED")).message).toBe("Please sign in to continue.");
  });

  it("lets an agent open a phone ticket for a customer by email, and forbids customers to", async () => {
    const { deps } = testDeps();
    const agent = await makeUser("AGENT");
    const customer = await makeUser();
    const asAgent = await callerFor(deps, agent.id);
    const t = await asAgent.ticket.create({ subject: "Llamada", description: "Llamó por teléfono", requesterEmail: "Nuevo.Cliente@Example.test" });
    const row = await db.ticket.findUniqueOrThrow({ where: { id: t.id }, include: { requester: true } });
    expect(row.channel).toBe("PHONE");
    expect(row.requester.email).toBe("nuevo.cliente@example.test");
    const asCustomer = await callerFor(deps, customer.id);
    await expectError(asCustomer.ticket.create({ subject: "x", description: "y", requesterEmail: "otro@example.test" }), "FORBIDDEN");
  });
});

describe("ticket.list", () => {
  it("shows customers only their own tickets, newest first", async () => {
    const { deps, clock } = testDeps();
    const [ana, bea] = [await makeUser(), await makeUser()];
    const asAna = await callerFor(deps, ana.id);
    const asBea = await callerFor(deps, bea.id);
    const first = await asAna.ticket.create({ subject: "uno", description: "x" });
    clock.advance(1000);
    const second = await asAna.ticket.create({ subject: "dos", description: "x" });
    await asBea.ticket.create({ subject: "ajeno", description: "x" });
    const list = await asAna.ticket.list({});
    expect(list.items.map((t) => t.id)).toEqual([second.id, first.id]);
    // Filters cannot widen a customer's view.
    const sneaky = await asAna.ticket.list({ assignee: bea.id, status: ["OPEN"] });
    expect(sneaky.items.every((t) => t.requester.id === ana.id)).toBe(true);
  });

  it("gives agents the queue oldest first with filters and cursor pagination", async () => {
    const { deps, clock } = testDeps();
    const agent = await makeUser("AGENT");
    const customer = await makeUser();
    const asCustomer = await callerFor(deps, customer.id);
    const asAgent = await callerFor(deps, agent.id);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      clock.advance(60_000);
      ids.push((await asCustomer.ticket.create({ subject: `q${i}`, description: "x", priority: i % 2 ? "LOW" : "HIGH" })).id);
    }
    await asAgent.ticket.assign({ ticketId: ids[4]!, assigneeId: agent.id });
    const mine = await asAgent.ticket.list({ assignee: "me" });
    expect(mine.items.map((t) => t.id)).toEqual([ids[4]]);

    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof asAgent.ticket.list>> = await asAgent.ticket.list({ limit: 2, cursor, priority: ["HIGH"] });
      pages.push(...page.items.filter((t) => ids.includes(t.id)).map((t) => t.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages).toEqual([ids[0], ids[2], ids[4]]);
  });

  it("refuses the queue to anonymous callers and explains a stale session", async () => {
    const { deps } = testDeps();
    const anon = await callerFor(deps, null);
    await expectError(anon.ticket.list({}), "UNAUTHORIZED");
    const ghost = await callerFor(deps, "user-that-was-deleted");
    const err = await expectError(ghost.ticket.list({}), "UNAUTHORIZED");
    expect(err.message).toBe("Su sesión ha caducado. Inicie sesión de nuevo.");
    const forged = await callerFor(deps, null, { cookie: "next-auth.session-token=forged.value" });
    await expectError(forged.ticket.list({}), "UNAUTHORIZED");
  });
});

describe("ticket.get / reply / setStatus / assign", () => {
  it("runs the loop: agent replies, customer sees the reply but never internal notes", async () => {
    const { deps, bus } = testDeps();
    const agent = await makeUser("AGENT", { name: "Luis Agente" });
    const customer = await makeUser();
    const asCustomer = await callerFor(deps, customer.id);
    const asAgent = await callerFor(deps, agent.id);
    const t = await asCustomer.ticket.create({ subject: "Hilo", description: "Hola" });

    await asAgent.ticket.reply({ ticketId: t.id, body: "Estamos en ello" });
    await asAgent.ticket.reply({ ticketId: t.id, body: "El cliente es VIP", internal: true });

    const seenByCustomer = await asCustomer.ticket.get({ number: t.number });
    expect(seenByCustomer.messages.map((m) => m.bodyText)).toEqual(["Hola", "Estamos en ello"]);
    expect(seenByCustomer.events.map((e) => e.type)).toEqual(["CREATED", "REPLIED"]);
    const seenByAgent = await asAgent.ticket.get({ number: t.number });
    expect(seenByAgent.messages.map((m) => m.internal)).toEqual([false, false, true]);
    expect(seenByAgent.firstResponseAt).not.toBeNull();

    const replyEvents = bus.events.filter((e) => e.type === "message.created");
    expect(replyEvents.map((e) => e.type === "message.created" && e.internal)).toEqual([false, true]);
    const emails = await db.outboundEmail.findMany({ where: { ticketId: t.id }, orderBy: { createdAt: "asc" } });
    expect(emails.map((e) => e.kind)).toEqual(["ticket_created", "agent_reply"]);
    expect(emails[1]!.text).toContain("Estamos en ello");
    expect(emails[1]!.text).not.toContain("VIP");
  });

  it("reopens a ticket when the customer answers while it waits on them", async () => {
    const { deps } = testDeps();
    const agent = await makeUser("AGENT");
    const customer = await makeUser();
    const asCustomer = await callerFor(deps, customer.id);
    const asAgent = await callerFor(deps, agent.id);
    const t = await asCustomer.ticket.create({ subject: "Espera", description: "x" });
    await asAgent.ticket.setStatus({ ticketId: t.id, status: "WAITING_ON_CUSTOMER" });
    await asCustomer.ticket.reply({ ticketId: t.id, body: "Aquí está el dato" });
    const after = await asAgent.ticket.get({ number: t.number });
    expect(after.status).toBe("OPEN");
    expect(after.events.filter((e) => e.type === "STATUS_CHANGED").map((e) => [e.fromValue, e.toValue])).toEqual([
      ["OPEN", "WAITING_ON_CUSTOMER"],
      ["WAITING_ON_CUSTOMER", "OPEN"],
    ]);
  });

  it("one reopen rule: a customer's reply inside the window reopens a resolved ticket, past it opens a linked follow-up; staff never reopen", async () => {
    const { deps, clock } = testDeps();
    const agent = await makeUser("AGENT");
    const customer = await makeUser();
    const asCustomer = await callerFor(deps, customer.id);
    const asAgent = await callerFor(deps, agent.id);
    const t = await asCustomer.ticket.create({ subject: "Ventana", description: "x" });
    await asAgent.ticket.setStatus({ ticketId: t.id, status: "RESOLVED" });
    await asAgent.ticket.reply({ ticketId: t.id, body: "Una aclaración del agente" });
    expect((await asAgent.ticket.get({ number: t.number })).status).toBe("RESOLVED");
    clock.advance(deps.mail.reopenWindowHours * 3600_000 - 60_000);
    await asCustomer.ticket.reply({ ticketId: t.id, body: "Sigue fallando" });
    expect((await asAgent.ticket.get({ number: t.number })).status).toBe("OPEN");

    await asAgent.ticket.setStatus({ ticketId: t.id, status: "RESOLVED" });
    clock.advance(deps.mail.reopenWindowHours * 3600_000 + 60_000);
    const messages = (await asAgent.ticket.get({ number: t.number })).messages.length;
    const late = await asCustomer.ticket.reply({ ticketId: t.id, body: "Demasiado tarde" });
    const after = await asAgent.ticket.get({ number: t.number });
    expect(after.status).toBe("RESOLVED");
    expect(after.messages).toHaveLength(messages);
    expect(late.followUp?.number).toBeGreaterThan(t.number);
    const followUp = await asCustomer.ticket.get({ number: late.followUp!.number });
    expect(followUp).toMatchObject({ subject: "Ventana", status: "OPEN" });
    expect(followUp.messages.map((m) => m.bodyText)).toEqual(["Demasiado tarde"]);
    expect((await db.ticket.findUniqueOrThrow({ where: { id: followUp.id } })).parentTicketId).toBe(t.id);
  });

  it("an agent's first public reply sets firstResponseAt once; notes and later replies do not move it", async () => {
    const { deps, clock } = testDeps();
    const agent = await makeUser("AGENT");
    const customer = await makeUser();
    const asAgent = await callerFor(deps, agent.id);
    const t = await (await callerFor(deps, customer.id)).ticket.create({ subject: "Primera respuesta", description: "x" });
    await asAgent.ticket.reply({ ticketId: t.id, body: "Nota", internal: true });
    expect((await db.ticket.findUniqueOrThrow({ where: { id: t.id } })).firstResponseAt).toBeNull();
    clock.advance(60_000);
    const answeredAt = clock.now();
    await asAgent.ticket.reply({ ticketId: t.id, body: "Respuesta" });
    clock.advance(60_000);
    await asAgent.ticket.reply({ ticketId: t.id, body: "Otra" });
    expect((await db.ticket.findUniqueOrThrow({ where: { id: t.id } })).firstResponseAt).toEqual(answeredAt);
  });

  it("a new ticket's SLA due times follow the seed's targets on Madrid's support hours, by priority (portal and phone alike)", async () => {
    const { deps, clock } = testDeps();
    clock.set(new Date("2026-03-06T15:59:00Z")); // Friday 16:59 in Madrid
    const customer = await makeUser();
    const agent = await makeUser("AGENT");
    const portal = await (await callerFor(deps, customer.id)).ticket.create({ subject: "SLA", description: "x", priority: "MEDIUM" });
    expect(await db.ticket.findUniqueOrThrow({ where: { id: portal.id }, select: { firstResponseDueAt: true, resolutionDueAt: true } })).toEqual({
      firstResponseDueAt: new Date("2026-03-11T12:59:00Z"),
      resolutionDueAt: new Date("2026-03-16T09:59:00Z"),
    });
    const phone = await (await callerFor(deps, agent.id)).ticket.create({ subject: "SLA alta", description: "x", priority: "HIGH", requesterEmail: `sla-${Date.now()}@cliente.test` });
    expect(await db.ticket.findUniqueOrThrow({ where: { id: phone.id }, select: { firstResponseDueAt: true, resolutionDueAt: true } })).toEqual({
      firstResponseDueAt: new Date("2026-03-11T12:59:00Z"),
      resolutionDueAt: new Date("2026-03-11T12:59:00Z"),
    });
  });

  it("waiting on the customer stops the SLA clock; their reply (or an agent reopening) starts it where it stopped", async () => {
    const { deps, clock } = testDeps(); // Monday 2 March, 11:00 in Madrid
    const agent = await makeUser("AGENT");
    const customer = await makeUser();
    const asAgent = await callerFor(deps, agent.id);
    const asCustomer = await callerFor(deps, customer.id);
    const t = await asCustomer.ticket.create({ subject: "Reloj", description: "x", priority: "MEDIUM" });
    const slaOf = () => db.ticket.findUniqueOrThrow({ where: { id: t.id }, select: { firstResponseDueAt: true, resolutionDueAt: true, slaPausedAt: true } });
    expect(await slaOf()).toEqual({ firstResponseDueAt: new Date("2026-03-04T16:00:00Z"), resolutionDueAt: new Date("2026-03-09T13:00:00Z"), slaPausedAt: null });

    clock.set(new Date("2026-03-02T11:00:00Z")); // Monday 12:00: answered, and now waiting on the customer
    await asAgent.ticket.reply({ ticketId: t.id, body: "¿Nos envía el número de serie?" });
    await asAgent.ticket.setStatus({ ticketId: t.id, status: "WAITING_ON_CUSTOMER" });
    expect((await slaOf()).slaPausedAt).toEqual(new Date("2026-03-02T11:00:00Z"));

    // Thursday 10:00: the customer answers. The resolution target had 47 open hours left; they run from now.
    clock.set(new Date("2026-03-05T09:00:00Z"));
    await asCustomer.ticket.reply({ ticketId: t.id, body: "SN-1234" });
    expect(await slaOf()).toEqual({ firstResponseDueAt: new Date("2026-03-04T16:00:00Z"), resolutionDueAt: new Date("2026-03-12T11:00:00Z"), slaPausedAt: null });

    // Waiting again from Thursday 12:00 (11:00Z) until an agent reopens it on Friday 09:00 (08:00Z): the 6 open
    // hours in between (Thursday 12-17, Friday 8-9) move the due time from Thursday 12 March 12:00 to Friday 13, 09:00.
    clock.set(new Date("2026-03-05T11:00:00Z"));
    await asAgent.ticket.setStatus({ ticketId: t.id, status: "WAITING_ON_CUSTOMER" });
    clock.set(new Date("2026-03-06T08:00:00Z"));
    await asAgent.ticket.setStatus({ ticketId: t.id, status: "OPEN" });
    expect(await slaOf()).toMatchObject({ resolutionDueAt: new Date("2026-03-13T08:00:00Z"), slaPausedAt: null });
  });

  it("a reply's write holds only if the ticket still has the status the reply rule read; otherwise nothing of it is written", async () => {
    const { deps } = testDeps();
    const customer = await makeUser();
    const t = await (await callerFor(deps, customer.id)).ticket.create({ subject: "Carrera", description: "x" });
    const before = { messages: await db.message.count({ where: { ticketId: t.id } }), events: await db.ticketEvent.count({ where: { ticketId: t.id } }) };
    // As if a timer had closed it (OPEN → CLOSED) after the rule read WAITING_ON_CUSTOMER.
    const written = await writeMessage(sqlOf(db), {
      ticketId: t.id,
      person: { known: customer.id },
      message: { id: newId(), authorId: customer.id, internal: false, channel: "PORTAL", body: { bodyText: "tarde", bodyHtml: "<p>tarde</p>" } },
      history: [{ type: "REPLIED" }, { type: "STATUS_CHANGED", fromValue: "WAITING_ON_CUSTOMER", toValue: "OPEN" }],
      expectedStatus: "WAITING_ON_CUSTOMER",
      status: "OPEN",
      firstResponse: false,
      emails: [],
      now: deps.clock.now(),
    });
    expect(written).toMatchObject({ written: false, emailIds: [] });
    expect({ messages: await db.message.count({ where: { ticketId: t.id } }), events: await db.ticketEvent.count({ where: { ticketId: t.id } }) }).toEqual(before);
    expect((await db.ticket.findUniqueOrThrow({ where: { id: t.id } })).status).toBe("OPEN");
  });

  it("staff reclassify a ticket: a new priority moves the resolution due time to its target; each change is in the history", async () => {
    const { deps } = testDeps(); // Monday 2 March, 11:00 in Madrid
    const agent = await makeUser("AGENT");
    const customer = await makeUser();
    const category = await makeCategory();
    const asAgent = await callerFor(deps, agent.id);
    const t = await (await callerFor(deps, customer.id)).ticket.create({ subject: "Reclasificar", description: "x", priority: "MEDIUM" });
    await expect((await callerFor(deps, customer.id)).ticket.updateDetails({ ticketId: t.id, priority: "HIGH" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(asAgent.ticket.updateDetails({ ticketId: t.id, categoryId: "no-such-category" })).rejects.toMatchObject({ cause: { code: "CATEGORY_NOT_FOUND" } });

    expect(await asAgent.ticket.updateDetails({ ticketId: t.id, priority: "HIGH", categoryId: category.id })).toMatchObject({ changed: true });
    const row = await db.ticket.findUniqueOrThrow({ where: { id: t.id }, select: { priority: true, categoryId: true, resolutionDueAt: true } });
    // 48 open hours (MEDIUM) became 24 (HIGH), counted from Monday 11:00: Wednesday 17:00 in Madrid.
    expect(row).toEqual({ priority: "HIGH", categoryId: category.id, resolutionDueAt: new Date("2026-03-04T16:00:00Z") });
    const events = (await asAgent.ticket.get({ number: t.number })).events.filter((e) => e.type === "PRIORITY_CHANGED" || e.type === "CATEGORY_CHANGED");
    expect(events.map((e) => [e.type, e.fromValue, e.toValue])).toEqual([
      ["PRIORITY_CHANGED", "MEDIUM", "HIGH"],
      ["CATEGORY_CHANGED", null, category.nameEs],
    ]);
    expect(await asAgent.ticket.updateDetails({ ticketId: t.id, priority: "HIGH" })).toMatchObject({ changed: false });
    // And back: the 24 open hours of a pause-free ticket become 72 (LOW).
    await asAgent.ticket.updateDetails({ ticketId: t.id, priority: "LOW" });
    expect((await db.ticket.findUniqueOrThrow({ where: { id: t.id } })).resolutionDueAt).toEqual(new Date("2026-03-12T10:00:00Z"));
  });

  it("mails every status change and refuses a no-op change", async () => {
    const { deps } = testDeps();
    const agent = await makeUser("AGENT");
    const customer = await makeUser();
    const asAgent = await callerFor(deps, agent.id);
    const t = await (await callerFor(deps, customer.id)).ticket.create({ subject: "Estados", description: "x" });
    await asAgent.ticket.setStatus({ ticketId: t.id, status: "IN_PROGRESS" });
    await asAgent.ticket.setStatus({ ticketId: t.id, status: "RESOLVED" });
    await expectError(asAgent.ticket.setStatus({ ticketId: t.id, status: "RESOLVED" }), "CONFLICT");
    const row = await db.ticket.findUniqueOrThrow({ where: { id: t.id } });
    expect(row.resolvedAt).not.toBeNull();
    const mails = await db.outboundEmail.findMany({ where: { ticketId: t.id, kind: "status_changed" }, orderBy: { createdAt: "asc" } });
    expect(mails.map((m) => m.subject)).toEqual([`[#${t.number}] Estado actualizado: Trabajando`, `[#${t.number}] Estado actualizado: Resuelto`]);
  });

  it("rejects a ticket only with a reason, which the customer sees and is mailed", async () => {
    const { deps } = testDeps();
    const agent = await makeUser("AGENT");
    const customer = await makeUser();
    const asAgent = await callerFor(deps, agent.id);
    const t = await (await callerFor(deps, customer.id)).ticket.create({ subject: "Sin datos", description: "No funciona" });
    const err = await expectError(asAgent.ticket.setStatus({ ticketId: t.id, status: "REJECTED" }), "BAD_REQUEST");
    expect(err.message).toBe("Indique el motivo del rechazo.");
    expect((await db.ticket.findUniqueOrThrow({ where: { id: t.id } })).status).toBe("OPEN");

    await asAgent.ticket.setStatus({ ticketId: t.id, status: "REJECTED", reason: "Falta el número de serie del equipo." });
    const seen = await (await callerFor(deps, customer.id)).ticket.get({ number: t.number });
    expect(seen.status).toBe("REJECTED");
    expect(seen.messages.at(-1)?.bodyText).toBe("Falta el número de serie del equipo.");
    const mail = await db.outboundEmail.findFirstOrThrow({ where: { ticketId: t.id, kind: "status_changed" } });
    expect(mail.text).toContain("Motivo: Falta el número de serie del equipo.");
    expect(mail.text).toContain("El ticket ha sido rechazado.");
  });

  it("tells the customer how long a resolved ticket can be reopened", async () => {
    const { deps } = testDeps();
    const agent = await makeUser("AGENT");
    const customer = await makeUser();
    const t = await (await callerFor(deps, customer.id)).ticket.create({ subject: "Resuelto", description: "x" });
    await (await callerFor(deps, agent.id)).ticket.setStatus({ ticketId: t.id, status: "RESOLVED" });
    const mail = await db.outboundEmail.findFirstOrThrow({ where: { ticketId: t.id, kind: "status_changed" } });
    expect(mail.text).toContain("en las próximas 72 horas");
  });

  it("assigns only to staff and records the movement", async () => {
    const { deps } = testDeps();
    const agent = await makeUser("AGENT", { name: "Marta" });
    const customer = await makeUser();
    const asAgent = await callerFor(deps, agent.id);
    const t = await (await callerFor(deps, customer.id)).ticket.create({ subject: "Asignar", description: "x" });
    await expectError(asAgent.ticket.assign({ ticketId: t.id, assigneeId: customer.id }), "BAD_REQUEST");
    await asAgent.ticket.assign({ ticketId: t.id, assigneeId: agent.id });
    const detail = await asAgent.ticket.get({ number: t.number });
    expect(detail.assignee?.id).toBe(agent.id);
    expect(detail.events.at(-1)).toMatchObject({ type: "ASSIGNED", toValue: "Marta" });
  });
});

describe("customers never reach what is not theirs", () => {
  it("every procedure that takes a ticket refuses another customer's ticket and changes nothing", async () => {
    const { deps, bus } = testDeps();
    const owner = await makeUser();
    const intruder = await makeUser();
    const agent = await makeUser("AGENT");
    const t = await (await callerFor(deps, owner.id)).ticket.create({ subject: "Privado", description: "secreto" });
    const before = await db.ticket.findUniqueOrThrow({ where: { id: t.id }, include: { messages: true, events: true } });
    bus.events.length = 0;
    const api = await callerFor(deps, intruder.id);

    await expectError(api.ticket.get({ number: t.number }), "NOT_FOUND");
    await expectError(api.ticket.reply({ ticketId: t.id, body: "hola" }), "NOT_FOUND");
    await expectError(api.ticket.setStatus({ ticketId: t.id, status: "CLOSED" }), "NOT_FOUND");
    await expectError(api.ticket.assign({ ticketId: t.id, assigneeId: agent.id }), "FORBIDDEN");
    await expectError(api.ticket.reply({ ticketId: t.id, body: "nota", internal: true }), "FORBIDDEN");
    const err = await expectError(api.ticket.get({ number: 999_999 }), "NOT_FOUND");
    expect(err.message).toBe("El ticket no existe o no tiene acceso a él.");

    const after = await db.ticket.findUniqueOrThrow({ where: { id: t.id }, include: { messages: true, events: true } });
    expect(after).toEqual(before);
    expect(bus.events).toEqual([]);
  });

  it("agent-only procedures refuse customers", async () => {
    const { deps } = testDeps();
    const customer = await makeUser();
    const api = await callerFor(deps, customer.id);
    await expectError(api.user.agents(), "FORBIDDEN");
    await expectError(api.admin.mailbox({}), "FORBIDDEN");
    const t = await api.ticket.create({ subject: "Mío", description: "x" });
    await expectError(api.ticket.assign({ ticketId: t.id, assigneeId: null }), "FORBIDDEN");
    await expectError(api.ticket.setStatus({ ticketId: t.id, status: "RESOLVED" }), "FORBIDDEN");
    // ... but a customer may close their own ticket.
    await api.ticket.setStatus({ ticketId: t.id, status: "CLOSED" });
    // Writing again opens a follow-up (reply-rule.ts); never an internal note.
    await expectError(api.ticket.reply({ ticketId: t.id, body: "otra vez", internal: true }), "FORBIDDEN");
    expect((await api.ticket.reply({ ticketId: t.id, body: "otra vez" })).followUp?.number).toBeGreaterThan(t.number);
  });
});
