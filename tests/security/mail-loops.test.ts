// Mail-loop windows on outgoing mail (issue 11, point 7), end to end: rows in the outbox, jobs on the
// real BullMQ queue, the real notifications worker with an injected clock, nodemailer to a real SMTP
// server in this process. A mail over a window is HELD (never reaches the SMTP server) and raises one
// AdminAlert per subject; an admin releases it through the real tRPC router. Plus the start-up check
// of Redis's maxmemory-policy against a private redis-server.
import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "~/env";
import { fixedClock } from "~/server/clock";
import { emailEnqueuer, emailRequeuer, type NotificationJob } from "~/server/adapters/bullmq/notifications-queue";
import { evictionWarning, warnUnlessNoEviction } from "~/server/redis-policy";
import { createWorkerDeps } from "../../workers/bootstrap";
import { startNotificationsWorker } from "../../workers/notifications";
import { startCaptureSmtp } from "../support/capture-smtp";
import { callerFor, db, makeUser, testDeps } from "../support/fixtures";
import { startPrivateRedis, type PrivateRedis } from "../support/private-redis";
import { waitUntil, withTimeout } from "../support/wait";
import { silentLogger } from "~/server/observability/logger";

const MINUTE = 60_000;
const signal = new EventEmitter();
/** Message-IDs the SMTP server accepted, in order (one entry per delivery). */
const delivered: string[] = [];
const outcomes = new Map<string, unknown[]>();

let smtp: Awaited<ReturnType<typeof startCaptureSmtp>> | undefined;
let workers: ReturnType<typeof createWorkerDeps>;
let notifications: ReturnType<typeof startNotificationsWorker>;
// The worker's clock, moved by hand; rows are staged at its time (as the mail path stamps them).
const clock = fixedClock(new Date("2026-03-02T10:00:00Z"));

async function startSmtp(): Promise<number> {
  smtp = await startCaptureSmtp((mail) => {
    delivered.push(mail.messageId ?? "");
  }, () => signal.emit("smtp"));
  return smtp.port;
}

beforeAll(async () => {
  const port = await startSmtp();
  // The defaults of src/env.ts: 10 per ticket and 30 per address in 10 minutes.
  expect([env.MAIL_LOOP_TICKET_MAX, env.MAIL_LOOP_TICKET_MINUTES, env.MAIL_LOOP_RECIPIENT_MAX, env.MAIL_LOOP_RECIPIENT_MINUTES]).toEqual([10, 10, 30, 10]);
  const smtpEnv = { ...env, SMTP_URL: `smtp://127.0.0.1:${port}` };
  workers = createWorkerDeps(smtpEnv, { db, clock });
  notifications = startNotificationsWorker(smtpEnv, workers.deps, silentLogger);
  notifications.worker.on("completed", (job, value) => {
    const data = job.data as NotificationJob;
    if (data.kind === "send-email") outcomes.set(data.emailId, [...(outcomes.get(data.emailId) ?? []), value]);
    signal.emit("job");
  });
  await withTimeout(notifications.worker.waitUntilReady(), "the notifications worker to connect");
});

afterAll(async () => {
  await notifications?.close();
  await workers?.close();
  await smtp?.close();
});

const tag = () => randomUUID().slice(0, 8);

async function makeTicket(requesterId: string) {
  const t = tag();
  return db.ticket.create({ data: { subject: `Bucle ${t}`, channel: "EMAIL", requesterId, trackingId: `TRK-${t}`, replyToken: `tok${t}${tag()}` } });
}

/** A staged outbox row, as the domain writes them (QUEUED, not yet on the queue), stamped by the clock. */
async function stage(ticketId: string | null, to: string): Promise<{ id: string; messageId: string }> {
  const t = `${tag()}${tag()}`;
  return db.outboundEmail.create({
    data: {
      dedupeKey: `loop-test:${t}`, ticketId, kind: "agent_reply", to, subject: `Re: ${t}`, text: "cuerpo", html: "<p>cuerpo</p>",
      messageId: `<loop-${t}@ventanilla.test>`, createdAt: clock.now(),
    },
    select: { id: true, messageId: true },
  });
}

