// The integration API (/api/v1) end to end: the real HTTP server (startServer), real tokens made by
// the use-cases, PostgreSQL and Redis. The OpenAPI document is validated, then walked: every path
// and method it documents is called with a valid token and must answer as documented.
import { randomUUID } from "node:crypto";
import SwaggerParser from "@apidevtools/swagger-parser";
import Ajv2020 from "ajv/dist/2020";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "~/env";
import { fixedClock } from "~/server/clock";
import { startServer, type RunningServer } from "~/server/http/create-server";
import type { Actor } from "~/server/modules/actor";
import { createPersonalToken, createServiceToken, revokeToken } from "~/server/modules/api-tokens/manage-tokens";
import { createTicket } from "~/server/modules/tickets/create-ticket";
import { db, makeUser } from "./support/fixtures";

const clock = fixedClock(new Date());
let server: RunningServer;
let admin: Actor;
let agent: Actor;
let customer: Actor;
let adminWrite: string;
let agentRead: string;
let agentWrite: string;
let ticketNumber: number;
let orgId: string;
let article: { language: string; slug: string };
const tag = randomUUID().slice(0, 8);

const actorOf = (u: { id: string; role: Actor["role"] }): Actor => ({ id: u.id, role: u.role, locale: "es" });

async function call(method: string, path: string, token: string | null, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}/api/v1${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

beforeAll(async () => {
  server = await startServer({ env: { ...env, PORT: 0, HOST: "127.0.0.1", RATE_LIMIT_API_PER_MINUTE: 10_000 }, clock });
  const deps = server.deps;
  const org = await db.organization.create({ data: { name: `Org ${tag}`, domains: { create: { domain: `org-${tag}.test` } } } });
  orgId = org.id;
  admin = actorOf(await makeUser("ADMIN"));
  agent = actorOf(await makeUser("AGENT"));
  const c = await makeUser("CUSTOMER");
  await db.user.update({ where: { id: c.id }, data: { organizationId: org.id } });
  customer = actorOf(c);
  adminWrite = (await createPersonalToken(deps, admin, { name: "admin write", scope: "WRITE", expiresInDays: null })).secret;
  agentRead = (await createPersonalToken(deps, agent, { name: "agent read", scope: "READ", expiresInDays: 30 })).secret;
  agentWrite = (await createPersonalToken(deps, agent, { name: "agent write", scope: "WRITE", expiresInDays: null })).secret;
  ticketNumber = (await createTicket(deps, customer, { subject: `API ${tag}`, description: "No puedo entrar." })).number;
  const a = await db.article.create({ data: { slug: `api-${tag}`, translationKey: `api-${tag}`, title: "Usar la API", bodyMarkdown: "Texto **aquí**.", state: "PUBLISHED" } });
  article = { language: a.language, slug: a.slug };
});

afterAll(async () => {
  await server?.close();
});

describe("the OpenAPI document", () => {
  it("is served at /api/v1/openapi.json without a token and validates", async () => {
    const res = await call("GET", "/openapi.json", null);
    expect(res.status).toBe(200);
    const doc = res.body as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\.1/);
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/tickets", "/tickets/{number}", "/tickets/{number}/replies", "/users", "/organizations", "/kb/articles"]));
  });

  it("every documented route answers as documented with a valid token", async () => {
    const doc = (await call("GET", "/openapi.json", null)).body as {
      paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>;
      components: { schemas: Record<string, unknown> };
    };
    // A valid request for each operation; a route added without one here fails this test.
    const fixtures: Record<string, () => { path: string; body?: unknown; headers?: Record<string, string> }> = {
      "GET /tickets": () => ({ path: "/tickets?status=OPEN&status=IN_PROGRESS&limit=5" }),
      "POST /tickets": () => ({ path: "/tickets", body: { subject: `Desde la API ${tag}`, description: "Abierto por una integración.", requesterEmail: `nuevo-${tag}@example.test` }, headers: { "idempotency-key": randomUUID() } }),
      "GET /tickets/{number}": () => ({ path: `/tickets/${ticketNumber}` }),
      "PATCH /tickets/{number}": () => ({ path: `/tickets/${ticketNumber}`, body: { priority: "HIGH", assigneeId: agent.id, status: "IN_PROGRESS" } }),
      "POST /tickets/{number}/replies": () => ({ path: `/tickets/${ticketNumber}/replies`, body: { body: "Lo estamos mirando." } }),
      "GET /users": () => ({ path: `/users?organizationId=${orgId}` }),
      "GET /users/me": () => ({ path: "/users/me" }),
      "GET /users/{id}": () => ({ path: `/users/${customer.id}` }),
      "GET /organizations": () => ({ path: "/organizations?limit=10" }),
      "GET /organizations/{id}": () => ({ path: `/organizations/${orgId}` }),
      "GET /kb/articles": () => ({ path: "/kb/articles?q=api" }),
      "GET /kb/articles/{language}/{slug}": () => ({ path: `/kb/articles/${article.language}/${article.slug}` }),
      "GET /tokens": () => ({ path: "/tokens" }),
    };
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    ajv.addSchema({ $id: "doc", components: doc.components });
    const walked: string[] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const name = `${method.toUpperCase()} ${path}`;
        const fixture = fixtures[name];
        expect(fixture, `a request for ${name}`).toBeDefined();
        const req = fixture!();
        const res = await call(method.toUpperCase(), req.path, adminWrite, req.body, req.headers);
        expect(res.status, `${name}: ${JSON.stringify(res.body).slice(0, 300)}`).toBe(200);
        expect(res.headers.get("ratelimit-limit")).toBe("10000");
        const schema = JSON.parse(JSON.stringify(op.responses["200"]!.content!["application/json"]!.schema).replaceAll('"#/components', '"doc#/components'));
        const validate = ajv.compile(schema);
        expect(validate(res.body), `${name}: ${ajv.errorsText(validate.errors)}`).toBe(true);
        walked.push(name);
      }
    }
    expect(walked.sort()).toEqual(Object.keys(fixtures).sort());
  });

  it("errors have the documented error shape, in the token user's language", async () => {
    const res = await call("GET", "/tickets/2147483000", agentRead);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: "NOT_FOUND", appCode: "TICKET_NOT_FOUND", message: expect.stringMatching(/ticket/i) });
    const bad = await call("POST", "/tickets", agentWrite, { subject: "", description: "x" });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: "BAD_REQUEST", appCode: "VALIDATION", fieldErrors: { subject: [expect.any(String)] } });
    expect(JSON.stringify(bad.body)).not.toMatch(/stack|at \w+ \(/);
  });
});

