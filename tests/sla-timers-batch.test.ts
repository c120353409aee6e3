// Issue 13: the SLA timers due in the same tick are fired together (one read, one statement for the
// batch). Every guarantee of a lone timer holds per ticket inside a batch: each event recorded once,
// a stale ticket changes nothing, a ticket that fails loses none of the others, the breach mails and
// bells go with their own ticket only, the next timer of each is scheduled.
import { describe, expect, it } from "vitest";
import { sqlOf } from "~/server/db/client";
import type { Deps } from "~/server/modules/deps";
import type { DomainEvent } from "~/server/modules/events";
import { fixedSla } from "~/server/modules/sla/policy";
import { seedSlaSettings } from "~/server/modules/sla/seed-calendar";
import { fireSlaEventsBatch, slaTimerBatcher, type SlaFireResult } from "~/server/modules/sla/timers";
import { callerFor, db, makeUser, testDeps } from "./support/fixtures";

const MIN = 60_000;

async function openTicket(deps: Deps, agent?: { id: string; email: string }) {
  const assignee = agent ?? (await makeUser("AGENT"));
  const customer = await makeUser();
  const asAgent = await callerFor(deps, assignee.id);
  const t = await (await callerFor(deps, customer.id)).ticket.create({ subject: "Plazos en lote", description: "x", priority: "HIGH" });
  await asAgent.ticket.assign({ ticketId: t.id, assigneeId: assignee.id });
  return { t, agent: assignee, asAgent };
}

const slaOf = (id: string) => db.ticket.findUniqueOrThrow({ where: { id } });
const slaEvents = (ticketId: string) =>
  db.ticketEvent
    .findMany({ where: { ticketId, type: { in: ["SLA_FIRST_RESPONSE_WARNING", "SLA_FIRST_RESPONSE_BREACHED", "SLA_RESOLUTION_WARNING", "SLA_RESOLUTION_BREACHED"] } }, select: { type: true } })
    .then((r) => r.map((e) => e.type).sort());
const kinds = (r: SlaFireResult) => (r.status === "fulfilled" ? r.value.map((f) => `${f.target}:${f.kind}`) : `failed: ${String(r.reason)}`);
const alertsOf = (events: DomainEvent[], ticketId: string) => events.filter((e) => e.type === "staff.alerted" && e.ticketId === ticketId);

