// Issue 13 items 8-11: SLA warnings (80% of each target) and breaches fire on time by one BullMQ
// delayed job per ticket; firing twice, late or after the due times moved changes nothing wrong; the
// sweep fires what a lost timer (Redis FLUSHALL) would have; a missed target is recorded, mailed to
// the assignee and the admins; a second reopening escalates. The domain runs on a controlled clock;
// the timers on a private Redis with short real delays.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "~/env";
import { systemClock } from "~/server/clock";
import type { Deps } from "~/server/modules/deps";
import type { DomainEvent } from "~/server/modules/events";
import { dueSlaTickets, fireDueSlaEvents, fireSlaEvents } from "~/server/modules/sla/timers";
import { seedSlaSettings } from "~/server/modules/sla/seed-calendar";
import { silentLogger } from "~/server/observability/logger";
import type { Priority } from "~/shared/enums";
import { callerFor, db, makeUser, testDeps } from "./support/fixtures";
import { startPrivateRedis, type PrivateRedis } from "./support/private-redis";
import { eventually } from "./support/wait";
import { createWorkerDeps } from "../workers/bootstrap";
import { keepSlaSweepScheduled, startSlaWorker } from "../workers/sla";

const H = 3600_000;
const MIN = 60_000;

async function openTicket(deps: Deps, priority: Priority = "HIGH") {
  const agent = await makeUser("AGENT");
  const admin = await makeUser("ADMIN", { locale: "en" });
  const customer = await makeUser();
  const asCustomer = await callerFor(deps, customer.id);
  const asAgent = await callerFor(deps, agent.id);
  const t = await asCustomer.ticket.create({ subject: "Plazos", description: "x", priority });
  await asAgent.ticket.assign({ ticketId: t.id, assigneeId: agent.id });
  return { t, agent, admin, customer, asCustomer, asAgent };
}

const slaOf = (id: string) =>
  db.ticket.findUniqueOrThrow({
    where: { id },
    select: {
      firstResponseWarnAt: true,
      firstResponseDueAt: true,
      firstResponseWarnedAt: true,
      firstResponseBreachedAt: true,
      resolutionWarnAt: true,
      resolutionDueAt: true,
      resolutionWarnedAt: true,
      resolutionBreachedAt: true,
      slaNextAt: true,
      slaPausedAt: true,
    },
  });

const slaEvents = (ticketId: string) =>
  db.ticketEvent.findMany({ where: { ticketId, type: { in: [...SLA_EVENT_TYPES] } }, orderBy: [{ createdAt: "asc" }, { type: "asc" }], select: { type: true, actorId: true } });

const SLA_EVENT_TYPES = ["SLA_FIRST_RESPONSE_WARNING", "SLA_FIRST_RESPONSE_BREACHED", "SLA_RESOLUTION_WARNING", "SLA_RESOLUTION_BREACHED"] as const;
const alerts = (events: DomainEvent[], ticketId: string) => events.filter((e) => e.type === "staff.alerted" && e.ticketId === ticketId);

