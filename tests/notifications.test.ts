// Outbound mail end to end: the domain stages rows in the outbox, BullMQ carries the jobs, the real
// notifications worker sends them with nodemailer to a real SMTP server (smtp-server) in this process.
import { systemClock } from "~/server/clock";
import { EventEmitter } from "node:events";
import type { ParsedMail } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "~/env";
import { emailEnqueuer, type NotificationJob } from "~/server/adapters/bullmq/notifications-queue";
import { threadMessageId } from "~/server/modules/notifications/outbox";
import { createWorkerDeps } from "../workers/bootstrap";
import { startNotificationsWorker } from "../workers/notifications";
import { startCaptureSmtp } from "./support/capture-smtp";
import { callerFor, db, makeUser, testDeps } from "./support/fixtures";
import { waitUntil, withTimeout } from "./support/wait";
import { lineLogger } from "./support/capture-log";

interface Attempt {
  rcpt: string[];
  messageId: string | undefined;
  at: number;
  accepted: boolean;
}
interface Delivered {
  rcpt: string[];
  mail: ParsedMail;
}
interface JobOutcome {
  id: string;
  /** The email a send-email job was about (matched by data, not by job id, so the id scheme is itself under test). */
  emailId?: string;
  state: "completed" | "failed";
  attemptsMade: number;
  returnvalue?: unknown;
  error?: string;
}

const signal = new EventEmitter();
const attempts: Attempt[] = [];
const delivered: Delivered[] = [];
const jobs: JobOutcome[] = [];
const workerLog: string[] = [];
/** Per recipient: how many deliveries the SMTP server refuses before accepting ("always": never accepts). */
const refusals = new Map<string, number | "always">();

let smtp: Awaited<ReturnType<typeof startCaptureSmtp>> | undefined;
let workers: ReturnType<typeof createWorkerDeps>;
let notifications: ReturnType<typeof startNotificationsWorker>;

function startSmtp(): Promise<number> {
  return startCaptureSmtp((mail, rcpt) => {
    const rule = rcpt.map((a) => refusals.get(a)).find((r) => r !== undefined);
    const refuse = rule === "always" || (typeof rule === "number" && rule > 0);
    if (typeof rule === "number" && rule > 0) refusals.set(rcpt.find((a) => refusals.has(a))!, rule - 1);
    attempts.push({ rcpt, messageId: mail.messageId, at: Date.now(), accepted: !refuse });
    if (refuse) return Object.assign(new Error("Mailbox busy, try again later"), { responseCode: 451 });
    delivered.push({ rcpt, mail });
  }, () => signal.emit("smtp")).then((server) => {
    smtp = server;
    return server.port;
  });
}

const mailWith = (messageId: string) =>
  waitUntil(signal, "smtp", () => delivered.find((d) => d.mail.messageId === messageId), `a delivered mail with Message-ID ${messageId}`);

const jobOutcome = (id: string, match: (j: JobOutcome) => boolean, what: string, timeoutMs = 15_000) =>
  waitUntil(signal, "job", () => jobs.find((j) => j.id === id && match(j)), `${what} (job ${id})`, timeoutMs);
const sendOutcome = (emailId: string, match: (j: JobOutcome) => boolean, what: string, timeoutMs = 15_000) =>
  waitUntil(signal, "job", () => jobs.find((j) => j.emailId === emailId && match(j)), `${what} (email ${emailId})`, timeoutMs);
const completed = (emailId: string) => sendOutcome(emailId, (j) => j.state === "completed", "completion");
const outcomesOf = (emailId: string) => jobs.filter((j) => j.emailId === emailId);

/** Every job on the queue, in any state, that sends this email. */
async function queuedJobsFor(emailId: string) {
  const all = await workers.queues.notifications.getJobs(["wait", "active", "delayed", "prioritized", "paused", "completed", "failed"]);
  return all.filter((j) => j.data.kind === "send-email" && j.data.emailId === emailId);
}

