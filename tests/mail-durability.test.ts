// Inbound mail survives what happens to the machinery around it, with real processes killed:
//  - a private redis-server (never the shared one on 6379) stopped and restarted EMPTY between the
//    SMTP 250 and the job, or down at the very moment of the 250;
//  - the BullMQ inbound worker SIGKILLed in its own OS process while a job is mid-way.
// Everything is real: the production SMTP listener, nodemailer as the client, PostgreSQL, raw mail
// on disk, BullMQ on Redis, the production processor. Readiness waits are event-driven.
import { createHash, randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Queue, Worker } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "~/env";
import { createInboundQueue, inboundEnqueuer, type InboundJob } from "~/server/adapters/bullmq/inbound-queue";
import type { EnqueueInbound } from "~/server/modules/mail/intake/enqueue-inbound";
import { localBlobStore } from "~/server/adapters/local-disk/local-blob-store";
import type { BlobStore } from "~/server/modules/storage/blob-store";
import { createRedis } from "~/server/redis";
import { startInboundWorker } from "../workers/inbound-mail";
import { db, withInboundQueue } from "./support/fixtures";
import { SUPPORT, crlf, inboundDeps, rawMail, sendRaw, startIntake, type Intake } from "./support/inbound-mail";
import { FAST_STALL, spawnInboundWorker, startTunedInboundWorker } from "./support/inbound-worker";
import { startPrivateRedis, type PrivateRedis } from "./support/private-redis";
import { waitUntil, withTimeout } from "./support/wait";
import { uniq } from "./support/uniq";
import { lineLogger } from "./support/capture-log";

const MAX_MESSAGE_BYTES = 2 * 1024 * 1024;
const MAX_ATTACHMENT_BYTES = 1024 * 1024;

let dir: string;
let store: BlobStore;
const cleanups: Array<() => Promise<unknown> | unknown> = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "vt-durability-"));
  store = localBlobStore(dir);
});

afterAll(async () => {
  try {
    for (const c of cleanups.reverse()) {
      try {
        await c();
      } catch (err) {
        console.error(`cleanup failed: ${(err as Error).message}`);
      }
    }
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true });
  }
});

const customerAddress = (tag: string) => `cliente-${tag}@cliente.test`;
const sha256 = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");

/** A private Redis and an inbound BullMQ queue on it (this run's key prefix), both closed after the file. */
async function redisWithQueue(): Promise<{ redis: PrivateRedis; queue: Queue<InboundJob> }> {
  const redis = await startPrivateRedis();
  cleanups.push(() => redis.dispose());
  const connection = createRedis("producer", redis.url);
  const queue = createInboundQueue(connection, env.REDIS_PREFIX);
  cleanups.push(async () => {
    await queue.close().catch(() => {});
    connection.disconnect();
  });
  await withTimeout(queue.waitUntilReady(), "the queue's Redis connection");
  return { redis, queue };
}

/**
 * The production listener whose enqueue is the production BullMQ enqueuer on `queue`. Every enqueue
 * that went through is recorded (`enqueuedId` waits for one); one that failed is logged by the listener.
 */
async function intakeOn(queue: Queue<InboundJob>): Promise<Intake & { enqueuedOk: string[] }> {
  const real = inboundEnqueuer(queue);
  const enqueuedOk: string[] = [];
  let intake: Intake | undefined;
  const enqueue: EnqueueInbound = async (ids, opts) => {
    await real(ids, opts);
    enqueuedOk.push(...ids);
    intake?.signal.emit("enqueued");
  };
  intake = await startIntake({ store, maxMessageBytes: MAX_MESSAGE_BYTES, maxAttachmentBytes: MAX_ATTACHMENT_BYTES, enqueue });
  cleanups.push(() => intake!.close());
  const self = intake;
  return {
    ...self,
    enqueuedOk,
    enqueuedId: (id) => waitUntil(self.signal, "enqueued", () => enqueuedOk.find((x) => x === id), `a successful enqueue of inbound ${id}`),
  };
}

type Done = { jobId: string; state: "completed" | "failed"; returnvalue?: unknown; error?: string };

/** Records what a worker finishes, so a test can wait for one job's outcome (event-driven, no polling). */
function recordJobs(worker: Worker) {
  const done: Done[] = [];
  const stalled: string[] = [];
  const signal = new EventEmitter();
  worker.on("completed", (job, returnvalue: unknown) => {
    done.push({ jobId: job.id!, state: "completed", returnvalue });
    signal.emit("job");
  });
  worker.on("failed", (job, err) => {
    if (job) done.push({ jobId: job.id!, state: "failed", error: err.message });
    signal.emit("job");
  });
  worker.on("stalled", (jobId) => {
    stalled.push(jobId);
    signal.emit("stalled");
  });
  return {
    done,
    stalled,
    jobDone: (jobId: string, state: Done["state"] = "completed", nth = 1, timeoutMs = 15_000) =>
      waitUntil(signal, "job", () => done.filter((j) => j.jobId === jobId && j.state === state)[nth - 1], `job ${jobId} ${state} #${nth}`, timeoutMs),
    stalledJob: (jobId: string, timeoutMs = 15_000) => waitUntil(signal, "stalled", () => stalled.find((j) => j === jobId), `job ${jobId} to be found stalled`, timeoutMs),
  };
}

