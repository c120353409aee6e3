// Issue 14 items 4, 5, 6 and 9: "Mis tickets" (filters, search, unread, place in line), the evaluation
// reports, reopening from the portal within the window, and the knowledge base's deflections. Every
// procedure taking an id is tried with another customer's.
import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { callerFor, db, makeCategory, makeUser, testDeps } from "./support/fixtures";

type Caller = Awaited<ReturnType<typeof callerFor>>;

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

async function world() {
  const t = testDeps();
  const agent = await makeUser("AGENT");
  const admin = await makeUser("ADMIN");
  const ana = await makeUser("CUSTOMER", { name: "Ana" });
  const beto = await makeUser("CUSTOMER", { name: "Beto" });
  const asAgent = await callerFor(t.deps, agent.id);
  const asAdmin = await callerFor(t.deps, admin.id);
  const asAna = await callerFor(t.deps, ana.id);
  const asBeto = await callerFor(t.deps, beto.id);
  /** A ticket opened a minute after the last one (the line is ordered by arrival). */
  const open = async (who: Caller, subject: string, description = "Detalle", categoryId?: string) => {
    t.clock.advance(60_000);
    return who.ticket.create({ subject, description, categoryId: categoryId ?? null });
  };
  return { ...t, agent, admin, ana, beto, asAgent, asAdmin, asAna, asBeto, open };
}