const emailOf = (data: NotificationJob) => (data.kind === "send-email" ? data.emailId : undefined);
const header = (mail: ParsedMail, name: string) => mail.headers.get(name);
const referencesOf = (mail: ParsedMail) => (mail.references === undefined ? [] : [mail.references].flat());

/** A ticket whose mail is staged in the outbox but, with a recording bus, never enqueued. */
async function stagedTicket(customerId: string, subject: string) {
  // Staged now by the real clock: the reconciler's grace period is measured from it.
  const { deps, bus } = testDeps({ clock: systemClock });
  const t = await (await callerFor(deps, customerId)).ticket.create({ subject, description: "cuerpo" });
  const event = bus.events[0];
  if (event?.type !== "ticket.created" || event.emailIds.length !== 1) throw new Error("expected one staged email");
  const emailId = event.emailIds[0]!;
  expect(await db.outboundEmail.findUniqueOrThrow({ where: { id: emailId } })).toMatchObject({ status: "QUEUED", attempts: 0 });
  return { ticket: t, emailId };
}

beforeAll(async () => {
  const port = await startSmtp();
  const smtpEnv = { ...env, SMTP_URL: `smtp://127.0.0.1:${port}` };
  workers = createWorkerDeps(smtpEnv, { db });
  notifications = startNotificationsWorker(smtpEnv, workers.deps, lineLogger((l) => workerLog.push(l)));
  notifications.worker.on("completed", (job, returnvalue) => {
    jobs.push({ id: job.id!, emailId: emailOf(job.data), state: "completed", attemptsMade: job.attemptsMade, returnvalue });
    signal.emit("job");
  });
  notifications.worker.on("failed", (job, err) => {
    if (job) jobs.push({ id: job.id!, emailId: emailOf(job.data), state: "failed", attemptsMade: job.attemptsMade, error: err.message });
    signal.emit("job");
  });
  await withTimeout(notifications.worker.waitUntilReady(), "the notifications worker to connect");
});

afterAll(async () => {
  await notifications?.close();
  await workers?.close();
  await smtp?.close();
});