/** Enqueues the mail on the real queue and waits for its job's result ("sent", "held" or "skipped"). */
async function send(emailId: string, enqueue = workers.deps.queues.enqueueEmails): Promise<unknown> {
  const before = outcomes.get(emailId)?.length ?? 0;
  await enqueue([emailId]);
  const all = await waitUntil(signal, "job", () => ((outcomes.get(emailId)?.length ?? 0) > before ? outcomes.get(emailId) : undefined), `the send job of ${emailId}`);
  return all[before];
}

async function sendAll(ticketId: string | null, to: string, n: number) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const { id } = await stage(ticketId, to);
    expect(await send(id)).toBe("sent");
    ids.push(id);
  }
  return ids;
}

const deliveredCount = (messageId: string) => delivered.filter((m) => m === messageId).length;
const openAlerts = (dedupeKey: string) => db.adminAlert.findMany({ where: { dedupeKey, resolvedAt: null } });

async function adminCaller() {
  const { deps } = testDeps();
  return callerFor(deps, (await makeUser("ADMIN")).id, { queues: { requeueEmail: emailRequeuer(workers.queues.notifications) } });
}

describe("mail-loop windows on outgoing mail", () => {
  it("holds the 11th mail to one ticket within 10 minutes, raises an AdminAlert, and never hands it to the SMTP server", async () => {
    const customer = await makeUser();
    const ticket = await makeTicket(customer.id);
    const sent = await sendAll(ticket.id, customer.email, 10);
    expect(sent).toHaveLength(10);

    const eleventh = await stage(ticket.id, customer.email);
    expect(await send(eleventh.id)).toBe("held");
    const row = await db.outboundEmail.findUniqueOrThrow({ where: { id: eleventh.id } });
    expect(row).toMatchObject({ status: "HELD", heldReason: "mail-loop:ticket", sentAt: null, attempts: 0 });

    const alerts = await openAlerts(`mail-loop:ticket:${ticket.id}`);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: "mail-loop", params: { scope: "ticket", ticketId: ticket.id, number: ticket.number, max: 10, minutes: 10, held: 1 } });

    // Every earlier mail went out; this one never reached the server (a later mail did, so the server was listening).
    const later = await stage(null, `otra-${tag()}@example.test`);
    expect(await send(later.id)).toBe("sent");
    await waitUntil(signal, "smtp", () => (deliveredCount(later.messageId) ? true : undefined), "a later mail to arrive");
    expect(deliveredCount(row.messageId)).toBe(0);
    // Enqueued again (the reconciler, a retry): still held, still not sent.
    await workers.queues.notifications.remove(`email-${eleventh.id}`);
    expect(await send(eleventh.id)).toBe("skipped");
    expect(deliveredCount(row.messageId)).toBe(0);
  });

  it("holds the 31st mail to one address across tickets within 10 minutes", async () => {
    const customer = await makeUser();
    // 10 + 10 + 10 on three tickets (each within its own window), then one on a fourth ticket.
    for (let i = 0; i < 3; i++) await sendAll((await makeTicket(customer.id)).id, customer.email, 10);
    const fourth = await makeTicket(customer.id);
    const mail = await stage(fourth.id, customer.email);
    expect(await send(mail.id)).toBe("held");
    expect(await db.outboundEmail.findUniqueOrThrow({ where: { id: mail.id } })).toMatchObject({ status: "HELD", heldReason: "mail-loop:to" });
    expect(deliveredCount(mail.messageId)).toBe(0);
    const alerts = await openAlerts(`mail-loop:to:${customer.email.toLowerCase()}`);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.params).toMatchObject({ scope: "to", to: customer.email, max: 30, minutes: 10, held: 1 });
    // Mail without a ticket (an invitation) counts against the address too.
    const invitation = await stage(null, customer.email);
    expect(await send(invitation.id)).toBe("held");
  });

  it("does not count mail sent before the window (the injected clock moves, nothing sleeps)", async () => {
    const customer = await makeUser();
    const ticket = await makeTicket(customer.id);
    await sendAll(ticket.id, customer.email, 10);
    clock.advance(9 * MINUTE);
    const inside = await stage(ticket.id, customer.email);
    expect(await send(inside.id)).toBe("held");
    clock.advance(MINUTE + 1000);
    // The ten sent at the start are now 10 min 1 s old: out of the window.
    const after = await stage(ticket.id, customer.email);
    expect(await send(after.id)).toBe("sent");
    await waitUntil(signal, "smtp", () => (deliveredCount(after.messageId) ? true : undefined), "the mail after the window");
    expect(deliveredCount(inside.messageId)).toBe(0);
  });

  it("concurrent sends overrun a window by less than the worker's concurrency", async () => {
    const customer = await makeUser();
    const ticket = await makeTicket(customer.id);
    const ids = await Promise.all(Array.from({ length: 24 }, () => stage(ticket.id, customer.email).then((m) => m.id)));
    // All at once: the worker runs 8 jobs at a time (workers/notifications.ts).
    await emailEnqueuer(workers.queues.notifications)(ids);
    const results = await waitUntil(signal, "job", () => (ids.every((id) => outcomes.has(id)) ? ids.map((id) => outcomes.get(id)![0]) : undefined), "24 send jobs", 20_000);
    const sent = results.filter((r) => r === "sent").length;
    expect(sent).toBeGreaterThanOrEqual(10);
    expect(sent).toBeLessThan(10 + 8);
    expect(results.filter((r) => r === "held").length).toBe(24 - sent);
    expect(await openAlerts(`mail-loop:ticket:${ticket.id}`)).toHaveLength(1);
  });

  it("a storm of held mail keeps one open alert per subject; a dismissed alert lets a later loop open a new one", async () => {
    const customer = await makeUser();
    const ticket = await makeTicket(customer.id);
    await sendAll(ticket.id, customer.email, 10);
    for (let i = 0; i < 3; i++) expect(await send((await stage(ticket.id, customer.email)).id)).toBe("held");
    const key = `mail-loop:ticket:${ticket.id}`;
    const [alert] = await openAlerts(key);
    expect(await db.adminAlert.count({ where: { dedupeKey: key } })).toBe(1);
    expect(alert!.params).toMatchObject({ held: 3 });

    const admin = await adminCaller();
    const listed = await admin.admin.mailLoops();
    expect(listed.alerts.find((a) => a.id === alert!.id)).toMatchObject({ scope: "ticket", number: ticket.number, held: 3, max: 10, minutes: 10 });
    expect(await admin.admin.dismissAlert({ id: alert!.id })).toEqual({ dismissed: true });
    expect(await admin.admin.dismissAlert({ id: alert!.id })).toEqual({ dismissed: false });
    expect((await admin.admin.mailLoops()).alerts.find((a) => a.id === alert!.id)).toBeUndefined();
    expect(await db.adminAlert.findUniqueOrThrow({ where: { id: alert!.id } })).toMatchObject({ dedupeKey: null });
    expect(await openAlerts(key)).toHaveLength(0);

    // Still in the window: the next mail is held and opens a fresh alert.
    expect(await send((await stage(ticket.id, customer.email)).id)).toBe("held");
    const reopened = await openAlerts(key);
    expect(reopened).toHaveLength(1);
    expect(reopened[0]!.id).not.toBe(alert!.id);
    expect(reopened[0]!.params).toMatchObject({ held: 1 });
  });

  it("an admin's release sends the held mail exactly once, bypassing the window", async () => {
    const customer = await makeUser();
    const ticket = await makeTicket(customer.id);
    await sendAll(ticket.id, customer.email, 10);
    const mail = await stage(ticket.id, customer.email);
    expect(await send(mail.id)).toBe("held");

    const admin = await adminCaller();
    const listed = await admin.admin.mailLoops();
    expect(listed.held.find((m) => m.id === mail.id)).toMatchObject({ to: customer.email, scope: "ticket", ticket: { number: ticket.number } });

    expect(await admin.admin.releaseHeldEmail({ id: mail.id })).toEqual({ released: true });
    await waitUntil(signal, "smtp", () => (deliveredCount(mail.messageId) ? true : undefined), "the released mail");
    await waitUntil(signal, "job", () => (outcomes.get(mail.id)?.includes("sent") ? true : undefined), "the released job");
    expect(await db.outboundEmail.findUniqueOrThrow({ where: { id: mail.id } })).toMatchObject({ status: "SENT", attempts: 1 });

    // A second click, and the queue hearing of it again, send nothing more.
    await expect(admin.admin.releaseHeldEmail({ id: mail.id })).rejects.toMatchObject({ code: "CONFLICT" });
    await workers.queues.notifications.remove(`email-${mail.id}`);
    expect(await send(mail.id)).toBe("skipped");
    expect(deliveredCount(mail.messageId)).toBe(1);
    // The window is still full: the bypass was for that mail only.
    expect(await send((await stage(ticket.id, customer.email)).id)).toBe("held");
  });

  it("only admins see, release or dismiss: an agent gets FORBIDDEN and the mail stays held", async () => {
    const customer = await makeUser();
    const ticket = await makeTicket(customer.id);
    await sendAll(ticket.id, customer.email, 10);
    const mail = await stage(ticket.id, customer.email);
    expect(await send(mail.id)).toBe("held");
    const [alert] = await openAlerts(`mail-loop:ticket:${ticket.id}`);

    const { deps } = testDeps();
    let requeued = 0;
    const services = { requeueEmail: async () => void requeued++ };
    for (const userId of [(await makeUser("AGENT")).id, customer.id]) {
      const caller = await callerFor(deps, userId, { queues: services });
      await expect(caller.admin.releaseHeldEmail({ id: mail.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(caller.admin.dismissAlert({ id: alert!.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(caller.admin.mailLoops()).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    await expect((await callerFor(deps, null, { queues: services })).admin.releaseHeldEmail({ id: mail.id })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect(requeued).toBe(0);
    expect(await db.outboundEmail.findUniqueOrThrow({ where: { id: mail.id } })).toMatchObject({ status: "HELD" });
    expect(await openAlerts(`mail-loop:ticket:${ticket.id}`)).toHaveLength(1);
    expect(deliveredCount(mail.messageId)).toBe(0);
    // Unknown fields are refused (strict input).
    const admin = await adminCaller();
    await expect(admin.admin.releaseHeldEmail({ id: mail.id, force: true } as { id: string })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("Redis maxmemory-policy at start-up", () => {
  let redis: PrivateRedis;
  beforeAll(async () => {
    redis = await startPrivateRedis();
  });
  afterAll(async () => {
    await redis?.dispose();
  });

  const setPolicy = async (policy: string) => {
    const client = new Redis(redis.url, { maxRetriesPerRequest: 0 });
    try {
      await client.config("SET", "maxmemory-policy", policy);
    } finally {
      client.disconnect();
    }
  };

  it("warns with one line naming the policy unless it is noeviction", async () => {
    await setPolicy("allkeys-lru");
    const lines: string[] = [];
    const warning = await warnUnlessNoEviction(redis.url, (l) => lines.push(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(warning);
    expect(lines[0]).toContain('"allkeys-lru"');
    expect(lines[0]).toContain("noeviction");
    expect(lines[0]).not.toContain("\n");

    await setPolicy("volatile-lru");
    lines.length = 0;
    await warnUnlessNoEviction(redis.url, (l) => lines.push(l));
    expect(lines).toEqual([evictionWarning("volatile-lru")]);

    await setPolicy("noeviction");
    lines.length = 0;
    expect(await warnUnlessNoEviction(redis.url, (l) => lines.push(l))).toBeNull();
    expect(lines).toEqual([]);
  });

  it("says nothing, and does not hang, when Redis cannot be reached", async () => {
    await redis.stop();
    const lines: string[] = [];
    expect(await withTimeout(warnUnlessNoEviction(redis.url, (l) => lines.push(l)), "the check to give up", 5000)).toBeNull();
    expect(lines).toEqual([]);
    await redis.start();
  });
});