/** The production inbound worker (workers/inbound-mail.ts) on the private Redis, with a fixed clock to move past the reconciler's grace period. */
async function realWorker(redis: PrivateRedis, queue: Queue<InboundJob>) {
  const { deps, clock } = inboundDeps(store, { maxAttachmentBytes: MAX_ATTACHMENT_BYTES });
  const log: string[] = [];
  const worker = startInboundWorker({ ...env, REDIS_URL: redis.url }, withInboundQueue(deps, queue), lineLogger((l) => log.push(l)));
  cleanups.push(() => worker.close());
  const jobs = recordJobs(worker.worker);
  await withTimeout(worker.worker.waitUntilReady(), "the inbound worker to connect");
  return { worker, clock, log, ...jobs };
}

/** Exactly one ticket from this sender, with exactly one message (the mail's), and the row PROCESSED pointing at them. */
async function expectExactlyOneTicket(inboundId: string, from: string, messageId: string) {
  const tickets = await db.ticket.findMany({ where: { requester: { email: from } }, include: { messages: true, attachments: true } });
  expect(tickets).toHaveLength(1);
  const ticket = tickets[0]!;
  expect(ticket.channel).toBe("EMAIL");
  expect(ticket.messages).toHaveLength(1);
  expect(ticket.messages[0]).toMatchObject({ emailMessageId: messageId, internal: false });
  expect(await db.message.count({ where: { emailMessageId: messageId } })).toBe(1);
  const row = await db.inboundMail.findUniqueOrThrow({ where: { id: inboundId } });
  expect(row).toMatchObject({ status: "PROCESSED", ticketId: ticket.id, messageId: ticket.messages[0]!.id, dedupeKey: messageId });
  return { ticket, row };
}

