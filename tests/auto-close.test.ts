// Issue 13 item 9-10: tickets waiting on the customer with no answer (24 h) and resolved tickets
// (72 h, the reopen window) close by themselves, on time by a BullMQ timer, and the sweep catches
// any timer Redis lost. The domain runs on a controlled clock; the timer test on real Redis.
import { fixedSla } from "~/server/modules/sla/policy";
import { seedSlaSettings } from "~/server/modules/sla/seed-calendar";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "~/env";
import { systemClock } from "~/server/clock";
import { closeDueTickets, closeIfDue } from "~/server/modules/tickets/auto-close";
import { silentLogger } from "~/server/observability/logger";
import { callerFor, db, makeUser, testDeps } from "./support/fixtures";
import { eventually } from "./support/wait";
import { createWorkerDeps } from "../workers/bootstrap";
import { startSlaWorker } from "../workers/sla";

const H = 3600_000;

async function waitingTicket(deps: ReturnType<typeof testDeps>["deps"]) {
  const agent = await makeUser("AGENT");
  const customer = await makeUser();
  const asAgent = await callerFor(deps, agent.id);
  const asCustomer = await callerFor(deps, customer.id);
  const t = await asCustomer.ticket.create({ subject: "Cierre automático", description: "x" });
  await asAgent.ticket.reply({ ticketId: t.id, body: "¿Nos envía una captura?" });
  await asAgent.ticket.setStatus({ ticketId: t.id, status: "WAITING_ON_CUSTOMER" });
  return { t, asAgent, asCustomer };
}

const stateOf = (id: string) => db.ticket.findUniqueOrThrow({ where: { id }, select: { status: true, closedAt: true } });

describe("automatic closing (controlled clock)", () => {
  it("waiting on the customer with no answer for 24 h: closed by the desk, with the reason and a mail; twice changes nothing", async () => {
    const { deps, clock } = testDeps();
    const { t } = await waitingTicket(deps);
    clock.advance(24 * H - 60_000);
    expect(await closeIfDue(deps, t.id)).toBe(false);
    expect((await stateOf(t.id)).status).toBe("WAITING_ON_CUSTOMER");

    clock.advance(60_000);
    expect(await closeIfDue(deps, t.id)).toBe(true);
    expect(await stateOf(t.id)).toEqual({ status: "CLOSED", closedAt: clock.now() });
    const last = await db.ticketEvent.findFirstOrThrow({ where: { ticketId: t.id }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
    expect(last).toMatchObject({ type: "STATUS_CHANGED", fromValue: "WAITING_ON_CUSTOMER", toValue: "CLOSED", actorId: null });
    const note = await db.message.findFirstOrThrow({ where: { ticketId: t.id, authorId: null } });
    expect(note.bodyText).toBe("Cerrado automáticamente: no recibimos su respuesta en 24 horas.");
    const mails = await db.outboundEmail.findMany({ where: { ticketId: t.id, kind: "status_changed" }, orderBy: { createdAt: "asc" } });
    expect(mails.at(-1)!.text).toContain("Cerrado automáticamente");

    expect(await closeIfDue(deps, t.id)).toBe(false);
    expect(await db.ticketEvent.count({ where: { ticketId: t.id, toValue: "CLOSED" } })).toBe(1);
  });

  it("the customer's answer in time stops it: the ticket is back in the queue and the old timer finds nothing to do", async () => {
    const { deps, clock } = testDeps();
    const { t, asCustomer } = await waitingTicket(deps);
    clock.advance(23 * H);
    await asCustomer.ticket.reply({ ticketId: t.id, body: "Adjunto la captura" });
    clock.advance(2 * H);
    expect(await closeIfDue(deps, t.id)).toBe(false);
    expect((await stateOf(t.id)).status).toBe("OPEN");
  });

  it("resolved for the reopen window (72 h): closed; the sweep finds every due ticket without any timer", async () => {
    const { deps, clock } = testDeps();
    const agent = await makeUser("AGENT");
    const asAgent = await callerFor(deps, agent.id);
    const a = await (await callerFor(deps, (await makeUser()).id)).ticket.create({ subject: "Resuelto", description: "x" });
    await asAgent.ticket.setStatus({ ticketId: a.id, status: "RESOLVED" });
    const { t: b } = await waitingTicket(deps);
    clock.advance(24 * H + 1);
    expect(await closeDueTickets(deps)).toBeGreaterThanOrEqual(1);
    expect((await stateOf(b.id)).status).toBe("CLOSED");
    expect((await stateOf(a.id)).status).toBe("RESOLVED");
    clock.advance(48 * H);
    await closeDueTickets(deps);
    expect((await stateOf(a.id)).status).toBe("CLOSED");
    const reason = await db.message.findFirstOrThrow({ where: { ticketId: a.id, authorId: null } });
    expect(reason.bodyText).toBe("Cerrado automáticamente 72 horas después de resolverse.");
  });
});

describe("timers on real Redis", () => {
  let workers: ReturnType<typeof createWorkerDeps>;
  let worker: ReturnType<typeof startSlaWorker>;
  // Seconds instead of a day, so the timer fires while the test waits; the real clock throughout.
  const quick = () => {
    const { deps } = testDeps({ clock: systemClock });
    const seed = seedSlaSettings("Europe/Madrid", "ES");
    const sla = fixedSla({ ...seed, policy: { ...seed.policy, closeWaitingAfterHours: 2 / 3600 } });
    return { ...deps, sla, queues: { ...deps.queues, scheduleAutoClose: workers.deps.queues.scheduleAutoClose } };
  };

  beforeAll(() => {
    workers = createWorkerDeps(env, { db });
    worker = startSlaWorker(env, quick(), silentLogger);
  });
  afterAll(async () => {
    await worker.close();
    await workers.close();
  });

  it("a ticket waiting on the customer closes when its delayed job fires, with no sweep", async () => {
    const deps = quick();
    const { t } = await waitingTicket(deps);
    await eventually(async () => ((await stateOf(t.id)).status === "CLOSED" ? true : undefined), "the timer to close the ticket", 15_000);
    const closedAt = (await stateOf(t.id)).closedAt!;
    const pausedAt = (await db.ticketEvent.findFirstOrThrow({ where: { ticketId: t.id, toValue: "WAITING_ON_CUSTOMER" } })).createdAt;
    expect(closedAt.getTime() - pausedAt.getTime()).toBeGreaterThanOrEqual(2000);
  });

  it("a timer Redis lost (never scheduled here) is closed by the sweep job", async () => {
    const deps = { ...quick(), queues: { ...quick().queues, scheduleAutoClose: async () => {} } };
    const { t } = await waitingTicket(deps);
    await new Promise((r) => setTimeout(r, 2100));
    expect((await stateOf(t.id)).status).toBe("WAITING_ON_CUSTOMER");
    await workers.queues.sla.add("sweep", { kind: "sweep" });
    await eventually(async () => ((await stateOf(t.id)).status === "CLOSED" ? true : undefined), "the sweep to close the ticket", 15_000);
  });
});