describe("Mis tickets", () => {
  it("lists only the customer's own tickets, with Motivo, Fecha de respuesta, Estado and Evaluación, filtered open/closed/all", async () => {
    const w = await world();
    const cat = await makeCategory();
    const t1 = await w.open(w.asAna, "Impresora atascada", "No imprime", cat.id);
    const t2 = await w.open(w.asAna, "VPN sin conexión");
    const other = await w.open(w.asBeto, "Factura duplicada");
    w.clock.advance(60_000);
    await w.asAgent.ticket.reply({ ticketId: t1.id, body: "Revise la bandeja." });
    const answeredAt = w.clock.now();
    w.clock.advance(60_000);
    await w.asAgent.ticket.resolve({ ticketId: t2.id, body: "Reinstale el cliente VPN." });
    await w.asAna.ticket.evaluate({ ticketId: t2.id, helpful: true, comment: "Perfecto" });

    const all = await w.asAna.portal.myTickets({});
    expect(all.items.map((i) => i.number)).toEqual([t2.number, t1.number]);
    expect(all.items.find((i) => i.number === other.number)).toBeUndefined();
    const first = all.items[1]!;
    expect(first).toMatchObject({ subject: "Impresora atascada", status: "OPEN", category: { id: cat.id }, helpful: null, firstResponseAt: answeredAt });
    expect(all.items[0]).toMatchObject({ status: "RESOLVED", helpful: true });

    expect((await w.asAna.portal.myTickets({ filter: "open" })).items.map((i) => i.number)).toEqual([t1.number]);
    expect((await w.asAna.portal.myTickets({ filter: "closed" })).items.map((i) => i.number)).toEqual([t2.number]);
    expect((await w.asBeto.portal.myTickets({ filter: "all" })).items.map((i) => i.number)).toEqual([other.number]);
    // Pages go forward on (createdAt, id); another customer's ticket as cursor yields nothing of theirs.
    const p1 = await w.asAna.portal.myTickets({ limit: 1 });
    expect(p1.items.map((i) => i.number)).toEqual([t2.number]);
    expect((await w.asAna.portal.myTickets({ limit: 1, cursor: p1.nextCursor })).items.map((i) => i.number)).toEqual([t1.number]);
    expect((await w.asAna.portal.myTickets({ cursor: other.id })).items).toEqual([]);
  });

  it("searches by number or by the words of the subject and the public messages, never an internal note's or another customer's", async () => {
    const w = await world();
    const mine = await w.open(w.asAna, "Cámara del portátil", "La webcam no enciende");
    const theirs = await w.open(w.asBeto, "Cámara rota", "Otra cámara");
    await w.asAgent.ticket.reply({ ticketId: mine.id, body: "Sospecha de fraude en la garantía", internal: true });
    await w.asAgent.ticket.reply({ ticketId: mine.id, body: "Actualice el controlador del dispositivo" });
    const numbers = async (q: string) => (await w.asAna.portal.myTickets({ q })).items.map((i) => i.number);

    expect(await numbers("CAMARA")).toEqual([mine.number]);
    expect(await numbers("webcam")).toEqual([mine.number]);
    expect(await numbers("controlador")).toEqual([mine.number]);
    expect(await numbers(`#${mine.number}`)).toEqual([mine.number]);
    expect(await numbers(String(mine.number))).toEqual([mine.number]);
    expect(await numbers("fraude")).toEqual([]);
    expect(await numbers(`#${theirs.number}`)).toEqual([]);
    expect(await numbers("rota")).toEqual([]);
    expect(await numbers("¿?")).toEqual([]);
    // The queue's search still finds the note's words for staff.
    const queue = await w.asAgent.ticket.queue({ view: "all", search: "fraude" });
    expect(queue.items.map((i) => i.number)).toContain(mine.number);
  });

  it("marks a ticket unread when an agent answers publicly after the customer last opened it, and clears it on markViewed", async () => {
    const w = await world();
    const t = await w.open(w.asAna, "Correo no sincroniza");
    const unread = async () => (await w.asAna.portal.myTickets({})).items.find((i) => i.id === t.id)!.unread;
    expect(await unread()).toBe(false);
    w.clock.advance(1000);
    await w.asAgent.ticket.reply({ ticketId: t.id, body: "nota", internal: true });
    expect(await unread()).toBe(false);
    w.clock.advance(1000);
    await w.asAgent.ticket.reply({ ticketId: t.id, body: "¿Qué versión usa?" });
    expect(await unread()).toBe(true);
    w.clock.advance(1000);
    await w.asAna.portal.markViewed({ ticketId: t.id });
    expect(await unread()).toBe(false);
    // The customer's own reply is not an answer.
    w.clock.advance(1000);
    await w.asAna.ticket.reply({ ticketId: t.id, body: "La 2.1" });
    expect(await unread()).toBe(false);
    w.clock.advance(1000);
    await w.asAgent.ticket.requestInfo({ ticketId: t.id, body: "Envíe una captura." });
    expect(await unread()).toBe(true);

    // Another customer's id: nothing changes for the owner, nothing is said.
    w.clock.advance(1000);
    await w.asBeto.portal.markViewed({ ticketId: t.id });
    expect(await unread()).toBe(true);
  });

  it("gives each ticket waiting for a first answer its place in the line of every customer's waiting tickets, oldest first", async () => {
    const w = await world();
    // After every ticket the other tests opened: the line's order is the arrival time.
    w.clock.set(new Date("2027-01-01T09:00:00Z"));
    const before = await db.ticket.count({ where: { status: "OPEN", firstResponseAt: null, mergedIntoId: null } });
    const a1 = await w.open(w.asAna, "Primero");
    const b1 = await w.open(w.asBeto, "Segundo");
    const a2 = await w.open(w.asAna, "Tercero");
    const a3 = await w.open(w.asAna, "Cuarto");
    const place = async (who: Caller, id: string) => (await who.portal.myTickets({})).items.find((i) => i.id === id)!.waitingPosition;
    expect(await place(w.asAna, a1.id)).toBe(before + 1);
    expect(await place(w.asBeto, b1.id)).toBe(before + 2);
    expect(await place(w.asAna, a2.id)).toBe(before + 3);
    expect(await place(w.asAna, a3.id)).toBe(before + 4);
    // Answered: out of the line, and everyone behind moves up. In progress: out of the line too.
    await w.asAgent.ticket.reply({ ticketId: b1.id, body: "Lo miramos." });
    await w.asAgent.ticket.setStatus({ ticketId: a1.id, status: "IN_PROGRESS" });
    expect(await place(w.asBeto, b1.id)).toBeNull();
    expect(await place(w.asAna, a1.id)).toBeNull();
    expect(await place(w.asAna, a2.id)).toBe(before + 1);
    expect(await place(w.asAna, a3.id)).toBe(before + 2);
  });

  it("is live: the list's events reach the customer's room (ticket.updated / message.created carry their requester)", async () => {
    const w = await world();
    const t = await w.open(w.asAna, "Pantalla");
    await w.asAgent.ticket.reply({ ticketId: t.id, body: "Hola" });
    expect(w.bus.events.at(-1)).toMatchObject({ type: "message.created", ticketId: t.id, requesterId: w.ana.id, internal: false });
  });
});