describe("SLA warnings and breaches (controlled clock)", () => {
  it("warns at 80% of each target, then records the breach at its due time; each once, whatever fires again", async () => {
    const { deps, clock, bus } = testDeps();
    const { t, agent, admin } = await openTicket(deps);
    const opened = await slaOf(t.id);
    // Monday 11:00 in Madrid + 19 h 12 min of open time = Wednesday 12:12 (11:12 UTC); due Wednesday 17:00.
    expect(opened.firstResponseWarnAt).toEqual(new Date("2026-03-04T11:12:00Z"));
    expect(opened.firstResponseDueAt).toEqual(new Date("2026-03-04T16:00:00Z"));
    expect(opened.slaNextAt).toEqual(opened.firstResponseWarnAt);

    clock.set(new Date(opened.firstResponseWarnAt!.getTime() - MIN));
    expect(await fireSlaEvents(deps, t.id)).toEqual([]);

    clock.set(opened.firstResponseWarnAt!);
    const warned = await fireSlaEvents(deps, t.id);
    expect(warned.map((f) => `${f.target}:${f.kind}`)).toEqual(["FIRST_RESPONSE:warning", "RESOLUTION:warning"]);
    expect(await fireSlaEvents(deps, t.id)).toEqual([]);
    const afterWarning = await slaOf(t.id);
    expect(afterWarning).toMatchObject({ firstResponseWarnedAt: clock.now(), resolutionWarnedAt: clock.now(), firstResponseBreachedAt: null, slaNextAt: opened.firstResponseDueAt });
    expect(alerts(bus.events, t.id)).toEqual([{ type: "staff.alerted", kind: "SLA_WARNING", ticketId: t.id, number: t.number, userIds: [agent.id], emailIds: [] }]);
    expect(await db.outboundEmail.count({ where: { ticketId: t.id, kind: "sla_breached" } })).toBe(0);

    clock.set(new Date(opened.firstResponseDueAt!.getTime() + 5 * MIN)); // a timer late by 5 minutes
    const breached = await fireSlaEvents(deps, t.id);
    expect(breached.map((f) => `${f.target}:${f.kind}`)).toEqual(["FIRST_RESPONSE:breach", "RESOLUTION:breach"]);
    const after = await slaOf(t.id);
    // The outcome is the due time missed, not when the timer happened to run.
    expect(after).toMatchObject({ firstResponseBreachedAt: opened.firstResponseDueAt, resolutionBreachedAt: opened.resolutionDueAt, slaNextAt: null });
    expect(await fireSlaEvents(deps, t.id)).toEqual([]);
    expect(await dueSlaTickets(deps, 100_000)).not.toContain(t.id);

    expect((await slaEvents(t.id)).map((e) => e.type)).toEqual([
      "SLA_FIRST_RESPONSE_WARNING",
      "SLA_RESOLUTION_WARNING",
      "SLA_FIRST_RESPONSE_BREACHED",
      "SLA_RESOLUTION_BREACHED",
    ]);
    const mails = await db.outboundEmail.findMany({ where: { ticketId: t.id, kind: "sla_breached" } });
    // One mail per target to the assignee and to each admin (ours reads English).
    expect(mails.filter((m) => m.to === agent.email).map((m) => m.subject).sort()).toEqual([
      `[#${t.number}] SLA incumplido: primera respuesta`,
      `[#${t.number}] SLA incumplido: resolución`,
    ]);
    const toAdmin = mails.filter((m) => m.to === admin.email).map((m) => m.subject).sort();
    expect(toAdmin).toEqual([`[#${t.number}] SLA missed: first response`, `[#${t.number}] SLA missed: resolution`]);
    expect(mails.find((m) => m.to === admin.email)!.text).toContain(`Assigned to: ${agent.name}`);
    const breachAlert = alerts(bus.events, t.id).find((e) => e.type === "staff.alerted" && e.kind === "SLA_BREACHED");
    expect(breachAlert).toMatchObject({ userIds: expect.arrayContaining([agent.id, admin.id]), emailIds: expect.arrayContaining(mails.map((m) => m.id)) });
    // In the bell: the assignee's warning and breach, the admin's breach.
    const bell = await db.notification.findMany({ where: { ticketId: t.id }, select: { userId: true, kind: true } });
    expect(bell.filter((n) => n.userId === agent.id).map((n) => n.kind).sort()).toEqual(["SLA_BREACHED", "SLA_WARNING"]);
    expect(bell.filter((n) => n.userId === admin.id).map((n) => n.kind)).toEqual(["SLA_BREACHED"]);
  });

  it("a breach tells no deactivated person: the deactivated assignee is only named, a deactivated admin gets nothing", async () => {
    const { deps, clock, bus } = testDeps();
    const { t, agent, admin } = await openTicket(deps);
    const gone = await makeUser("ADMIN");
    await db.user.updateMany({ where: { id: { in: [agent.id, gone.id] } }, data: { deactivatedAt: clock.now() } });
    clock.set(new Date((await slaOf(t.id)).resolutionDueAt!.getTime() + MIN));
    expect((await fireSlaEvents(deps, t.id)).map((f) => f.kind)).toEqual(["breach", "breach"]);
    const mails = await db.outboundEmail.findMany({ where: { ticketId: t.id, kind: "sla_breached" } });
    expect(mails.map((m) => m.to)).not.toContain(agent.email);
    expect(mails.map((m) => m.to)).not.toContain(gone.email);
    expect(mails.filter((m) => m.to === admin.email)).toHaveLength(2);
    expect(mails.find((m) => m.to === admin.email)!.text).toContain(`Assigned to: ${agent.name}`);
    const breachAlert = alerts(bus.events, t.id).find((e) => e.type === "staff.alerted" && e.kind === "SLA_BREACHED");
    expect(breachAlert).toMatchObject({ userIds: expect.not.arrayContaining([agent.id, gone.id]) });
  });

  it("two timers firing at the same instant apply the event once", async () => {
    const { deps, clock } = testDeps();
    const { t } = await openTicket(deps);
    clock.set((await slaOf(t.id)).firstResponseDueAt!);
    const both = await Promise.all([fireSlaEvents(deps, t.id), fireSlaEvents(deps, t.id), fireSlaEvents(deps, t.id)]);
    expect(both.map((f) => f.length).sort()).toEqual([0, 0, 2]);
    expect((await slaEvents(t.id)).map((e) => e.type)).toEqual(["SLA_FIRST_RESPONSE_BREACHED", "SLA_RESOLUTION_BREACHED"]);
    expect(await db.outboundEmail.count({ where: { ticketId: t.id, kind: "sla_breached" } })).toBeGreaterThanOrEqual(2);
    const before = await db.outboundEmail.count({ where: { ticketId: t.id } });
    await fireSlaEvents(deps, t.id);
    expect(await db.outboundEmail.count({ where: { ticketId: t.id } })).toBe(before);
  });

  it("customers never see the SLA's entries in the history", async () => {
    const { deps, clock } = testDeps();
    const { t, asCustomer, asAgent } = await openTicket(deps);
    clock.set((await slaOf(t.id)).firstResponseDueAt!);
    await fireSlaEvents(deps, t.id);
    expect((await asAgent.ticket.get({ number: t.number })).events.map((e) => e.type)).toContain("SLA_FIRST_RESPONSE_BREACHED");
    expect((await asCustomer.ticket.get({ number: t.number })).events.map((e) => e.type)).not.toContain("SLA_FIRST_RESPONSE_BREACHED");
  });

  it("a target completed late with no timer fired is missed all the same; one completed in time is met", async () => {
    const { deps, clock } = testDeps();
    const { t, asAgent } = await openTicket(deps, "MEDIUM");
    const opened = await slaOf(t.id);
    clock.set(new Date(opened.firstResponseDueAt!.getTime() + MIN));
    await asAgent.ticket.reply({ ticketId: t.id, body: "Perdón por la demora" });
    clock.set(new Date(opened.resolutionDueAt!.getTime() - MIN));
    await asAgent.ticket.setStatus({ ticketId: t.id, status: "RESOLVED" });
    const after = await slaOf(t.id);
    expect(after.firstResponseBreachedAt).toEqual(opened.firstResponseDueAt);
    expect(after.resolutionBreachedAt).toBeNull(); // met: resolved before its due time
    expect(after.slaNextAt).toBeNull();
    expect(await fireSlaEvents(deps, t.id)).toEqual([]);
  });

  it("waiting on the customer stops the timers; the reply moves warnings and due times by the wait", async () => {
    const { deps, clock } = testDeps();
    const { t, asAgent, asCustomer } = await openTicket(deps, "MEDIUM");
    const opened = await slaOf(t.id);
    await asAgent.ticket.setStatus({ ticketId: t.id, status: "WAITING_ON_CUSTOMER" });
    expect((await slaOf(t.id)).slaNextAt).toBeNull();
    clock.set(opened.resolutionDueAt!);
    expect(await fireSlaEvents(deps, t.id)).toEqual([]);
    expect(await dueSlaTickets(deps, 10_000)).not.toContain(t.id);

    clock.set(new Date("2026-03-16T08:00:00Z")); // Monday 09:00 in Madrid, 2 weeks later
    await asCustomer.ticket.reply({ ticketId: t.id, body: "Aquí está" });
    const resumed = await slaOf(t.id);
    // The ticket waited from Monday 11:00 with its whole time left: 19 h 12 min counted again from
    // Monday 09:00 (8 h), Tuesday (9 h), Wednesday 08:00 + 2 h 12 min.
    expect(resumed.firstResponseWarnAt).toEqual(new Date("2026-03-18T09:12:00Z"));
    expect(resumed.resolutionWarnAt!.getTime()).toBeGreaterThan(clock.now().getTime());
    expect(resumed.slaNextAt).toEqual(resumed.firstResponseWarnAt);
  });

  it("a timer whose due times moved finds nothing to do; the priority change moves the warning too", async () => {
    const { deps, clock } = testDeps();
    const { t, asAgent } = await openTicket(deps, "HIGH");
    await asAgent.ticket.reply({ ticketId: t.id, body: "Recibido" });
    const high = await slaOf(t.id);
    expect(high.slaNextAt).toEqual(high.resolutionWarnAt);
    await asAgent.ticket.updateDetails({ ticketId: t.id, priority: "LOW" });
    const low = await slaOf(t.id);
    expect(low.resolutionWarnAt!.getTime()).toBeGreaterThan(high.resolutionWarnAt!.getTime());
    expect(low.slaNextAt).toEqual(low.resolutionWarnAt);
    clock.set(high.resolutionDueAt!); // the HIGH timer fires
    expect(await fireSlaEvents(deps, t.id)).toEqual([]);
    expect(await slaEvents(t.id)).toEqual([]);
  });

  it("the reconciler fires every ticket whose events are due, soonest first, with no timer at all", async () => {
    const { deps, clock } = testDeps();
    const a = await openTicket(deps, "HIGH");
    const b = await openTicket(deps, "LOW");
    clock.set((await slaOf(a.t.id)).firstResponseDueAt!);
    const due = await dueSlaTickets(deps, 100_000);
    expect(due).toContain(a.t.id);
    expect(due).toContain(b.t.id); // its first response is due too
    await fireDueSlaEvents(deps, { batch: 100_000 });
    expect((await slaOf(a.t.id)).resolutionBreachedAt).not.toBeNull();
    expect((await slaOf(b.t.id)).firstResponseBreachedAt).not.toBeNull();
    expect((await slaOf(b.t.id)).resolutionBreachedAt).toBeNull();
    expect(await dueSlaTickets(deps, 100_000)).not.toContain(a.t.id);
  });

  it("every change of the due times schedules the ticket's next timer", async () => {
    const scheduled: Array<[string, Date]> = [];
    const { deps, clock } = testDeps();
    const withTimers = { ...deps, queues: { ...deps.queues, scheduleSlaTimer: async (id: string, at: Date) => void scheduled.push([id, at]) } };
    const { t, asAgent, asCustomer } = await openTicket(withTimers, "MEDIUM");
    expect(scheduled).toEqual([[t.id, (await slaOf(t.id)).firstResponseWarnAt]]);
    await asAgent.ticket.setStatus({ ticketId: t.id, status: "WAITING_ON_CUSTOMER" });
    clock.advance(H);
    await asCustomer.ticket.reply({ ticketId: t.id, body: "Hola" });
    expect(scheduled.at(-1)).toEqual([t.id, (await slaOf(t.id)).firstResponseWarnAt]);
    await asAgent.ticket.updateDetails({ ticketId: t.id, priority: "HIGH" });
    expect(scheduled.at(-1)).toEqual([t.id, (await slaOf(t.id)).slaNextAt]);
  });
});

