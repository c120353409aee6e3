// Issue 12, item 7: structured logs (request id, user id; never secrets) and a Prometheus /metrics
// endpoint behind a bearer token.
import { transformer } from "~/shared/transformer";
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { Queue } from "bullmq";
import { io as connectSocket, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env, parseEnv } from "~/env";
import { startServer, type RunningServer } from "~/server/http/create-server";
import { createRedis } from "~/server/redis";
import { createInboundSmtpServer } from "~/server/adapters/smtp-server/inbound-smtp-server";
import { createLogger } from "~/server/observability/logger";
import { countMailIntake, createMetrics } from "~/server/observability/metrics";
import { db, makeUser, sessionCookie, testDeps } from "./support/fixtures";
import { lineLogger } from "./support/capture-log";
import { SUPPORT, mailbox, sendRaw } from "./support/inbound-mail";
import { useTempStore } from "./support/temp-store";
import { uniq } from "./support/uniq";
import { eventually } from "./support/wait";

const token = randomBytes(32).toString("base64url");
const logLines: string[] = [];
let server: RunningServer;
let disabled: RunningServer;
const sockets: Socket[] = [];
// TRUST_PROXY: each test speaks from its own address (X-Forwarded-For), so the failure budgets do not mix.
const from = (ip: string) => ({ "x-forwarded-for": ip });

beforeAll(async () => {
  const base = { ...env, PORT: 0, HOST: "127.0.0.1", TRUST_PROXY: true };
  server = await startServer({ env: { ...base, METRICS_TOKEN: token }, log: lineLogger((line) => logLines.push(line)) });
  disabled = await startServer({ env: { ...base, METRICS_TOKEN: undefined } });
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await server?.close();
  await disabled?.close();
});

const scrape = (target: RunningServer, headers: Record<string, string>) => fetch(`${target.url}/metrics`, { headers });