describe("Redis restarted between the SMTP 250 and the job", () => {
  it(
    "Redis down at the moment of the 250: the client still gets 250 (the mail was stored first); after Redis comes back empty, the reconcile job makes it exactly one ticket",
    async () => {
      const { redis, queue } = await redisWithQueue();
      const intake = await intakeOn(queue);

      await redis.stop();
      expect(redis.pid).toBeNull();

      const tag = uniq();
      const from = customerAddress(tag);
      const messageId = `<down-${tag}@cliente.test>`;
      const raw = rawMail({ from: `Dora Down <${from}>`, subject: `Redis caído ${tag}`, messageId, body: "¿Llega esto con Redis caído?" });
      const res = await sendRaw(intake.port, { from, to: [SUPPORT] }, raw);
      // Acknowledged: the sender's server forgets the mail now, so it must already be durable.
      expect(res, res.response).toMatchObject({ ok: true, code: 250 });
      expect(res.response).toMatch(/^250 .*queued as \S+/);
      const id = res.id!;
      const row = await db.inboundMail.findUniqueOrThrow({ where: { id } });
      expect(row).toMatchObject({ status: "RECEIVED", attempts: 0, envelopeFrom: from, source: "smtp" });
      expect((await store.readBuffer(row.storageKey)).toString("utf8")).toBe(raw);
      expect(row.sha256).toBe(sha256(raw));

      // The enqueue after the 250 met the dead Redis, failed, and was logged (nothing thrown at the client).
      const line = await waitUntil(intake.signal, "log", () => intake.log.find((l) => l.startsWith(`enqueue of inbound ${id} failed`)), `the enqueue failure log for ${id}`);
      expect(line).toMatch(/failed: .+/);
      expect(intake.enqueuedOk).not.toContain(id);

      // Redis comes back with nothing in it.
      await redis.start();
      expect(await redis.dbsize()).toBe(0);
      expect(await queue.getJob(`inbound-${id}`)).toBeUndefined();

      const w = await realWorker(redis, queue);
      // Within the grace period the reconciler leaves fresh mail alone (it may still be on its way to the queue) ...
      const early = await w.jobDone((await queue.add("reconcile", { kind: "reconcile" })).id!);
      expect(early.state).toBe("completed");
      expect(await queue.getJob(`inbound-${id}`)).toBeUndefined();
      expect((await db.inboundMail.findUniqueOrThrow({ where: { id } })).status).toBe("RECEIVED");

      // ... and past it (every 30 s in production), the reconcile job puts it back on the queue, and the worker processes it.
      w.clock.advance(31_000);
      const rec = await w.jobDone((await queue.add("reconcile", { kind: "reconcile" })).id!);
      expect(rec.returnvalue).toBeGreaterThanOrEqual(1);
      const processed = await w.jobDone(`inbound-${id}`);
      expect(processed.returnvalue).toBe("PROCESSED");

      const { ticket, row: after } = await expectExactlyOneTicket(id, from, messageId);
      expect(ticket.subject).toBe(`Redis caído ${tag}`);
      expect(after.attempts).toBe(1);
      expect(w.done.filter((j) => j.jobId === `inbound-${id}`)).toEqual([{ jobId: `inbound-${id}`, state: "completed", returnvalue: "PROCESSED" }]);
      expect(w.log.filter((l) => l.includes(id))).toEqual([]);
    },
    60_000,
  );

  it(
    "the job was queued, then Redis restarted empty before any worker took it: the reconcile job recovers the mail, processed exactly once",
    async () => {
      const { redis, queue } = await redisWithQueue();
      const intake = await intakeOn(queue);

      const tag = uniq();
      const from = customerAddress(tag);
      const messageId = `<lost-${tag}@cliente.test>`;
      const raw = rawMail({ from: `Luis Lost <${from}>`, subject: `Job perdido ${tag}`, messageId, body: "El job se perdió con Redis." });
      const res = await sendRaw(intake.port, { from, to: [SUPPORT] }, raw);
      expect(res, res.response).toMatchObject({ ok: true, code: 250 });
      const id = res.id!;
      await intake.enqueuedId(id);
      // The job is in Redis, waiting: no worker runs yet.
      const job = await queue.getJob(`inbound-${id}`);
      expect(await job?.getState()).toBe("waiting");
      expect(await queue.getActive()).toEqual([]);

      // Redis restarts with no persistence: the job is gone, the stored mail is not.
      const before = redis.pid;
      await redis.stop();
      await redis.start();
      expect(redis.pid).not.toBe(before);
      expect(await redis.dbsize()).toBe(0);
      expect(await queue.getJob(`inbound-${id}`)).toBeUndefined();
      expect(await db.inboundMail.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "RECEIVED", attempts: 0 });

      // A worker starting now finds nothing for this mail on the queue ...
      const w = await realWorker(redis, queue);
      expect(await queue.getJob(`inbound-${id}`)).toBeUndefined();
      // ... until the reconcile job, past the grace period, puts it back.
      w.clock.advance(31_000);
      const rec = await w.jobDone((await queue.add("reconcile", { kind: "reconcile" })).id!);
      expect(rec.returnvalue).toBeGreaterThanOrEqual(1);
      const processed = await w.jobDone(`inbound-${id}`);
      expect(processed.returnvalue).toBe("PROCESSED");

      const { ticket, row } = await expectExactlyOneTicket(id, from, messageId);
      expect(ticket.subject).toBe(`Job perdido ${tag}`);
      expect(row.attempts).toBe(1);

      // A second reconcile (the next tick) changes nothing: the mail is no longer RECEIVED.
      await w.jobDone((await queue.add("reconcile", { kind: "reconcile" })).id!);
      await expectExactlyOneTicket(id, from, messageId);
      expect(w.done.filter((j) => j.jobId === `inbound-${id}`)).toEqual([{ jobId: `inbound-${id}`, state: "completed", returnvalue: "PROCESSED" }]);
    },
    60_000,
  );
});

/** A mail with one PDF attachment (base64), as a mail client writes it. */
function mailWithAttachment(m: { from: string; subject: string; messageId: string; filename: string; bytes: Buffer }): string {
  return crlf(
    [
      `From: ${m.from}`,
      `To: ${SUPPORT}`,
      `Subject: ${m.subject}`,
      "Date: Mon, 02 Mar 2026 10:00:00 +0000",
      `Message-ID: ${m.messageId}`,
      "MIME-Version: 1.0",
      'Content-Type: multipart/mixed; boundary="B"',
      "",
      "--B",
      "Content-Type: text/plain; charset=utf-8",
      "",
      "Adjunto el documento.",
      "--B",
      `Content-Type: application/pdf; name="${m.filename}"`,
      `Content-Disposition: attachment; filename="${m.filename}"`,
      "Content-Transfer-Encoding: base64",
      "",
      m.bytes.toString("base64").replace(/.{76}/g, "$&\n"),
      "--B--",
    ].join("\n"),
  );
}