describe("reopening twice escalates to the admins (seed 000: gestión superior)", () => {
  it("the second reopening records ESCALATED once, mails the admins and alerts them", async () => {
    const { deps, clock, bus } = testDeps();
    const { t, admin, asAgent, asCustomer } = await openTicket(deps);
    await asAgent.ticket.setStatus({ ticketId: t.id, status: "RESOLVED" });
    clock.advance(H);
    await asCustomer.ticket.reply({ ticketId: t.id, body: "Sigue fallando" });
    expect(await db.ticketEvent.count({ where: { ticketId: t.id, type: "ESCALATED" } })).toBe(0);

    await asAgent.ticket.setStatus({ ticketId: t.id, status: "RESOLVED" });
    clock.advance(H);
    await asCustomer.ticket.reply({ ticketId: t.id, body: "Otra vez" });
    const escalated = await db.ticketEvent.findMany({ where: { ticketId: t.id, type: "ESCALATED" } });
    expect(escalated).toHaveLength(1);
    expect(escalated[0]!.actorId).toBeNull();
    const mail = await db.outboundEmail.findFirstOrThrow({ where: { ticketId: t.id, kind: "escalated", to: admin.email } });
    expect(mail.subject).toBe(`[#${t.number}] Escalated: reopened a second time`);
    expect(await db.notification.count({ where: { ticketId: t.id, userId: admin.id, kind: "ESCALATED" } })).toBe(1);
    expect(alerts(bus.events, t.id).filter((e) => e.type === "staff.alerted" && e.kind === "ESCALATED")).toEqual([
      expect.objectContaining({ userIds: expect.arrayContaining([admin.id]), emailIds: expect.arrayContaining([mail.id]) }),
    ]);

    // A third reopening (here by an agent) does not escalate again.
    await asAgent.ticket.setStatus({ ticketId: t.id, status: "RESOLVED" });
    await asAgent.ticket.setStatus({ ticketId: t.id, status: "OPEN" });
    expect(await db.ticketEvent.count({ where: { ticketId: t.id, type: "ESCALATED" } })).toBe(1);
  });

  it("answering a ticket waiting on the customer is not a reopening", async () => {
    const { deps } = testDeps();
    const { t, asAgent, asCustomer } = await openTicket(deps);
    for (let i = 0; i < 3; i++) {
      await asAgent.ticket.setStatus({ ticketId: t.id, status: "WAITING_ON_CUSTOMER" });
      await asCustomer.ticket.reply({ ticketId: t.id, body: `Respuesta ${i}` });
    }
    expect(await db.ticketEvent.count({ where: { ticketId: t.id, type: "ESCALATED" } })).toBe(0);
  });
});