describe("reopening from the portal (one rule with mail)", () => {
  it("reopens a resolved ticket within the window with the reason as the customer's message; outside it, refuses and the follow-up path stays", async () => {
    const w = await world();
    const t = await w.open(w.asAna, "Impresora");
    await w.asAgent.ticket.resolve({ ticketId: t.id, body: "Cambie el tóner." });
    expect(await w.asAna.portal.reopenState({ ticketId: t.id })).toMatchObject({ open: true, until: new Date(w.clock.now().getTime() + 72 * 3600_000) });

    await expectError(w.asAna.portal.reopen({ ticketId: t.id, reason: "   " }), "BAD_REQUEST");
    w.clock.advance(71 * 3600_000);
    const done = await w.asAna.portal.reopen({ ticketId: t.id, reason: "Sigue manchando las hojas." });
    expect(done).toEqual({ reopened: true, number: t.number });
    const after = await w.asAna.ticket.get({ number: t.number });
    expect(after.status).toBe("OPEN");
    expect(after.messages.at(-1)).toMatchObject({ bodyText: "Sigue manchando las hojas.", author: { id: w.ana.id } });
    expect(after.events.filter((e) => e.type === "STATUS_CHANGED").at(-1)).toMatchObject({ fromValue: "RESOLVED", toValue: "OPEN" });
    expect(w.bus.events.map((e) => e.type)).toEqual(expect.arrayContaining(["message.created", "ticket.updated"]));
    expect(await w.asAna.portal.reopenState({ ticketId: t.id })).toEqual({ open: false, until: null });
    await expectError(w.asAna.portal.reopen({ ticketId: t.id, reason: "otra vez" }), "CONFLICT", "REOPEN_NOT_ALLOWED");

    // Resolved again, and the window passes: no button, refused; a reply opens the follow-up.
    await w.asAgent.ticket.resolve({ ticketId: t.id, body: "Limpie el fusor." });
    w.clock.advance(72 * 3600_000 + 1000);
    expect(await w.asAna.portal.reopenState({ ticketId: t.id })).toEqual({ open: false, until: null });
    await expectError(w.asAna.portal.reopen({ ticketId: t.id, reason: "Vuelve a fallar" }), "CONFLICT", "REOPEN_NOT_ALLOWED");
    expect((await db.ticket.findUniqueOrThrow({ where: { id: t.id } })).status).toBe("RESOLVED");
    const followUp = await w.asAna.ticket.reply({ ticketId: t.id, body: "Vuelve a fallar" });
    expect(followUp.followUp).toBeTruthy();
  });

  it("a closed ticket is not reopened (the rule sends closed tickets to a follow-up)", async () => {
    const w = await world();
    const t = await w.open(w.asAna, "Teclado");
    await w.asAgent.ticket.resolve({ ticketId: t.id, body: "Listo." });
    await w.asAna.ticket.setStatus({ ticketId: t.id, status: "CLOSED" });
    expect(await w.asAna.portal.reopenState({ ticketId: t.id })).toEqual({ open: false, until: null });
    await expectError(w.asAna.portal.reopen({ ticketId: t.id, reason: "No funciona" }), "CONFLICT", "REOPEN_NOT_ALLOWED");
  });

  it("reopening twice escalates to the admins, once", async () => {
    const w = await world();
    const t = await w.open(w.asAna, "Servidor lento");
    for (const reason of ["Sigue lento", "Otra vez lento"]) {
      await w.asAgent.ticket.resolve({ ticketId: t.id, body: "Reiniciado." });
      w.clock.advance(3600_000);
      await w.asAna.portal.reopen({ ticketId: t.id, reason });
    }
    expect(await db.ticketEvent.count({ where: { ticketId: t.id, type: "ESCALATED" } })).toBe(1);
    expect(await db.outboundEmail.count({ where: { ticketId: t.id, kind: "escalated", to: w.admin.email } })).toBe(1);
  });

  it("another customer's ticket is not found, for the state and for reopening; staff are forbidden", async () => {
    const w = await world();
    const t = await w.open(w.asAna, "Monitor");
    await w.asAgent.ticket.resolve({ ticketId: t.id, body: "Listo." });
    await expectError(w.asBeto.portal.reopenState({ ticketId: t.id }), "NOT_FOUND", "TICKET_NOT_FOUND");
    await expectError(w.asBeto.portal.reopen({ ticketId: t.id, reason: "Mío" }), "NOT_FOUND", "TICKET_NOT_FOUND");
    await expectError(w.asAgent.portal.reopen({ ticketId: t.id, reason: "x" }), "FORBIDDEN");
    await expectError(w.asBeto.portal.reopen({ ticketId: "nope", reason: "x" }), "NOT_FOUND", "TICKET_NOT_FOUND");
    expect((await db.ticket.findUniqueOrThrow({ where: { id: t.id } })).status).toBe("RESOLVED");
  });
});