describe("/metrics", () => {
  it("is disabled (404, no metrics) while METRICS_TOKEN is unset", async () => {
    const res = await scrape(disabled, { authorization: `Bearer ${token}`, ...from("10.61.0.1") });
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain("http_request_duration_seconds");
  });

  it("answers 401 without metrics to a missing, wrong or non-bearer token", async () => {
    for (const authorization of [undefined, `Bearer ${token}x`, `Bearer ${token.slice(0, -1)}`, `Basic ${token}`, "Bearer "]) {
      const res = await scrape(server, { ...(authorization ? { authorization } : {}), ...from("10.62.0.1") });
      expect(res.status, authorization).toBe(401);
      expect(await res.text(), authorization).not.toMatch(/# HELP|process_cpu/);
    }
  });

  it("locks an address out after its budget of wrong tokens, even for the right one afterwards", async () => {
    for (let i = 0; i < 20; i++) expect((await scrape(server, { authorization: "Bearer guess", ...from("10.63.0.1") })).status).toBe(401);
    const locked = await scrape(server, { authorization: `Bearer ${token}`, ...from("10.63.0.1") });
    expect(locked.status).toBe(429);
    expect(await locked.text()).not.toContain("# HELP");
    // Another address with the right token is not affected.
    expect((await scrape(server, { authorization: `Bearer ${token}`, ...from("10.63.0.2") })).status).toBe(200);
  });

  it("with the token: latency per tRPC procedure, queue depths and ages per queue, sockets connected", async () => {
    const user = await makeUser("AGENT");
    const cookie = await sessionCookie(user.id);
    expect((await fetch(`${server.url}/api/trpc/user.me`, { headers: { cookie } })).status).toBe(200);
    const input = encodeURIComponent(JSON.stringify({ 0: transformer.serialize(undefined), 1: transformer.serialize({}) }));
    expect((await fetch(`${server.url}/api/trpc/user.me,ticket.list?batch=1&input=${input}`, { headers: { cookie } })).status).toBe(200);
    const socket = connectSocket(server.url, { path: "/socket.io", transports: ["websocket"], extraHeaders: { cookie }, reconnection: false, forceNew: true });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("connect_error", reject));

    const res = await scrape(server, { authorization: `Bearer ${token}`, ...from("10.64.0.1") });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const text = await res.text();
    const count = (route: string) => Number(new RegExp(`^http_request_duration_seconds_count\\{method="GET",route="${route}",status="2xx"\\} (\\d+)$`, "m").exec(text)?.[1]);
    expect(count("user.me")).toBe(2);
    expect(count("ticket.list")).toBe(1);
    for (const queue of ["notifications", "inbound-mail", "kb-index"]) {
      for (const state of ["waiting", "active", "delayed", "failed"]) expect(text).toMatch(new RegExp(`^bullmq_queue_jobs\\{queue="${queue}",state="${state}"\\} \\d+$`, "m"));
      expect(text).toMatch(new RegExp(`^bullmq_queue_oldest_waiting_seconds\\{queue="${queue}"\\} [\\d.]+$`, "m"));
    }
    expect(text).toMatch(/^sockets_connected 1$/m);
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
  });

  it("labels unknown tRPC paths as one route, so a client cannot mint time series", async () => {
    await fetch(`${server.url}/api/trpc/no.such${uniq()}`);
    const text = await (await scrape(server, { authorization: `Bearer ${token}`, ...from("10.65.0.1") })).text();
    expect(text).toMatch(/route="trpc\.unknown"/);
    expect(text).not.toMatch(/route="no\.such/);
  });
});

describe("queue metrics", () => {
  it("give each queue's jobs per state and the age of its oldest waiting job", async () => {
    const redis = createRedis("producer", env.REDIS_URL);
    const queue = new Queue(`probe-${uniq()}`, { connection: redis, prefix: `${env.REDIS_PREFIX}:probe` });
    try {
      await queue.add("old", {}, { timestamp: Date.now() - 90_000 });
      await queue.add("new", {});
      const text = await createMetrics({ queues: [queue] }).registry.metrics();
      expect(text).toContain(`bullmq_queue_jobs{queue="${queue.name}",state="waiting"} 2`);
      expect(Number(new RegExp(`^bullmq_queue_oldest_waiting_seconds\\{queue="${queue.name}"\\} ([\\d.]+)$`, "m").exec(text)?.[1])).toBeGreaterThanOrEqual(90);
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
      redis.disconnect();
    }
  });
});

describe("mail intake counters", () => {
  const temp = useTempStore("observability");

  it("count SMTP mail received and refused, by reason", async () => {
    const metrics = createMetrics();
    const { deps } = testDeps();
    const smtp = createInboundSmtpServer({ db, clock: deps.clock, store: temp.store, mailbox, enqueue: async () => {}, maxMessageBytes: 1024 * 1024, maxAttachmentBytes: 512 * 1024, ...countMailIntake(metrics, "smtp") });
    const port = await new Promise<number>((resolve) => smtp.listen(0, "127.0.0.1", () => resolve((smtp.server.address() as AddressInfo).port)));
    try {
      const raw = `From: a@cliente.test\r\nTo: ${SUPPORT}\r\nSubject: hola ${uniq()}\r\nMessage-ID: <${uniq()}@cliente.test>\r\n\r\nHola\r\n`;
      expect((await sendRaw(port, { from: "a@cliente.test", to: [SUPPORT] }, raw)).code).toBe(250);
      expect((await sendRaw(port, { from: "a@cliente.test", to: ["nadie@ventanilla.test"] }, raw)).ok).toBe(false);
      const text = await metrics.registry.metrics();
      expect(text).toMatch(/^mails_received_total\{channel="smtp"\} 1$/m);
      expect(text).toMatch(/^mails_refused_total\{channel="smtp",reason="unknown-recipient"\} 1$/m);
    } finally {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    }
  });
});

describe("logs", () => {
  it("one line per /api request with its request id (echoed as x-request-id), path without query, status and user", async () => {
    const user = await makeUser("CUSTOMER");
    const res = await fetch(`${server.url}/api/trpc/user.me?secret=q`, { headers: { cookie: await sessionCookie(user.id), "x-request-id": "abc-123.DEF" } });
    expect(res.headers.get("x-request-id")).toBe("abc-123.DEF");
    const line = await eventually(async () => logLines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.reqId === "abc-123.DEF" && l.msg === "request"), "the request's log line");
    expect(line).toMatchObject({ level: 30, method: "GET", path: "/api/trpc/user.me", status: 200, userId: user.id });
    expect(typeof line.ms).toBe("number");
  });

  it("a request id that is not a short plain token is replaced by a fresh one; none sent, one is made", async () => {
    for (const sent of ["a b", "x".repeat(65), "<script>", undefined]) {
      const res = await fetch(`${server.url}/api/health`, { headers: sent ? { "x-request-id": sent } : {} });
      expect(res.headers.get("x-request-id"), sent).toMatch(/^[0-9a-f-]{36}$/);
    }
    const a = (await fetch(`${server.url}/api/health`)).headers.get("x-request-id");
    expect(a).not.toBe((await fetch(`${server.url}/api/health`)).headers.get("x-request-id"));
  });

  it("never print a cookie, an authorization header, a password or a mail's text", async () => {
    const lines: string[] = [];
    const log = lineLogger((l) => lines.push(l));
    const cookie = `next-auth.session-token=${uniq()}cookie`;
    const bearer = `Bearer ${uniq()}bearer`;
    const password = `${uniq()}-contraseña`;
    const mailText = `${uniq()} texto del correo`;
    log.info({ req: { headers: { cookie, authorization: bearer } }, headers: { cookie, "set-cookie": cookie, authorization: bearer } }, "incoming");
    log.warn({ password, input: { password, newPassword: password }, cookie, authorization: bearer }, "sign-in");
    log.error({ mail: { text: mailText, html: `<p>${mailText}</p>`, raw: mailText }, body: mailText }, "mail");
    createLogger({ LOG_LEVEL: "info", NODE_ENV: "test" }, { destination: { write: (l: string) => void lines.push(l) } }).child({ password }).info("child");
    expect(lines).toHaveLength(4);
    for (const secret of [cookie, bearer, password, mailText]) expect(lines.join("\n")).not.toContain(secret);
    expect(lines.join("\n")).toContain("[redacted]");

    // Nor does the server's own log, with a cookie, a bearer token and a password going by.
    await fetch(`${server.url}/api/trpc/user.me`, { headers: { cookie, authorization: bearer } });
    await fetch(`${server.url}/api/trpc/invitation.accept`, { method: "POST", headers: { cookie, "content-type": "application/json" }, body: JSON.stringify(transformer.serialize({ token: "x".repeat(43), password })) });
    await eventually(async () => logLines.some((l) => l.includes("/api/trpc/invitation.accept")) || undefined, "the request's log line");
    for (const secret of [cookie, bearer, password]) expect(logLines.join("\n")).not.toContain(secret);
  });
});

describe("METRICS_TOKEN", () => {
  const production = (token: string | undefined) =>
    parseEnv({ NODE_ENV: "production", NEXTAUTH_SECRET: randomBytes(32).toString("base64url"), MAIL_SECRETS_KEY: randomBytes(32).toString("base64url"), METRICS_TOKEN: token });

  it("is optional, and production refuses a short, placeholder or published one", () => {
    expect(production(undefined).env?.METRICS_TOKEN).toBeUndefined();
    expect(production(randomBytes(32).toString("base64url")).env).toBeDefined();
    expect(production("x".repeat(20)).problems?.join()).toMatch(/^METRICS_TOKEN is shorter than 32/);
    expect(production("please-change-me-this-is-the-secret-01").problems?.join()).toMatch(/METRICS_TOKEN looks like a placeholder/);
    expect(parseEnv({ NODE_ENV: "test", NEXTAUTH_SECRET: randomBytes(32).toString("base64url"), METRICS_TOKEN: "change-me-to-a-long-random-string" }).problems?.join()).toMatch(
      /METRICS_TOKEN is a value published in the repository/,
    );
  });
});