describe("tokens", () => {
  it("refuses a request without a token, with an unknown one, or malformed", async () => {
    for (const token of [null, "vnt_nope", "nonsense"]) {
      const res = await call("GET", "/tickets", token, undefined, { "x-forwarded-for": "203.0.113.9" });
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(res.body).toMatchObject({ code: "UNAUTHORIZED", appCode: "API_TOKEN_INVALID" });
    }
  });

  it("a read token reads but cannot write; a write token can", async () => {
    expect((await call("GET", "/tickets", agentRead)).status).toBe(200);
    const refused = await call("POST", "/tickets", agentRead, { subject: "No", description: "No debería crearse." });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ appCode: "API_TOKEN_READ_ONLY" });
    const patched = await call("PATCH", `/tickets/${ticketNumber}`, agentRead, { priority: "LOW" });
    expect(patched.status).toBe(403);
    expect((await call("POST", `/tickets/${ticketNumber}/replies`, agentWrite, { body: "Escrito con un token de escritura." })).status).toBe(200);
  });

  it("a revoked token is refused at once", async () => {
    const made = await createPersonalToken(server.deps, agent, { name: "to revoke", scope: "READ", expiresInDays: null });
    expect((await call("GET", "/users/me", made.secret)).status).toBe(200);
    await revokeToken(server.deps, agent, { id: made.id });
    expect((await call("GET", "/users/me", made.secret)).status).toBe(401);
    const audit = await db.auditLog.findMany({ where: { entityType: "apiToken", entityId: made.id }, orderBy: { createdAt: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["apiToken.create", "apiToken.revoke"]);
    expect(JSON.stringify(audit)).not.toContain(made.secret);
  });

  it("an expired token is refused (controlled clock)", async () => {
    const made = await createPersonalToken(server.deps, agent, { name: "a week", scope: "READ", expiresInDays: 7 });
    expect((await call("GET", "/users/me", made.secret)).status).toBe(200);
    clock.advance(7 * 86_400_000 + 1000);
    try {
      expect((await call("GET", "/users/me", made.secret)).status).toBe(401);
      // A token made for 30 days still works.
      expect((await call("GET", "/users/me", agentRead)).status).toBe(200);
    } finally {
      clock.advance(-(7 * 86_400_000 + 1000));
    }
  });

  it("stores only a hash, and notes the last use at most once a minute", async () => {
    const made = await createPersonalToken(server.deps, agent, { name: "last use", scope: "READ", expiresInDays: null });
    const row = await db.apiToken.findUniqueOrThrow({ where: { id: made.id } });
    expect(row.secretHash).not.toContain(made.secret);
    expect(made.secret.startsWith(row.prefix)).toBe(true);
    expect(row.lastUsedAt).toBeNull();
    await call("GET", "/users/me", made.secret);
    await expect.poll(async () => (await db.apiToken.findUniqueOrThrow({ where: { id: made.id } })).lastUsedAt?.getTime()).toBe(clock.now().getTime());
    const first = clock.now().getTime();
    clock.advance(10_000);
    await call("GET", "/users/me", made.secret);
    clock.advance(-10_000);
    expect((await db.apiToken.findUniqueOrThrow({ where: { id: made.id } })).lastUsedAt?.getTime()).toBe(first);
  });

  it("acts with its user's role: an agent's token cannot do admin things; customers hold none; a demoted user's token stops", async () => {
    expect((await call("GET", "/tokens", adminWrite)).status).toBe(200);
    const refused = await call("GET", "/tokens", agentWrite);
    expect(refused.status).toBe(403);
    await expect(createPersonalToken(server.deps, customer, { name: "mine", scope: "READ", expiresInDays: null })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(createServiceToken(server.deps, agent, { name: "svc", scope: "READ", expiresInDays: null, userId: agent.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(createServiceToken(server.deps, admin, { name: "svc", scope: "READ", expiresInDays: null, userId: customer.id })).rejects.toMatchObject({ code: "API_TOKEN_USER_INVALID" });
    const other = await makeUser("AGENT");
    const made = await createPersonalToken(server.deps, actorOf(other), { name: "before demotion", scope: "READ", expiresInDays: null });
    expect((await call("GET", "/users/me", made.secret)).status).toBe(200);
    await db.user.update({ where: { id: other.id }, data: { role: "CUSTOMER" } });
    expect((await call("GET", "/users/me", made.secret)).status).toBe(401);
  });

  it("a service token acts as the service user an admin named", async () => {
    const svcUser = await makeUser("AGENT", { name: `CRM ${tag}` });
    const made = await createServiceToken(server.deps, admin, { name: "CRM", scope: "READ", expiresInDays: null, userId: svcUser.id });
    const me = await call("GET", "/users/me", made.secret);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: svcUser.id, role: "AGENT" });
    const row = await db.apiToken.findUniqueOrThrow({ where: { id: made.id } });
    expect(row).toMatchObject({ kind: "SERVICE", userId: svcUser.id, createdById: admin.id });
  });
});

describe("idempotent creates", () => {
  it("a retry with the same key returns the first answer and opens no second ticket", async () => {
    const key = randomUUID();
    const body = { subject: `Idempotente ${tag}`, description: "Una sola vez." };
    const first = await call("POST", "/tickets", agentWrite, body, { "idempotency-key": key });
    expect(first.status).toBe(200);
    const again = await Promise.all([1, 2, 3].map(() => call("POST", "/tickets", agentWrite, body, { "idempotency-key": key })));
    for (const r of again) {
      expect(r.status).toBe(200);
      expect(r.body).toEqual(first.body);
      expect(r.headers.get("idempotent-replayed")).toBe("true");
    }
    expect(await db.ticket.count({ where: { subject: body.subject } })).toBe(1);
  });

  it("concurrent first requests with one key open one ticket", async () => {
    const key = randomUUID();
    const body = { subject: `Concurrente ${tag}`, description: "Dos a la vez." };
    const answers = await Promise.all([1, 2, 3, 4].map(() => call("POST", "/tickets", agentWrite, body, { "idempotency-key": key })));
    expect(answers.every((a) => a.status === 200 || a.status === 409)).toBe(true);
    expect(answers.some((a) => a.status === 200)).toBe(true);
    expect(await db.ticket.count({ where: { subject: body.subject } })).toBe(1);
  });

  it("the same key with another body is refused; keys are per token; a key expires", async () => {
    const key = randomUUID();
    const a = await call("POST", "/tickets", agentWrite, { subject: `Clave ${tag}`, description: "Primera." }, { "idempotency-key": key });
    expect(a.status).toBe(200);
    const b = await call("POST", "/tickets", agentWrite, { subject: `Clave ${tag}`, description: "Otra distinta." }, { "idempotency-key": key });
    expect(b.status).toBe(422);
    expect(b.body).toMatchObject({ appCode: "IDEMPOTENCY_KEY_REUSED" });
    const c = await call("POST", "/tickets", adminWrite, { subject: `Clave ${tag}`, description: "Primera." }, { "idempotency-key": key });
    expect(c.status).toBe(200);
    expect(c.body).not.toEqual(a.body);
    clock.advance(25 * 3_600_000);
    try {
      const d = await call("POST", "/tickets", agentWrite, { subject: `Clave ${tag}`, description: "Primera." }, { "idempotency-key": key });
      expect(d.status).toBe(200);
      expect(d.headers.get("idempotent-replayed")).toBeNull();
      expect(d.body).not.toEqual(a.body);
    } finally {
      clock.advance(-25 * 3_600_000);
    }
    expect(await db.ticket.count({ where: { subject: `Clave ${tag}` } })).toBe(3);
  });

  it("a first request that never answered (its process died) frees its key after five minutes", async () => {
    const key = randomUUID();
    const body = { subject: `Huérfana ${tag}`, description: "El proceso murió." };
    const token = await db.apiToken.findFirstOrThrow({ where: { userId: agent.id, name: "agent write" } });
    await db.apiIdempotencyKey.create({ data: { tokenId: token.id, key, route: "POST /tickets", requestHash: "x", createdAt: clock.now(), expiresAt: new Date(clock.now().getTime() + 86_400_000) } });
    expect((await call("POST", "/tickets", agentWrite, body, { "idempotency-key": key })).status).toBe(422);
    await db.apiIdempotencyKey.updateMany({ where: { tokenId: token.id, key }, data: { requestHash: (await import("~/server/modules/api-tokens/idempotency")).requestHash("POST /tickets", JSON.stringify(body)) } });
    expect((await call("POST", "/tickets", agentWrite, body, { "idempotency-key": key })).status).toBe(409);
    clock.advance(5 * 60_000);
    try {
      expect((await call("POST", "/tickets", agentWrite, body, { "idempotency-key": key })).status).toBe(200);
    } finally {
      clock.advance(-5 * 60_000);
    }
    expect(await db.ticket.count({ where: { subject: body.subject } })).toBe(1);
  });

  it("a refused first request is kept as its answer too (validation), never a 5xx", async () => {
    const key = randomUUID();
    const first = await call("POST", "/tickets", agentWrite, { subject: "", description: "x" }, { "idempotency-key": key });
    expect(first.status).toBe(400);
    const again = await call("POST", "/tickets", agentWrite, { subject: "", description: "x" }, { "idempotency-key": key });
    expect(again.status).toBe(400);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
  });
});

describe("cursor pagination", () => {
  it("walks every ticket of a filter once, in order, without duplicates", async () => {
    const requester = await makeUser("CUSTOMER");
    const made: number[] = [];
    for (let i = 0; i < 7; i++) {
      made.push((await createTicket(server.deps, actorOf(requester), { subject: `Página ${tag} ${i}`, description: "x", priority: "LOW" })).number);
      clock.advance(1000);
    }
    clock.advance(-7000);
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = `/tickets?priority=LOW&order=newest&limit=3${cursor ? `&cursor=${cursor}` : ""}`;
      const res = await call("GET", q, agentRead);
      expect(res.status).toBe(200);
      const page = res.body as { items: Array<{ number: number; requester: { id: string } }>; nextCursor: string | null };
      seen.push(...page.items.filter((t) => t.requester.id === requester.id).map((t) => t.number));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 1000);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual([...made].reverse());
  });

  it("pages users without duplicates", async () => {
    const ids = new Set<string>();
    let cursor: string | null = null;
    let total = 0;
    do {
      const res = await call("GET", `/users?organizationId=${orgId}&limit=1${cursor ? `&cursor=${cursor}` : ""}`, agentRead);
      const page = res.body as { items: Array<{ id: string }>; nextCursor: string | null };
      for (const u of page.items) ids.add(u.id);
      total += page.items.length;
      cursor = page.nextCursor;
    } while (cursor);
    expect(total).toBe(ids.size);
    expect([...ids]).toEqual([customer.id]);
  });
});

describe("rate limits", () => {
  it("a token over its budget is refused with Retry-After; failures from one address are limited", async () => {
    const limited = await startServer({ env: { ...env, PORT: 0, HOST: "127.0.0.1", RATE_LIMIT_API_PER_MINUTE: 3, TRUST_PROXY: true }, clock });
    try {
      const made = await createPersonalToken(server.deps, agent, { name: "budget", scope: "READ", expiresInDays: null });
      const get = (headers: Record<string, string> = {}, token: string | null = made.secret) =>
        fetch(`${limited.url}/api/v1/users/me`, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await get());
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 429]);
      expect(answers.map((r) => r.headers.get("ratelimit-remaining"))).toEqual(["2", "1", "0", "0"]);
      expect(Number(answers[3]!.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(await answers[3]!.json()).toMatchObject({ code: "TOO_MANY_REQUESTS", appCode: "API_RATE_LIMITED" });

      // 30 wrong tokens from one address lock it; another address is not affected.
      const ip = `198.51.100.${Math.floor(Math.random() * 200) + 1}`;
      const statuses = [];
      for (let i = 0; i < 31; i++) statuses.push((await get({ "x-forwarded-for": ip }, `vnt_wrong${i}`)).status);
      expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
      expect(statuses[30]).toBe(429);
      // Locked: even a valid token from there waits; from elsewhere it works.
      const fresh = await createPersonalToken(server.deps, agent, { name: "elsewhere", scope: "READ", expiresInDays: null });
      expect((await get({ "x-forwarded-for": ip }, fresh.secret)).status).toBe(429);
      expect((await get({ "x-forwarded-for": "198.51.100.250" }, fresh.secret)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it("valid requests in flight take nothing from the address's failure budget: a burst is served even after 29 failures", async () => {
    const busy = await startServer({ env: { ...env, PORT: 0, HOST: "127.0.0.1", RATE_LIMIT_API_PER_MINUTE: 1000, TRUST_PROXY: true }, clock });
    try {
      const made = await createPersonalToken(server.deps, agent, { name: "burst", scope: "READ", expiresInDays: null });
      const ip = `203.0.113.${Math.floor(Math.random() * 200) + 1}`;
      const get = (token: string) => fetch(`${busy.url}/api/v1/users/me`, { headers: { authorization: `Bearer ${token}`, "x-forwarded-for": ip } });
      for (let i = 0; i < 29; i++) expect((await get(`vnt_wrong${i}`)).status).toBe(401);
      // One failure short of the lock, an integration's 50 concurrent requests are all answered.
      const statuses = await Promise.all(Array.from({ length: 50 }, () => get(made.secret).then((r) => r.status)));
      expect(statuses.filter((s) => s !== 200)).toEqual([]);
      // The 30th failure locks the address; then even the valid token waits.
      expect((await get("vnt_wrong29")).status).toBe(401);
      expect((await get(made.secret)).status).toBe(429);
    } finally {
      await busy.close();
    }
  });
});