async function filesUnder(sub: string): Promise<string[]> {
  const entries = await readdir(path.join(dir, sub), { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe("a worker killed in the middle of a job", () => {
  it(
    "SIGKILL while a job is active: the stalled job is picked up by another worker and the mail ends as exactly one ticket with one message",
    async () => {
      const { redis, queue } = await redisWithQueue();
      const intake = await intakeOn(queue);

      // Worker 1, in its own OS process: deps from process.env as the workers process builds them,
      // attachment writes that never finish.
      const first = await spawnInboundWorker({ REDIS_URL: redis.url, STORAGE_DIR: dir, VT_BLOCK_ATTACHMENTS: "1" });
      cleanups.push(() => first.stop());
      expect(first.pid).not.toBe(process.pid);

      const tag = uniq();
      const from = customerAddress(tag);
      const messageId = `<killed-${tag}@cliente.test>`;
      const pdf = Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.from(randomUUID().repeat(200)), Buffer.from("\n%%EOF\n")]);
      const raw = mailWithAttachment({ from: `Kim Killed <${from}>`, subject: `Adjunto ${tag}`, messageId, filename: "contrato.pdf", bytes: pdf });
      const res = await sendRaw(intake.port, { from, to: [SUPPORT] }, raw);
      expect(res, res.response).toMatchObject({ ok: true, code: 250 });
      const id = res.id!;
      const jobId = `inbound-${id}`;
      await intake.enqueuedId(id);

      // The child took the job and is stuck inside it, writing the attachment.
      const active = await first.next((l) => ("active" in l && l.active === jobId ? l : undefined), `the child to start ${jobId}`);
      expect(active.inboundId).toBe(id);
      await first.next((l) => ("blocked" in l ? l : undefined), "the child's attachment write to hang");
      expect((await queue.getActive()).map((j) => j.id)).toEqual([jobId]);
      // Mid-job: the row has counted the attempt, nothing is settled, no ticket exists.
      expect(await db.inboundMail.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "RECEIVED", attempts: 1, ticketId: null });
      expect(await db.ticket.count({ where: { requester: { email: from } } })).toBe(0);

      const killed = await first.kill9();
      expect(killed.signal).toBe("SIGKILL");
      expect(first.lines.filter((l) => "completed" in l || "failed" in l)).toEqual([]);
      // Nobody holds the job any more, but Redis still lists it as active.
      expect(await queue.getJobState(jobId)).toBe("active");

      // Worker 2 (in this process, no blocking): its stalled-job check finds the orphan once the dead
      // worker's lock has expired, moves it back to wait, and processes it.
      const { deps } = inboundDeps(store, { maxAttachmentBytes: MAX_ATTACHMENT_BYTES });
      const log: string[] = [];
      const second = startTunedInboundWorker({ ...env, REDIS_URL: redis.url }, withInboundQueue(deps, queue), lineLogger((l) => log.push(l)), FAST_STALL);
      cleanups.push(() => second.close());
      const jobs = recordJobs(second.worker);
      await jobs.stalledJob(jobId);
      const processed = await jobs.jobDone(jobId);
      expect(processed.returnvalue).toBe("PROCESSED");

      const job = await queue.getJob(jobId);
      expect(job?.stalledCounter).toBe(1);
      expect(job?.returnvalue).toBe("PROCESSED");
      expect(await job?.getState()).toBe("completed");

      // Idempotent across the two runs: one ticket, one message, one attachment with the exact bytes.
      const { ticket, row } = await expectExactlyOneTicket(id, from, messageId);
      // Both runs counted: the killed one and the one that finished.
      expect(row.attempts).toBe(2);
      expect(row.reason).toBeNull();
      expect(ticket.attachments).toHaveLength(1);
      expect(ticket.attachments[0]).toMatchObject({ filename: "contrato.pdf", contentType: "application/pdf", size: pdf.length, sha256: sha256(pdf), messageId: ticket.messages[0]!.id });
      expect((await store.readBuffer(ticket.attachments[0]!.storageKey)).equals(pdf)).toBe(true);
      // Stored once: the attachment directory holds exactly the ticket's file.
      expect(await filesUnder("att")).toEqual([path.join(dir, ticket.attachments[0]!.storageKey)]);

      // And should the job run yet again (its completed record expired, the reconciler re-adds it), nothing changes.
      await queue.remove(jobId);
      await inboundEnqueuer(queue)([id]);
      const rerun = await jobs.jobDone(jobId, "completed", 2);
      expect(rerun.returnvalue).toBe("SKIPPED");
      await expectExactlyOneTicket(id, from, messageId);
      expect((await db.inboundMail.findUniqueOrThrow({ where: { id } })).attempts).toBe(2);
      expect(jobs.done.filter((j) => j.state === "failed")).toEqual([]);
      expect(log).toEqual([]);
    },
    90_000,
  );
});