describe("SLA timers fired together", () => {
  it("two tickets in one batch, one of them made stale between the read and the statement: the other applies, the stale one changes nothing", async () => {
    const { deps, clock, bus } = testDeps();
    const admin = await makeUser("ADMIN");
    const a = await openTicket(deps);
    const b = await openTicket(deps);
    const due = (await slaOf(a.t.id)).firstResponseDueAt!;
    expect((await slaOf(b.t.id)).firstResponseDueAt).toEqual(due);
    clock.set(due);
    // The batch reads both rows, then (while it prepares the breach mails) b's due times move: an
    // agent changed its priority. Its conditional UPDATE must find the row no longer as read.
    const seed = seedSlaSettings("Europe/Madrid", "ES");
    let moved = false;
    const racing: Deps = {
      ...deps,
      sla: {
        ...fixedSla(seed),
        forTicket: async () => {
          if (!moved) {
            moved = true;
            await db.ticket.update({ where: { id: b.t.id }, data: { firstResponseDueAt: new Date(due.getTime() + 60 * MIN), resolutionDueAt: new Date(due.getTime() + 120 * MIN) } });
          }
          return seed;
        },
      },
    };
    const results = await fireSlaEventsBatch(racing, [a.t.id, b.t.id]);
    expect(kinds(results[0]!)).toEqual(["FIRST_RESPONSE:breach", "RESOLUTION:breach"]);
    expect(kinds(results[1]!)).toEqual([]);
    expect(await slaEvents(a.t.id)).toEqual(["SLA_FIRST_RESPONSE_BREACHED", "SLA_RESOLUTION_BREACHED"]);
    expect(await slaEvents(b.t.id)).toEqual([]);
    expect((await slaOf(b.t.id)).firstResponseBreachedAt).toBeNull();
    // Mails, bells and alerts went with a only.
    expect(await db.outboundEmail.count({ where: { ticketId: b.t.id, kind: "sla_breached" } })).toBe(0);
    expect(await db.notification.count({ where: { ticketId: b.t.id } })).toBe(0);
    expect(alertsOf(bus.events, b.t.id)).toEqual([]);
    const mails = await db.outboundEmail.findMany({ where: { ticketId: a.t.id, kind: "sla_breached" } });
    // Each target's mail to the assignee and to the admin (and to any other admin the database holds).
    expect(mails.filter((m) => m.to === a.agent.email)).toHaveLength(2);
    expect(mails.filter((m) => m.to === admin.email)).toHaveLength(2);
    const breach = alertsOf(bus.events, a.t.id).find((e) => e.type === "staff.alerted" && e.kind === "SLA_BREACHED");
    expect(breach).toMatchObject({ userIds: expect.arrayContaining([a.agent.id, admin.id]) });
    expect(breach && "emailIds" in breach ? [...breach.emailIds].sort() : null).toEqual(mails.map((m) => m.id).sort());
  });

  it("a batch of a warning and a breach: each ticket gets its own entries, mails, bells and next timer", async () => {
    const scheduled: Array<[string, Date]> = [];
    const { deps: base, clock, bus } = testDeps();
    const deps = { ...base, queues: { ...base.queues, scheduleSlaTimer: async (id: string, at: Date) => void scheduled.push([id, at]) } };
    const early = await openTicket(deps);
    clock.advance(5 * 3600_000); // the second ticket opened later: its warning falls when the first's breach does
    const late = await openTicket(deps);
    const w = await slaOf(late.t.id);
    clock.set(w.firstResponseWarnAt!);
    const first = await slaOf(early.t.id);
    expect(first.firstResponseDueAt!.getTime()).toBeLessThanOrEqual(clock.now().getTime());
    scheduled.length = 0;
    const results = await fireSlaEventsBatch(deps, [early.t.id, late.t.id]);
    expect(kinds(results[0]!)).toEqual(["FIRST_RESPONSE:breach", "RESOLUTION:breach"]);
    expect(kinds(results[1]!)).toEqual(["FIRST_RESPONSE:warning", "RESOLUTION:warning"]);
    expect(await slaEvents(early.t.id)).toEqual(["SLA_FIRST_RESPONSE_BREACHED", "SLA_RESOLUTION_BREACHED"]);
    expect(await slaEvents(late.t.id)).toEqual(["SLA_FIRST_RESPONSE_WARNING", "SLA_RESOLUTION_WARNING"]);
    expect(await db.outboundEmail.count({ where: { ticketId: late.t.id, kind: "sla_breached" } })).toBe(0);
    expect(await db.outboundEmail.count({ where: { ticketId: early.t.id, kind: "sla_breached" } })).toBeGreaterThanOrEqual(1);
    expect((await db.notification.findMany({ where: { ticketId: late.t.id } })).map((n) => [n.userId, n.kind])).toEqual([[late.agent.id, "SLA_WARNING"]]);
    expect(alertsOf(bus.events, late.t.id)).toEqual([{ type: "staff.alerted", kind: "SLA_WARNING", ticketId: late.t.id, number: late.t.number, userIds: [late.agent.id], emailIds: [] }]);
    const after = await Promise.all([slaOf(early.t.id), slaOf(late.t.id)]);
    // Each ticket's next timer, at its own next event: the breached one has none left.
    expect(after[0].slaNextAt).toBeNull();
    expect(scheduled).toEqual([[late.t.id, after[1].slaNextAt]]);
  });

  it("a ticket whose fire fails does not lose the others: in preparing it, or in the batch's statement", async () => {
    const { deps, clock } = testDeps();
    const tickets = await Promise.all([0, 1, 2].map(() => openTicket(deps)));
    const [a, b, c] = tickets.map((x) => x.t.id) as [string, string, string];
    clock.set((await slaOf(a)).firstResponseDueAt!);
    const seed = seedSlaSettings("Europe/Madrid", "ES");
    // b cannot be prepared (its policy cannot be read).
    const failing: Deps = { ...deps, sla: { ...fixedSla(seed), forTicket: async (t) => ((t as typeof t & { id?: string }).id === b ? Promise.reject(new Error("policy unreadable")) : seed) } };
    const results = await fireSlaEventsBatch(failing, [a, b, c]);
    expect(kinds(results[0]!)).toEqual(["FIRST_RESPONSE:breach", "RESOLUTION:breach"]);
    expect(kinds(results[1]!)).toEqual("failed: Error: policy unreadable");
    expect(kinds(results[2]!)).toEqual(["FIRST_RESPONSE:breach", "RESOLUTION:breach"]);
    expect(await slaEvents(b)).toEqual([]);
    // Still due: its timer's retry (or the sweep) fires it.
    expect((await slaOf(b)).slaNextAt!.getTime()).toBeLessThanOrEqual(clock.now().getTime());

    // Now b's row makes the batch's statement itself fail (a database error on its history entry):
    // the batch is fired again ticket by ticket, and only b fails.
    const d = (await openTicket(deps)).t.id;
    clock.set(new Date((await slaOf(d)).firstResponseDueAt!.getTime() + MIN));
    const fn = `test_fail_${b.replace(/[^a-z0-9]/g, "")}`;
    const pool = sqlOf(db);
    await pool.query(`CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'history refused'; END $$`);
    await pool.query(`CREATE TRIGGER ${fn} BEFORE INSERT ON "TicketEvent" FOR EACH ROW WHEN (NEW."ticketId" = '${b}') EXECUTE FUNCTION ${fn}()`);
    try {
      const again = await fireSlaEventsBatch(deps, [b, d]);
      expect(kinds(again[0]!)).toMatch(/failed: .*history refused/);
      expect(kinds(again[1]!)).toEqual(["FIRST_RESPONSE:breach", "RESOLUTION:breach"]);
      expect(await slaEvents(b)).toEqual([]);
      expect((await slaOf(b)).firstResponseBreachedAt).toBeNull(); // all or nothing per ticket
      expect(await db.outboundEmail.count({ where: { ticketId: b, kind: "sla_breached" } })).toBe(0);
      expect(await slaEvents(d)).toEqual(["SLA_FIRST_RESPONSE_BREACHED", "SLA_RESOLUTION_BREACHED"]);
    } finally {
      await pool.query(`DROP TRIGGER ${fn} ON "TicketEvent"; DROP FUNCTION ${fn}()`);
    }
    // Its retry, the cause gone, applies it once.
    expect(kinds((await fireSlaEventsBatch(deps, [b]))[0]!)).toEqual(["FIRST_RESPONSE:breach", "RESOLUTION:breach"]);
    expect(await slaEvents(b)).toEqual(["SLA_FIRST_RESPONSE_BREACHED", "SLA_RESOLUTION_BREACHED"]);
  });

  it("a batch fired twice (one after the other, or both at once) records each event once", async () => {
    const { deps, clock } = testDeps();
    const a = await openTicket(deps);
    const b = await openTicket(deps);
    clock.set((await slaOf(a.t.id)).firstResponseDueAt!);
    const both = await Promise.all([fireSlaEventsBatch(deps, [a.t.id, b.t.id]), fireSlaEventsBatch(deps, [b.t.id, a.t.id])]);
    // Of the two fires of each ticket, one applied and the other found nothing.
    const ofA = [kinds(both[0]![0]!), kinds(both[1]![1]!)];
    const ofB = [kinds(both[0]![1]!), kinds(both[1]![0]!)];
    for (const fires of [ofA, ofB]) expect(fires.filter((k) => k.length)).toEqual([["FIRST_RESPONSE:breach", "RESOLUTION:breach"]]);
    const mails = await db.outboundEmail.count({ where: { ticketId: { in: [a.t.id, b.t.id] } } });
    const again = await fireSlaEventsBatch(deps, [a.t.id, b.t.id, a.t.id]);
    expect(again.map(kinds)).toEqual([[], [], []]);
    for (const id of [a.t.id, b.t.id]) expect(await slaEvents(id)).toEqual(["SLA_FIRST_RESPONSE_BREACHED", "SLA_RESOLUTION_BREACHED"]);
    expect(await db.outboundEmail.count({ where: { ticketId: { in: [a.t.id, b.t.id] } } })).toBe(mails);
    expect(await db.notification.count({ where: { ticketId: a.t.id, kind: "SLA_BREACHED", userId: a.agent.id } })).toBe(1);
  });

  it("the batcher: timers started in the same tick share a batch, each resolving with its own ticket's result (an id given twice fires once)", async () => {
    const { deps, clock } = testDeps();
    const tickets = await Promise.all([0, 1, 2, 3].map(() => openTicket(deps)));
    clock.set((await slaOf(tickets[0]!.t.id)).firstResponseWarnAt!);
    const pool = sqlOf(db);
    const statements: string[] = [];
    const query = pool.query.bind(pool);
    // Count the statements the batch sends (the read and the write), through the real pool.
    const counting = { ...deps, db: Object.assign(Object.create(db), { [Symbol.for("ventanilla.sqlPool")]: { query: (q: { text: string }, ...rest: unknown[]) => (statements.push(q.text), (query as (...a: unknown[]) => unknown)(q, ...rest)) } }) };
    const timers = slaTimerBatcher(counting, { maxInFlight: 1 });
    const ids = [...tickets.map((x) => x.t.id), tickets[0]!.t.id];
    const results = await Promise.all(ids.map((id) => timers.fire(id)));
    expect(results.map((r) => r.map((f) => f.kind))).toEqual([["warning", "warning"], ["warning", "warning"], ["warning", "warning"], ["warning", "warning"], []]);
    expect(statements.filter((s) => s.includes("FROM \"Ticket\" t LEFT JOIN"))).toHaveLength(1);
    expect(statements.filter((s) => s.includes("INSERT INTO \"TicketEvent\""))).toHaveLength(1);
    for (const x of tickets) expect(await slaEvents(x.t.id)).toEqual(["SLA_FIRST_RESPONSE_WARNING", "SLA_RESOLUTION_WARNING"]);
  });
});