describe("SLA timers on a private Redis (short real delays)", () => {
  let redis: PrivateRedis;
  let workers: ReturnType<typeof createWorkerDeps>;
  let worker: ReturnType<typeof startSlaWorker>;
  // Seconds instead of hours, round the clock, on the real clock: warning at 1.6 s, due at 2 s.
  const quick = (): Deps => {
    const seed = seedSlaSettings("Europe/Madrid", "ES");
    const target = { hours: 2 / 3600, businessHours: false };
    const policy = { ...seed.policy, firstResponse: target, resolution: { HIGH: { hours: 1, businessHours: false }, MEDIUM: target, LOW: target } };
    const { deps } = testDeps({ clock: systemClock, sla: { ...seed, policy } });
    return { ...deps, queues: { ...deps.queues, scheduleSlaTimer: workers.deps.queues.scheduleSlaTimer } };
  };

  beforeAll(async () => {
    redis = await startPrivateRedis();
    const privateEnv = { ...env, REDIS_URL: redis.url };
    workers = createWorkerDeps(privateEnv, { db });
    worker = startSlaWorker(privateEnv, quick(), silentLogger);
  });
  afterAll(async () => {
    await worker?.close();
    await workers?.close();
    await redis?.dispose();
  });

  it("the warning and the breach fire by their delayed job, on time", async () => {
    const deps = quick();
    const { t } = await openTicket(deps, "HIGH");
    const opened = await slaOf(t.id);
    const warned = await eventually(async () => (await slaOf(t.id)).firstResponseWarnedAt ?? undefined, "the warning timer", 15_000);
    const breached = await eventually(async () => ((await slaOf(t.id)).firstResponseBreachedAt ? new Date() : undefined), "the breach timer", 15_000);
    expect(warned.getTime()).toBeGreaterThanOrEqual(opened.firstResponseWarnAt!.getTime());
    expect(warned.getTime() - opened.firstResponseWarnAt!.getTime()).toBeLessThan(1000);
    expect(breached.getTime()).toBeGreaterThanOrEqual(opened.firstResponseDueAt!.getTime());
    expect((await slaEvents(t.id)).map((e) => e.type)).toEqual(["SLA_FIRST_RESPONSE_WARNING", "SLA_FIRST_RESPONSE_BREACHED"]);
    // The resolution (1 h) is next: its timer replaced the fired one.
    expect((await slaOf(t.id)).slaNextAt).toEqual(opened.resolutionWarnAt);
    const next = async () => (await workers.queues.sla.getDelayed()).filter((j) => j.data.kind === "sla" && j.data.ticketId === t.id);
    const pending = await eventually(async () => ((await next()).length ? next() : undefined), "the next timer", 5000);
    expect(pending).toHaveLength(1);
    expect(pending[0]!.timestamp + pending[0]!.delay).toBeCloseTo(opened.resolutionWarnAt!.getTime(), -3);
  });

  it("a timer that fires twice, or again later, changes nothing", async () => {
    const deps = quick();
    const { t } = await openTicket(deps, "MEDIUM");
    await eventually(async () => ((await slaOf(t.id)).resolutionBreachedAt ? true : undefined), "the breach timer", 15_000);
    const before = await slaOf(t.id);
    const jobs = await Promise.all([1, 2].map((n) => workers.queues.sla.add("sla", { kind: "sla", ticketId: t.id }, { jobId: `again-${n}-${t.id}` })));
    await eventually(async () => ((await Promise.all(jobs.map((j) => j.isCompleted()))).every(Boolean) ? true : undefined), "the extra jobs", 15_000);
    expect(await slaOf(t.id)).toEqual(before);
    expect(await db.ticketEvent.count({ where: { ticketId: t.id, type: "SLA_RESOLUTION_BREACHED" } })).toBe(1);
  });

  it("after FLUSHALL the sweep (scheduled again by the workers) still fires what the lost timer would have", async () => {
    const deps = quick();
    const { t } = await openTicket(deps, "MEDIUM");
    const flush = new (await import("ioredis")).Redis(redis.url);
    await flush.flushall();
    flush.disconnect();
    await new Promise((r) => setTimeout(r, 2100)); // past the due time: the timers are gone
    expect((await slaOf(t.id)).firstResponseWarnedAt).toBeNull();
    const keeper = keepSlaSweepScheduled(workers.queues.sla, silentLogger, 500);
    try {
      await keeper.ready;
      // The sweep first fires every older due ticket of the test database (100 a statement): on a
      // loaded machine that took more than 15 s once.
      await eventually(async () => ((await slaOf(t.id)).resolutionBreachedAt ? true : undefined), "the sweep to fire the breach", 30_000);
      expect((await slaEvents(t.id)).map((e) => e.type).sort()).toEqual(["SLA_FIRST_RESPONSE_BREACHED", "SLA_RESOLUTION_BREACHED"]);
    } finally {
      keeper.stop();
      await workers.queues.sla.removeJobScheduler("sla-sweep");
    }
  }, 60_000);
});