describe("notifications worker over real SMTP", () => {
  it("mails the requester on ticket creation and on an agent reply, threaded, marked automatic, rows SENT", async () => {
    const customer = await makeUser("CUSTOMER", { name: "Ana Correo" });
    const agent = await makeUser("AGENT", { name: "Luis Agente" });
    // The workers' composition root: its bus enqueues the staged mail on the real BullMQ queue.
    const created = await (await callerFor(workers.deps, customer.id)).ticket.create({ subject: "Factura duplicada", description: "Me cobraron dos veces" });
    await (await callerFor(workers.deps, agent.id)).ticket.reply({ ticketId: created.id, body: "Lo revisamos hoy mismo" });
    await (await callerFor(workers.deps, agent.id)).ticket.reply({ ticketId: created.id, body: "Nota: revisar con banca", internal: true });

    const rows = await db.outboundEmail.findMany({ where: { ticketId: created.id }, orderBy: { createdAt: "asc" } });
    expect(rows.map((r) => r.kind)).toEqual(["ticket_created", "agent_reply"]);
    const [createdRow, replyRow] = rows as [(typeof rows)[0], (typeof rows)[0]];
    const root = threadMessageId(created.id, env.MAIL_FROM_ADDRESS);
    expect(createdRow.messageId).toBe(root);

    const first = await mailWith(createdRow.messageId);
    const second = await mailWith(replyRow.messageId);

    for (const { rcpt, mail } of [first, second]) {
      expect(rcpt).toEqual([customer.email]);
      expect(mail.subject).toContain(`[#${created.number}]`);
      expect(header(mail, "auto-submitted")).toBe("auto-generated");
      expect(header(mail, "x-loop")).toBe(env.MAIL_FROM_ADDRESS);
      expect(mail.html).toBeTruthy();
    }
    // Replies come back to the ticket's own token address; an agent's reply shows "<Agent> vía <Team>".
    const ticketRow = await db.ticket.findUniqueOrThrow({ where: { id: created.id } });
    for (const { mail } of [first, second]) expect(mail.replyTo?.value).toEqual([{ address: `soporte+${ticketRow.replyToken}@ventanilla.test`, name: "" }]);
    expect(first.mail.from?.value).toEqual([{ address: env.MAIL_FROM_ADDRESS, name: env.TEAM_NAME }]);
    expect(second.mail.from?.value).toEqual([{ address: env.MAIL_FROM_ADDRESS, name: `Luis Agente vía ${env.TEAM_NAME}` }]);
    expect(first.mail.subject).toBe(createdRow.subject);
    expect(first.mail.messageId).toBe(createdRow.messageId);
    expect(first.mail.text).toContain(created.trackingId);
    expect(first.mail.text).toContain("Ana Correo");
    // The root of the thread refers to nothing; the reply points at the root.
    expect(first.mail.inReplyTo).toBeUndefined();
    expect(referencesOf(first.mail)).toEqual([]);

    expect(second.mail.subject).toBe(replyRow.subject);
    expect(second.mail.messageId).toBe(replyRow.messageId);
    expect(second.mail.inReplyTo).toBe(root);
    expect(referencesOf(second.mail)).toEqual([root]);
    expect(second.mail.text).toContain("Lo revisamos hoy mismo");
    expect(second.mail.text).not.toContain("banca");

    await completed(createdRow.id);
    await completed(replyRow.id);
    const after = await db.outboundEmail.findMany({ where: { ticketId: created.id }, orderBy: { createdAt: "asc" } });
    for (const row of after) {
      expect(row).toMatchObject({ status: "SENT", attempts: 1, lastError: null });
      expect(row.sentAt).toBeInstanceOf(Date);
    }
    // The internal note produced no mail at all.
    expect(delivered.filter((d) => d.rcpt.includes(customer.email))).toHaveLength(2);
  });

  it("retries a refused delivery with exponential backoff and sends it once the server accepts", async () => {
    const customer = await makeUser();
    const { emailId } = await stagedTicket(customer.id, "Reintento");
    const row = await db.outboundEmail.findUniqueOrThrow({ where: { id: emailId } });
    refusals.set(customer.email, 2);
    const backoffMs = 300;

    await emailEnqueuer(workers.queues.notifications, { attempts: 5, backoffMs })([emailId]);
    const done = await completed(emailId);
    expect(done.attemptsMade).toBe(3);
    await mailWith(row.messageId);

    const tries = attempts.filter((a) => a.messageId === row.messageId);
    expect(tries.map((a) => a.accepted)).toEqual([false, false, true]);
    const gaps = [tries[1]!.at - tries[0]!.at, tries[2]!.at - tries[1]!.at];
    expect(gaps[0]).toBeGreaterThanOrEqual(backoffMs);
    expect(gaps[1]).toBeGreaterThanOrEqual(2 * backoffMs);
    expect(outcomesOf(emailId).map((j) => j.state)).toEqual(["failed", "failed", "completed"]);

    expect(await db.outboundEmail.findUniqueOrThrow({ where: { id: emailId } })).toMatchObject({ status: "SENT", attempts: 3, lastError: null });
    expect(delivered.filter((d) => d.mail.messageId === row.messageId)).toHaveLength(1);
  });

  it("marks the row FAILED with the server's error after the last attempt", async () => {
    const customer = await makeUser();
    const { emailId } = await stagedTicket(customer.id, "Buzón roto");
    const row = await db.outboundEmail.findUniqueOrThrow({ where: { id: emailId } });
    refusals.set(customer.email, "always");

    await emailEnqueuer(workers.queues.notifications, { attempts: 2, backoffMs: 200 })([emailId]);
    const last = await sendOutcome(emailId, (j) => j.state === "failed" && j.attemptsMade >= 2, "the final failure");
    expect(last.error).toContain("451");
    const onQueue = await queuedJobsFor(emailId);
    expect(onQueue).toHaveLength(1);
    expect(await onQueue[0]!.getState()).toBe("failed");

    const failed = await db.outboundEmail.findUniqueOrThrow({ where: { id: emailId } });
    expect(failed).toMatchObject({ status: "FAILED", attempts: 2, sentAt: null });
    expect(failed.lastError).toContain("451");
    expect(failed.lastError).toContain("Mailbox busy");
    expect(attempts.filter((a) => a.messageId === row.messageId).map((a) => a.accepted)).toEqual([false, false]);
    expect(delivered.filter((d) => d.mail.messageId === row.messageId)).toEqual([]);
  });

  it("the outbox reconciler enqueues a staged mail the queue never heard of, and leaves fresh ones alone", async () => {
    const customer = await makeUser();
    const lost = await stagedTicket(customer.id, "Perdido");
    const fresh = await stagedTicket(customer.id, "Reciente");
    // As if the web process had crashed a minute ago between commit and enqueue. The mail other test
    // files staged and never enqueued (a recording bus, a fixed clock months back) counts as just
    // staged: otherwise the reconciler's batch of 500 is theirs, and their delivery holds up the next tests.
    await db.outboundEmail.updateMany({ where: { status: "QUEUED", id: { notIn: [lost.emailId, fresh.emailId] } }, data: { createdAt: new Date() } });
    await db.outboundEmail.update({ where: { id: lost.emailId }, data: { createdAt: new Date(Date.now() - 60_000) } });
    expect(await queuedJobsFor(lost.emailId)).toEqual([]);
    const lostRow = await db.outboundEmail.findUniqueOrThrow({ where: { id: lost.emailId } });

    // The same job the workers' scheduler adds every RECONCILE_EVERY_MS.
    const job = await workers.queues.notifications.add("reconcile-outbox", { kind: "reconcile-outbox" });
    const outcome = await jobOutcome(job.id!, (j) => j.state === "completed", "the reconcile job");
    expect(outcome.returnvalue).toBeGreaterThanOrEqual(1);

    const { mail } = await mailWith(lostRow.messageId);
    expect(mail.subject).toContain(`[#${lost.ticket.number}]`);
    await completed(lost.emailId);
    expect(await db.outboundEmail.findUniqueOrThrow({ where: { id: lost.emailId } })).toMatchObject({ status: "SENT", attempts: 1 });
    // Younger than the grace period: maybe still on its way to the queue, so not touched.
    expect(await queuedJobsFor(fresh.emailId)).toEqual([]);
    expect(await db.outboundEmail.findUniqueOrThrow({ where: { id: fresh.emailId } })).toMatchObject({ status: "QUEUED", attempts: 0 });
  });

  it("enqueuing the same email twice (and again after it was sent) sends one mail", async () => {
    const customer = await makeUser();
    const { emailId } = await stagedTicket(customer.id, "Duplicado");
    const row = await db.outboundEmail.findUniqueOrThrow({ where: { id: emailId } });
    const enqueue = workers.deps.queues.enqueueEmails;

    await Promise.all([enqueue([emailId]), enqueue([emailId])]);
    await completed(emailId);
    await mailWith(row.messageId);
    await enqueue([emailId]);

    // A fence: a mail enqueued after everything above; once it is delivered, a duplicate would have been too.
    const fence = await stagedTicket(customer.id, "Valla");
    const fenceRow = await db.outboundEmail.findUniqueOrThrow({ where: { id: fence.emailId } });
    await enqueue([fence.emailId]);
    await mailWith(fenceRow.messageId);
    await completed(fence.emailId);

    expect(attempts.filter((a) => a.messageId === row.messageId)).toHaveLength(1);
    expect(delivered.filter((d) => d.mail.messageId === row.messageId)).toHaveLength(1);
    expect(outcomesOf(emailId)).toHaveLength(1);
    expect(await queuedJobsFor(emailId)).toHaveLength(1);
    expect(await db.outboundEmail.findUniqueOrThrow({ where: { id: emailId } })).toMatchObject({ status: "SENT", attempts: 1 });
  });
});