describe("evaluations: the portal's answer in the list, and the admins' reports", () => {
  it("counts answers per agent over a period with the % helpful, and pages the latest comments; admins only", async () => {
    const w = await world();
    const agent2 = await makeUser("AGENT", { name: "Zoe" });
    const asAgent2 = await callerFor(w.deps, agent2.id);
    const from = w.clock.now();
    const answers: [Caller, boolean, string | null][] = [
      [w.asAgent, true, "Muy claro"],
      [w.asAgent, true, null],
      [w.asAgent, false, "No funcionó"],
      [asAgent2, false, null],
    ];
    for (const [agent, helpful, comment] of answers) {
      const t = await w.open(w.asAna, "Caso");
      await agent.ticket.resolve({ ticketId: t.id, body: "Solución" });
      w.clock.advance(1000);
      await w.asAna.ticket.evaluate({ ticketId: t.id, helpful, comment });
    }
    const to = new Date(w.clock.now().getTime() + 1);
    // Other test files evaluate at the same fixed instant in the same database: only this test's agents are compared.
    const ours = (list: Array<{ agent: { id: string } | null }>) => list.filter((r) => r.agent && [w.agent.id, agent2.id].includes(r.agent.id));
    const rows = ours(await w.asAdmin.evaluation.byAgent({ from, to }));
    expect(rows).toEqual([
      { agent: { id: w.agent.id, name: w.agent.name, email: w.agent.email }, helpful: 2, notHelpful: 1, total: 3, helpfulPercent: 67 },
      { agent: { id: agent2.id, name: "Zoe", email: agent2.email }, helpful: 0, notHelpful: 1, total: 1, helpfulPercent: 0 },
    ]);
    expect(ours(await w.asAdmin.evaluation.byAgent({ from: to, to: new Date(to.getTime() + 1000) }))).toEqual([]);

    const c1 = await w.asAdmin.evaluation.comments({ from, to, limit: 1, agentId: w.agent.id });
    expect(c1.items.map((c) => c.comment)).toEqual(["No funcionó"]);
    const c2 = await w.asAdmin.evaluation.comments({ from, to, limit: 1, cursor: c1.nextCursor, agentId: w.agent.id });
    expect(c2.items.map((c) => c.comment)).toEqual(["Muy claro"]);
    expect(c2.nextCursor).toBeNull();
    expect((await w.asAdmin.evaluation.comments({ from, to, agentId: agent2.id })).items).toEqual([]);

    await expectError(w.asAgent.evaluation.byAgent({ from, to }), "FORBIDDEN");
    await expectError(w.asAna.evaluation.comments({ from, to }), "FORBIDDEN");
    await expectError(w.asAna.evaluation.deflections({ from, to }), "FORBIDDEN");
  });

  it("a customer cannot evaluate another customer's ticket from the portal", async () => {
    const w = await world();
    const t = await w.open(w.asAna, "Ratón");
    await w.asAgent.ticket.resolve({ ticketId: t.id, body: "Pilas nuevas." });
    await expectError(w.asBeto.ticket.evaluate({ ticketId: t.id, helpful: false }), "NOT_FOUND", "TICKET_NOT_FOUND");
    expect(await db.ticketEvaluation.count({ where: { ticketId: t.id } })).toBe(0);
  });
});

describe("knowledge-base deflection", () => {
  it("counts once per (user, article, draft), only published articles, and reports per article and in total", async () => {
    const w = await world();
    const tag = Math.random().toString(36).slice(2, 8);
    const article = await db.article.create({ data: { slug: `vpn-${tag}`, translationKey: `vpn-${tag}`, title: "Conectar la VPN", bodyMarkdown: "x", state: "PUBLISHED" } });
    const other = await db.article.create({ data: { slug: `imp-${tag}`, translationKey: `imp-${tag}`, title: "Impresora", bodyMarkdown: "x", state: "PUBLISHED" } });
    const draft = await db.article.create({ data: { slug: `bor-${tag}`, translationKey: `bor-${tag}`, title: "Borrador", bodyMarkdown: "x" } });
    const from = w.clock.now();
    expect(await w.asAna.portal.deflect({ articleId: article.id, draftId: "draft-0001" })).toEqual({ counted: true });
    expect(await w.asAna.portal.deflect({ articleId: article.id, draftId: "draft-0001" })).toEqual({ counted: false });
    expect(await w.asAna.portal.deflect({ articleId: article.id, draftId: "draft-0002" })).toEqual({ counted: true });
    expect(await w.asBeto.portal.deflect({ articleId: article.id, draftId: "draft-0001" })).toEqual({ counted: true });
    expect(await w.asBeto.portal.deflect({ articleId: other.id, draftId: "draft-0001" })).toEqual({ counted: true });
    await expectError(w.asAna.portal.deflect({ articleId: draft.id, draftId: "draft-0003" }), "NOT_FOUND", "ARTICLE_NOT_FOUND");
    await expectError(w.asAna.portal.deflect({ articleId: "nope", draftId: "draft-0003" }), "NOT_FOUND", "ARTICLE_NOT_FOUND");
    const anon = await callerFor(w.deps, null);
    await expectError(anon.portal.deflect({ articleId: article.id, draftId: "draft-0004" }), "UNAUTHORIZED");

    const report = await w.asAdmin.evaluation.deflections({ from, to: new Date(w.clock.now().getTime() + 1) });
    expect(report.total).toBe(4);
    expect(report.articles).toEqual([
      { article: { id: article.id, title: "Conectar la VPN", slug: article.slug, language: "es" }, count: 3 },
      { article: { id: other.id, title: "Impresora", slug: other.slug, language: "es" }, count: 1 },
    ]);
  });
});
