// Issue 16 item 6: webhooks. Staged by triggers in the change's own transaction, sent by the
// webhooks queue to a local receiver, signed (verified here as a receiver would), retried with a
// short backoff, logged, redelivered by hand; SSRF refused at save and at send; admins only.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Queue } from "bullmq";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { env, parseEnv } from "~/env";
import { createWebhooksQueue, webhookEnqueuer, type WebhookJob } from "~/server/adapters/bullmq/webhooks-queue";
import { createWebhookSender } from "~/server/adapters/http-client/webhook-sender";
import { systemClock } from "~/server/clock";
import type { Deps } from "~/server/modules/deps";
import { sqlOf } from "~/server/db/client";
import { deliverWebhook, reconcileWebhookDeliveries } from "~/server/modules/webhooks/deliver";
import { createDeliveryStore } from "~/server/modules/webhooks/delivery-store";
import { checkTargetUrl, checkWebhookTarget, type Resolver, type TargetPolicy } from "~/server/modules/webhooks/target-guard";
import { createRedis } from "~/server/redis";
import { silentLogger } from "~/server/observability/logger";
import { startWebhooksWorker } from "../workers/webhooks";
import { callerFor, db, idleQueues, makeUser, testDeps } from "./support/fixtures";
import { eventually } from "./support/wait";
import { startReceiver, type ReceivedHook } from "./support/webhook-receiver";

const localTargets: TargetPolicy = { allowPrivate: true, allowedPorts: [], resolve: async () => [{ address: "127.0.0.1", family: 4 }] };
const strict = (resolve: Resolver = async () => [{ address: "93.184.216.34", family: 4 }], allowedPorts: number[] = []): TargetPolicy => ({ allowPrivate: false, allowedPorts, resolve });

/** What a receiver does: recompute HMAC-SHA256(secret, t + "." + raw body), compare in constant time, check t is recent. */
function verify(secret: string, header: string | undefined, rawBody: string, toleranceS = 300): boolean {
  if (!header) return false;
  const parts = Object.fromEntries(header.split(",").map((p) => p.split("=") as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > toleranceS || !parts.v1) return false;
  const expected = Buffer.from(createHmac("sha256", secret).update(`${t}.${rawBody}`).digest("hex"));
  const given = Buffer.from(parts.v1);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

let receiver: Awaited<ReturnType<typeof startReceiver>>;
let queueRedis: ReturnType<typeof createRedis>;
let queue: Queue<WebhookJob>;
let worker: ReturnType<typeof startWebhooksWorker>;
let deps: Deps;
let clock: ReturnType<typeof testDeps>["clock"];
const ATTEMPTS = 3;

beforeAll(async () => {
  receiver = await startReceiver();
  queueRedis = createRedis("producer", env.REDIS_URL);
  queue = createWebhooksQueue(queueRedis, env.REDIS_PREFIX);
  // A controlled backoff: 3 attempts, 20 ms then 40 ms apart.
  const enqueue = webhookEnqueuer(queue, { attempts: ATTEMPTS, backoffMs: 20 });
  const made = testDeps({ queues: { ...idleQueues(), enqueueWebhookDeliveries: enqueue }, webhooks: { targets: localTargets } });
  deps = made.deps;
  clock = made.clock;
  // The worker signs with the real time, as a receiver checks it.
  worker = startWebhooksWorker(env, { ...deps, clock: systemClock }, silentLogger, {
    queue,
    retry: { attempts: ATTEMPTS, backoffMs: 20 },
    limits: { connectTimeoutMs: 1000, responseTimeoutMs: 500, maxBodyBytes: 100 },
  });
  await worker.ready;
});

afterAll(async () => {
  // This file's webhooks go, so no later test stages deliveries for them.
  await db.webhook.deleteMany({ where: { url: { startsWith: `http://127.0.0.1:${receiver.port}` } } });
  await worker.close();
  await queue.close();
  queueRedis.disconnect();
  await receiver.close();
});

async function people() {
  const [admin, agent, customer] = await Promise.all([makeUser("ADMIN"), makeUser("AGENT"), makeUser("CUSTOMER")]);
  return { admin, agent, customer, asAdmin: await callerFor(deps, admin.id), asAgent: await callerFor(deps, agent.id), asCustomer: await callerFor(deps, customer.id) };
}

const hooksFor = (ticketId: string, path?: string) => receiver.received.filter((h) => h.json.data?.ticket?.id === ticketId && (!path || h.path === path));
const deliveriesOf = (webhookId: string) => db.webhookDelivery.findMany({ where: { webhookId }, orderBy: { createdAt: "asc" }, include: { log: { orderBy: { number: "asc" } } } });

describe("webhook deliveries", () => {
  it("tells a webhook of a ticket's creation, public replies and changes, signed; an internal note only to one that opts in", async () => {
    const { asAdmin, asAgent, asCustomer, agent } = await people();
    const plain = await asAdmin.webhook.create({ url: receiver.url("/plain"), events: ["ticket.created", "ticket.updated", "message.created"] });
    const notes = await asAdmin.webhook.create({ url: receiver.url("/notes"), events: ["message.created"], includeInternalNotes: true });
    expect(plain.secret).toMatch(/^whsec_/);

    const t = await asCustomer.ticket.create({ subject: "La impresora", description: "No imprime" });
    await asAgent.ticket.reply({ ticketId: t.id, body: "Nota interna: revisar el driver", internal: true });
    await asAgent.ticket.reply({ ticketId: t.id, body: "¿Qué modelo es?" });
    await asAgent.ticket.assign({ ticketId: t.id, assigneeId: agent.id });

    await eventually(async () => (hooksFor(t.id, "/plain").length >= 3 && hooksFor(t.id, "/notes").length >= 2 ? true : undefined), "the deliveries");
    const plainHooks = hooksFor(t.id, "/plain");
    expect(plainHooks.map((h) => h.json.type).sort()).toEqual(["message.created", "ticket.created", "ticket.updated"]);
    for (const h of plainHooks) {
      expect(verify(plain.secret, h.headers["ventanilla-signature"] as string, h.body)).toBe(true);
      // Tampered with, or signed with another secret: refused.
      expect(verify(plain.secret, h.headers["ventanilla-signature"] as string, h.body.replace("}", ' }'))).toBe(false);
      expect(verify(notes.secret, h.headers["ventanilla-signature"] as string, h.body)).toBe(false);
      expect(h.headers["ventanilla-event-id"]).toBe(h.json.id);
      expect(h.json.occurredAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    const created = plainHooks.find((h) => h.json.type === "ticket.created")!;
    expect(created.json.data.ticket).toMatchObject({ id: t.id, number: t.number, subject: "La impresora", status: "OPEN" });
    expect(created.json.data.message).toMatchObject({ bodyText: "No imprime", internal: false });
    const reply = plainHooks.find((h) => h.json.type === "message.created")!;
    expect(reply.json.data.message).toMatchObject({ bodyText: "¿Qué modelo es?", internal: false });
    expect(plainHooks.map((h) => h.body).join("")).not.toContain("Nota interna");
    const updated = plainHooks.find((h) => h.json.type === "ticket.updated")!;
    expect(updated.json.data.change).toMatchObject({ field: "assignee" });
    expect(updated.json.data.ticket.assignee).toMatchObject({ id: agent.id });

    const noteHooks = hooksFor(t.id, "/notes");
    expect(noteHooks.map((h) => h.json.data.message.internal).sort()).toEqual([false, true]);
    // The same event, the same id, whichever webhook is told.
    expect(noteHooks.find((h) => !h.json.data.message.internal)!.json.id).toBe(reply.json.id);

    const rows = await deliveriesOf(plain.webhook.id);
    expect(rows.every((r) => r.status === "SUCCEEDED" && r.attempts === 1 && r.log[0]!.statusCode === 200)).toBe(true);
  });

  it("sends sla.breached from the SLA timers' statement and evaluation.received from the customer's answer", async () => {
    const { asAdmin, asAgent, asCustomer } = await people();
    await asAdmin.webhook.create({ url: receiver.url("/sla"), events: ["sla.breached", "evaluation.received"] });
    const t = await asCustomer.ticket.create({ subject: "Plazos", description: "x", priority: "HIGH" });
    const { fireSlaEvents } = await import("~/server/modules/sla/timers");
    const due = await db.ticket.findUniqueOrThrow({ where: { id: t.id }, select: { resolutionDueAt: true } });
    clock.set(new Date(due.resolutionDueAt!.getTime() + 60_000));
    await fireSlaEvents(deps, t.id);
    const { version } = await asAgent.ticket.get({ number: t.number });
    await asAgent.ticket.setStatus({ ticketId: t.id, status: "RESOLVED", version });
    await asCustomer.ticket.evaluate({ ticketId: t.id, helpful: false, comment: "No del todo" });

    const hooks = await eventually(async () => {
      const got = hooksFor(t.id, "/sla");
      return got.some((h) => h.json.type === "evaluation.received") && got.filter((h) => h.json.type === "sla.breached").length >= 2 ? got : undefined;
    }, "sla.breached and evaluation.received");
    expect(hooks.filter((h) => h.json.type === "sla.breached").map((h) => h.json.data.target).sort()).toEqual(["firstResponse", "resolution"]);
    expect(hooks.find((h) => h.json.type === "evaluation.received")!.json.data.evaluation).toMatchObject({ helpful: false, comment: "No del todo" });
  });

  it("retries a 500 with backoff, logs each attempt (status, duration, the answer's first bytes), and stops after the last attempt", async () => {
    const { asAdmin, asCustomer } = await people();
    const flaky = await asAdmin.webhook.create({ url: receiver.url("/flaky"), events: ["ticket.created"] });
    const down = await asAdmin.webhook.create({ url: receiver.url("/down"), events: ["ticket.created"] });
    const tries = new Map<string, number>();
    receiver.respondWith((h, res) => {
      const n = (tries.get(`${h.path}:${h.json.id}`) ?? 0) + 1;
      tries.set(`${h.path}:${h.json.id}`, n);
      if (h.path === "/down" || (h.path === "/flaky" && n < 3)) {
        res.statusCode = 500;
        return res.end("x".repeat(5000));
      }
      res.end("ok");
    });
    try {
      const t = await asCustomer.ticket.create({ subject: "Reintentos", description: "x" });
      const [ok] = await eventually(async () => {
        const rows = await deliveriesOf(flaky.webhook.id);
        return rows[0]?.status === "SUCCEEDED" ? rows : undefined;
      }, "the flaky delivery to succeed");
      expect(ok!.log.map((a) => a.statusCode)).toEqual([500, 500, 200]);
      expect(ok!.log[0]!.responseBody).toBe("x".repeat(100));
      expect(ok!.log.every((a) => a.durationMs >= 0)).toBe(true);

      const [failed] = await eventually(async () => {
        const rows = await deliveriesOf(down.webhook.id);
        return rows[0]?.status === "FAILED" ? rows : undefined;
      }, "the delivery to a dead receiver to fail");
      expect(failed!.attempts).toBe(ATTEMPTS);
      expect(failed!.log.map((a) => a.number)).toEqual([1, 2, 3]);
      // Not retried forever: the job is finished (its last attempt marked the delivery failed), and the receiver heard it 3 times only.
      const job = await queue.getJob(`webhook-${failed!.id}`);
      expect(await job?.getState()).toBe("completed");
      expect(job?.returnvalue).toBe("failed");
      expect(hooksFor(t.id, "/down")).toHaveLength(ATTEMPTS);

      // Redelivered by hand once the receiver is back: a new delivery of the same event, tried once.
      receiver.respondWith((_h, res) => res.end("ok"));
      const again = await asAdmin.webhook.redeliver({ deliveryId: failed!.id });
      const row = await eventually(async () => {
        const r = await db.webhookDelivery.findUniqueOrThrow({ where: { id: again.id }, include: { log: true } });
        return r.status === "SUCCEEDED" ? r : undefined;
      }, "the redelivery");
      expect(row).toMatchObject({ manual: true, eventId: failed!.eventId, attempts: 1 });
      const log = await asAdmin.webhook.deliveries({ webhookId: down.webhook.id });
      expect(log.map((d) => [d.status, d.manual])).toEqual([["SUCCEEDED", true], ["FAILED", false]]);
      expect(log[1]!.log).toHaveLength(ATTEMPTS);
    } finally {
      receiver.respondWith((_h, res) => res.end("ok"));
    }
  });

  it("follows no redirect, times out a receiver that does not answer, and stops reading a long answer", async () => {
    const sender = createWebhookSender(localTargets, { connectTimeoutMs: 500, responseTimeoutMs: 300, maxBodyBytes: 10 });
    receiver.respondWith((h, res) => {
      if (h.path === "/redirect") {
        res.writeHead(302, { location: receiver.url("/elsewhere") });
        return res.end();
      }
      if (h.path === "/slow") return; // never answers
      res.end("0123456789abcdefghij".repeat(10_000));
    });
    try {
      const redirected = await sender.post(receiver.url("/redirect"), "{}", {});
      expect(redirected.statusCode).toBe(302);
      expect(receiver.received.some((h) => h.path === "/elsewhere")).toBe(false);
      const slow = await sender.post(receiver.url("/slow"), "{}", {});
      expect(slow).toMatchObject({ statusCode: null, error: "RESPONSE_TIMEOUT", refused: false });
      const long = await sender.post(receiver.url("/long"), "{}", {});
      expect(long).toMatchObject({ statusCode: 200, body: "0123456789" });
    } finally {
      sender.close();
      receiver.respondWith((_h, res) => res.end("ok"));
    }
  });

  it("groups the reads and attempt logs of concurrent deliveries into shared statements, each attempt numbered and logged", async () => {
    const { asAdmin } = await people();
    // An event this file's tickets never raise: only the rows staged below are delivered.
    const hook = await asAdmin.webhook.create({ url: receiver.url("/grouped"), events: ["evaluation.received"] });
    const ids = Array.from({ length: 40 }, (_, i) => `grouped-${hook.webhook.id}-${i}`);
    await db.webhookDelivery.createMany({ data: ids.map((id, i) => ({ id, webhookId: hook.webhook.id, eventId: `evt_grouped_${hook.webhook.id}_${i}`, eventType: "evaluation.received", payload: { n: i } })) });
    const pool = sqlOf(db);
    const statements: string[] = [];
    const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
    const spy = vi.spyOn(pool, "query").mockImplementation(((...args: unknown[]) => {
      const q = args[0] as { text?: string } | string;
      statements.push(typeof q === "string" ? q : (q.text ?? ""));
      return query(...args);
    }) as never);
    const sender = createWebhookSender(localTargets);
    const store = createDeliveryStore({ db });
    try {
      const outcomes = await Promise.all(ids.map((id) => deliverWebhook({ ...deps, clock: systemClock, sender, deliveries: store }, id, { finalAttempt: false })));
      expect(outcomes.every((o) => o === "delivered")).toBe(true);
      // 40 deliveries, 80 rows read or written: in fewer statements than deliveries.
      const logs = statements.filter((t) => t.includes('INSERT INTO "WebhookAttempt"')).length;
      const reads = statements.filter((t) => t.includes('JOIN "Webhook"')).length;
      expect(logs).toBeGreaterThan(0);
      expect(logs).toBeLessThan(ids.length / 2);
      expect(reads).toBeLessThan(ids.length / 2);
      // One delivery's two attempts at once (a job run twice) are counted one after the other.
      const [first, second] = await Promise.all([0, 1].map((n) => store.record({ deliveryId: ids[0]!, status: "PENDING", statusCode: 500 + n, durationMs: 1, responseBody: null, error: null, deliveredAt: null, at: new Date() })));
      expect([first, second]).toEqual([false, false]); // already delivered: nothing counted, nothing logged
      await db.webhookDelivery.update({ where: { id: ids[1]! }, data: { status: "PENDING" } });
      const both = await Promise.all([0, 1].map((n) => store.record({ deliveryId: ids[1]!, status: "PENDING", statusCode: 500 + n, durationMs: 1, responseBody: null, error: null, deliveredAt: null, at: new Date() })));
      expect(both).toEqual([true, true]);
    } finally {
      spy.mockRestore();
      sender.close();
    }
    const rows = await deliveriesOf(hook.webhook.id);
    expect(rows.filter((r) => r.status === "SUCCEEDED")).toHaveLength(ids.length - 1);
    for (const r of rows) expect(r.log[0]).toMatchObject({ number: 1, statusCode: 200 });
    const twice = rows.find((r) => r.id === ids[1])!;
    expect(twice.log.map((a) => a.number)).toEqual([1, 2, 3]);
    expect(twice.attempts).toBe(3);
    expect(receiver.received.filter((h) => h.path === "/grouped")).toHaveLength(ids.length);
    await db.webhook.delete({ where: { id: hook.webhook.id } });
  });

  it("logs an answer holding a NUL byte, and a statement that fails fails only its own attempt, not the others grouped with it", async () => {
    const { asAdmin } = await people();
    const hook = await asAdmin.webhook.create({ url: receiver.url("/nul"), events: ["evaluation.received"] });
    const ids = [0, 1, 2].map((i) => `nul-${hook.webhook.id}-${i}`);
    await db.webhookDelivery.createMany({ data: ids.map((id, i) => ({ id, webhookId: hook.webhook.id, eventId: `evt_nul_${hook.webhook.id}_${i}`, eventType: "evaluation.received", payload: {} })) });
    const store = createDeliveryStore({ db });
    const attempt = (deliveryId: string, over: Partial<Parameters<typeof store.record>[0]> = {}) =>
      store.record({ deliveryId, status: "PENDING", statusCode: 500, durationMs: 3, responseBody: "ok", error: null, deliveredAt: null, at: new Date(), ...over });
    const results = await Promise.allSettled([
      attempt(ids[0]!, { responseBody: "a\u0000b" }),
      // An impossible value for the int column: this statement cannot run.
      attempt(ids[1]!, { statusCode: 2 ** 40 }),
      attempt(ids[2]!),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    const rows = await deliveriesOf(hook.webhook.id);
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(ids[0]!)!.log.map((a) => a.responseBody)).toEqual(["a\uFFFDb"]);
    expect(byId.get(ids[1]!)!.log).toHaveLength(0);
    expect(byId.get(ids[2]!)!.log.map((a) => a.number)).toEqual([1]);
    await db.webhook.delete({ where: { id: hook.webhook.id } });
  });

  it("stages nothing for a change rolled back, and the reconciler enqueues what is pending", async () => {
    const { asAdmin, customer } = await people();
    const hook = await asAdmin.webhook.create({ url: receiver.url("/reconcile"), events: ["ticket.updated"] });
    const t = await (await callerFor(deps, customer.id)).ticket.create({ subject: "Reconciliar", description: "x" });
    await db
      .$transaction(async (tx) => {
        await tx.ticketEvent.create({ data: { ticketId: t.id, type: "PRIORITY_CHANGED", fromValue: "MEDIUM", toValue: "HIGH" } });
        throw new Error("rolled back");
      })
      .catch(() => {});
    expect(await db.webhookDelivery.count({ where: { webhookId: hook.webhook.id } })).toBe(0);

    // Staged while the queue hears nothing (deactivated just after, so the worker fails it if it runs first).
    const enqueued: string[] = [];
    const recording = { ...deps, queues: { ...deps.queues, enqueueWebhookDeliveries: async (ids: string[]) => void enqueued.push(...ids) } };
    await db.ticketEvent.create({ data: { ticketId: t.id, type: "PRIORITY_CHANGED", fromValue: "MEDIUM", toValue: "LOW" } });
    const staged = await db.webhookDelivery.findFirstOrThrow({ where: { webhookId: hook.webhook.id } });
    await eventually(async () => ((await db.webhookDelivery.findUniqueOrThrow({ where: { id: staged.id } })).status === "SUCCEEDED" ? true : undefined), "the live delivery");
    await db.webhookDelivery.update({ where: { id: staged.id }, data: { status: "PENDING" } });
    await reconcileWebhookDeliveries(recording, 0);
    expect(enqueued).toContain(staged.id);
  });
});

describe("SSRF guard", () => {
  const refused = [
    "http://127.0.0.1/hook",
    "http://10.0.0.1/hook",
    "http://169.254.169.254/latest/meta-data",
    "http://0x7f000001/",
    "http://2130706433/",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://017700000001/",
    "http://100.64.0.1/",
    "http://[fd00:ec2::254]/",
    "http://0.0.0.0/",
    "http://224.0.0.1/",
  ];

  it.each(refused)("refuses %s when saved (private targets off)", async (url) => {
    const { asAdmin } = await peopleStrict();
    const before = await db.webhook.count();
    await expect(asAdmin.webhook.create({ url, events: ["ticket.created"] })).rejects.toMatchObject({ code: "BAD_REQUEST", cause: { code: "WEBHOOK_TARGET_REFUSED" }, message: expect.stringContaining("direcciones públicas") });
    expect(await db.webhook.count()).toBe(before);
  });

  it("refuses other schemes, credentials and non-standard ports; accepts a public https URL", async () => {
    const policy = strict();
    expect(() => checkTargetUrl("ftp://example.com/", policy)).toThrow("WEBHOOK_URL_INVALID");
    expect(() => checkTargetUrl("file:///etc/passwd", policy)).toThrow("WEBHOOK_URL_INVALID");
    expect(() => checkTargetUrl("https://user:pw@example.com/", policy)).toThrow("WEBHOOK_URL_INVALID");
    expect(() => checkTargetUrl("https://example.com:22/", policy)).toThrow("WEBHOOK_PORT_REFUSED");
    expect(checkTargetUrl("https://example.com:8443/", strict(undefined, [8443])).port).toBe("8443");
    await expect(checkWebhookTarget("https://hooks.example.com/x", policy)).resolves.toBeInstanceOf(URL);
  });

  it("refuses a hostname that resolves to 127.0.0.1, or to any private address among public ones", async () => {
    await expect(checkWebhookTarget("https://evil.example.com/", strict(async () => [{ address: "127.0.0.1", family: 4 }]))).rejects.toThrow("WEBHOOK_TARGET_REFUSED");
    await expect(
      checkWebhookTarget("https://mixed.example.com/", strict(async () => [{ address: "93.184.216.34", family: 4 }, { address: "::1", family: 6 }])),
    ).rejects.toThrow("WEBHOOK_TARGET_REFUSED");
  });

  it("refuses at send a name whose DNS answer changed to 127.0.0.1 after the check: nothing reaches the address", async () => {
    let calls = 0;
    // First answer public (the save), then loopback (the send): a DNS rebinding.
    const rebinding: Resolver = async () => [calls++ === 0 ? { address: "93.184.216.34", family: 4 } : { address: "127.0.0.1", family: 4 }];
    const policy = strict(rebinding, [receiver.port]);
    const { asAdmin, customer } = await peopleStrict(policy);
    const url = `http://rebind.example.test:${receiver.port}/rebind`;
    // This file's worker sends with `localTargets` (every name is loopback, allowed): paused, it cannot
    // deliver the staged delivery before the strict sender below has its turn. Its queued job finds the
    // delivery already FAILED afterwards and skips it.
    await worker.worker.pause();
    let delivery: { id: string };
    let t: { id: string };
    let hook: Awaited<ReturnType<typeof asAdmin.webhook.create>>;
    try {
      hook = await asAdmin.webhook.create({ url, events: ["ticket.created"] });
      t = await (await callerFor(deps, customer.id)).ticket.create({ subject: "Rebinding", description: "x" });
      delivery = await db.webhookDelivery.findFirstOrThrow({ where: { webhookId: hook.webhook.id } });
      const sender = createWebhookSender(policy);
      try {
        expect(await deliverWebhook({ ...deps, sender }, delivery.id, { finalAttempt: false })).toBe("failed");
      } finally {
        sender.close();
      }
    } finally {
      worker.worker.resume();
    }
    const row = await db.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id }, include: { log: true } });
    expect(row.status).toBe("FAILED");
    expect(row.lastError).toBe("WEBHOOK_TARGET_REFUSED");
    expect(row.log.at(-1)).toMatchObject({ statusCode: null, error: "WEBHOOK_TARGET_REFUSED" });
    expect(receiver.received.filter((h) => h.path === "/rebind" && h.json.data?.ticket?.id === t.id)).toHaveLength(0);
    await db.webhook.delete({ where: { id: hook.webhook.id } });
  });

  it("connects to the address the guard checked, with the URL's host name in the Host header", async () => {
    const sender = createWebhookSender({ allowPrivate: true, allowedPorts: [], resolve: async () => [{ address: "127.0.0.1", family: 4 }] });
    try {
      const res = await sender.post(`http://receiver.example.test:${receiver.port}/by-name`, "{}", {});
      expect(res.statusCode).toBe(200);
      expect(receiver.received.find((h) => h.path === "/by-name")!.headers.host).toBe(`receiver.example.test:${receiver.port}`);
    } finally {
      sender.close();
    }
  });

  it("keeps one connection alive per target: the guard resolves and checks once per connection, not once per send", async () => {
    const connections: string[] = [];
    const server = http.createServer((req, res) => req.resume().on("end", () => res.end("ok")));
    server.on("connection", (socket) => connections.push(String(socket.remotePort)));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    let lookups = 0;
    const sender = createWebhookSender({ allowPrivate: true, allowedPorts: [], resolve: async () => (lookups++, [{ address: "127.0.0.1", family: 4 }]) });
    try {
      for (let i = 0; i < 5; i++) expect((await sender.post(`http://kept.example.test:${port}/k`, "{}", {})).statusCode).toBe(200);
      expect(connections).toHaveLength(1);
      expect(lookups).toBe(1);
    } finally {
      sender.close();
      server.closeAllConnections();
      server.close();
    }
  });

  it("allows private targets only by an explicit setting, refused in production", () => {
    const base = { NEXTAUTH_SECRET: "a-long-enough-secret-for-tests-123456" };
    expect(parseEnv(base).env?.WEBHOOKS_ALLOW_PRIVATE_TARGETS).toBe(false);
    expect(parseEnv({ ...base, WEBHOOKS_ALLOW_PRIVATE_TARGETS: "1" }).env?.WEBHOOKS_ALLOW_PRIVATE_TARGETS).toBe(true);
    const prod = parseEnv({ ...base, NODE_ENV: "production", WEBHOOKS_ALLOW_PRIVATE_TARGETS: "1", PUBLIC_URL: "https://soporte.example.com" });
    expect(prod.problems?.some((p) => p.startsWith("WEBHOOKS_ALLOW_PRIVATE_TARGETS"))).toBe(true);
    const prodNoUrl = parseEnv({ ...base, NODE_ENV: "production", WEBHOOKS_ALLOW_PRIVATE_TARGETS: "1" });
    expect(prodNoUrl.problems?.some((p) => p.startsWith("WEBHOOKS_ALLOW_PRIVATE_TARGETS"))).toBe(true);
    // A production build served on loopback only (the browser tests) may use a local receiver.
    const local = parseEnv({ ...base, NODE_ENV: "production", WEBHOOKS_ALLOW_PRIVATE_TARGETS: "1", PUBLIC_URL: "http://127.0.0.1:4000" });
    expect(local.problems?.some((p) => p.startsWith("WEBHOOKS_ALLOW_PRIVATE_TARGETS")) ?? false).toBe(false);
    expect(parseEnv({ ...base, WEBHOOKS_ALLOWED_PORTS: "8443, 9000" }).env?.WEBHOOKS_ALLOWED_PORTS).toEqual([8443, 9000]);
    expect(parseEnv({ ...base, WEBHOOKS_ALLOWED_PORTS: "99999" }).problems?.[0]).toMatch(/^WEBHOOKS_ALLOWED_PORTS/);
  });
});

/** Callers on deps whose SSRF guard is as in production (public targets only). */
async function peopleStrict(targets: TargetPolicy = strict()) {
  const strictDeps = { ...deps, webhooks: { targets } };
  const [admin, customer] = await Promise.all([makeUser("ADMIN"), makeUser("CUSTOMER")]);
  return { customer, asAdmin: await callerFor(strictDeps, admin.id) };
}

describe("who may manage webhooks", () => {
  it("customers and agents are refused every procedure; an admin may use each, and every change is audited without the secret", async () => {
    const { admin, asAdmin, asAgent, asCustomer } = await people();
    const made = await asAdmin.webhook.create({ url: receiver.url("/authz"), events: ["ticket.created"], description: "CRM" });
    const t = await asCustomer.ticket.create({ subject: "Permisos", description: "x" });
    const delivery = await eventually(async () => (await db.webhookDelivery.findFirst({ where: { webhookId: made.webhook.id } })) ?? undefined, "a delivery");
    const id = made.webhook.id;
    const calls = (c: typeof asAdmin) => [
      () => c.webhook.list(),
      () => c.webhook.create({ url: receiver.url("/authz2"), events: ["ticket.created"] }),
      () => c.webhook.update({ id, active: false }),
      () => c.webhook.rotateSecret({ id }),
      () => c.webhook.deliveries({ webhookId: id }),
      () => c.webhook.redeliver({ deliveryId: delivery.id }),
      () => c.webhook.delete({ id }),
    ];
    for (const caller of [asCustomer, asAgent]) {
      for (const call of calls(caller)) await expect(call()).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    expect(await db.webhook.findUniqueOrThrow({ where: { id } })).toMatchObject({ active: true });
    const results = [];
    for (const call of calls(asAdmin)) results.push(await call());
    expect(results).toHaveLength(7);
    const list = results[0] as Awaited<ReturnType<typeof asAdmin.webhook.list>>;
    expect(JSON.stringify(list)).not.toContain("whsec_");
    expect(JSON.stringify(list)).not.toContain("secretSealed");
    const rotated = results[3] as { secret: string };
    expect(rotated.secret).not.toBe(made.secret);

    const audit = await db.auditLog.findMany({ where: { entityType: "webhook", entityId: id }, orderBy: { createdAt: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["webhook.create", "webhook.update", "webhook.rotate_secret", "webhook.redeliver", "webhook.delete"]);
    expect(audit.every((a) => a.actorId === admin.id)).toBe(true);
    expect(audit[1]).toMatchObject({ before: { active: true }, after: { active: false } });
    const text = JSON.stringify(audit);
    expect(text).not.toContain(made.secret);
    expect(text).not.toContain(rotated.secret);
    expect(hooksFor(t.id, "/authz").length).toBeGreaterThanOrEqual(0);
  });

  it("edits a webhook's URL, events and active switch: the URL checked again by the SSRF guard, each change audited", async () => {
    const admin = await makeUser("ADMIN");
    const strictDeps = { ...deps, webhooks: { targets: strict() } };
    const asAdmin = await callerFor(strictDeps, admin.id);
    const made = await asAdmin.webhook.create({ url: "https://crm.example.com/hook", events: ["ticket.created"] });
    const id = made.webhook.id;

    // A private target is refused at save, as at creation: nothing changes, nothing is audited.
    for (const url of ["http://127.0.0.1/hook", "http://169.254.169.254/latest", "http://2130706433/"]) {
      await expect(asAdmin.webhook.update({ id, url })).rejects.toMatchObject({ code: "BAD_REQUEST", cause: { code: "WEBHOOK_TARGET_REFUSED" } });
    }
    await expect(asAdmin.webhook.update({ id, events: [] })).rejects.toMatchObject({ code: "BAD_REQUEST", message: "Elija al menos un evento." });
    // A name that resolves inside is refused too (the guard resolves it at save).
    const inside = await callerFor({ ...deps, webhooks: { targets: strict(async () => [{ address: "10.0.0.1", family: 4 }]) } }, admin.id);
    await expect(inside.webhook.update({ id, url: "https://intranet.example.com/hook" })).rejects.toMatchObject({ cause: { code: "WEBHOOK_TARGET_REFUSED" } });
    expect(await db.webhook.findUniqueOrThrow({ where: { id } })).toMatchObject({ url: "https://crm.example.com/hook", events: ["ticket.created"], active: true });

    const saved = await asAdmin.webhook.update({ id, url: "https://crm2.example.com/v2", events: ["ticket.updated", "message.created"], active: false, description: "CRM nuevo" });
    expect(saved).toMatchObject({ url: "https://crm2.example.com/v2", events: ["ticket.updated", "message.created"], active: false, description: "CRM nuevo" });
    // Saving the same values again changes nothing and audits nothing.
    await asAdmin.webhook.update({ id, url: "https://crm2.example.com/v2", events: ["ticket.updated", "message.created"], active: false });

    const audit = await db.auditLog.findMany({ where: { entityType: "webhook", entityId: id }, orderBy: { createdAt: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["webhook.create", "webhook.update"]);
    expect(audit[1]).toMatchObject({
      actorId: admin.id,
      before: { url: "https://crm.example.com/hook", events: ["ticket.created"], active: true, description: "" },
      after: { url: "https://crm2.example.com/v2", events: ["ticket.updated", "message.created"], active: false, description: "CRM nuevo" },
    });
    expect(JSON.stringify(audit)).not.toContain(made.secret);
    await db.webhook.delete({ where: { id } });
  });

  it("refuses an event selection that is empty or unknown, and a missing webhook, with localized errors", async () => {
    const { asAdmin } = await people();
    await expect(asAdmin.webhook.create({ url: receiver.url("/x"), events: [] })).rejects.toMatchObject({ code: "BAD_REQUEST", message: "Elija al menos un evento." });
    await expect(asAdmin.webhook.create({ url: receiver.url("/x"), events: ["ticket.deleted" as "ticket.created"] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(asAdmin.webhook.update({ id: "nope", active: false })).rejects.toMatchObject({ code: "NOT_FOUND", message: "Ese webhook no existe." });
    await expect(asAdmin.webhook.redeliver({ deliveryId: "nope" })).rejects.toMatchObject({ code: "NOT_FOUND", message: "Ese envío no existe." });
    const english = await callerFor(deps, (await makeUser("ADMIN")).id, { locale: "en" });
    await expect(english.webhook.create({ url: "ftp://example.com/", events: ["ticket.created"] })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("full address") });
    expect(await db.webhook.count({ where: { url: { startsWith: "ftp:" } } })).toBe(0);
  });
});

export type { ReceivedHook };
