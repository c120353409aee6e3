// The realtime path end to end: real HTTP + tRPC, real socket.io over websockets, the Redis adapter
// between two server processes, and the @socket.io/redis-emitter the workers use. Nothing mocked.
import { createTRPCClient, httpLink } from "@trpc/client";
import { transformer } from "~/shared/transformer";
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "~/env";
import type { AppRouter } from "~/server/api/root";
import { heartbeatKey } from "~/server/health";
import { startServer, type RunningServer } from "~/server/http/create-server";
import { revalidateSockets } from "~/server/realtime/gateway";
import { createRedis } from "~/server/redis";
import type { JoinAck, ServerToClientEvents } from "~/shared/realtime";
import { rooms } from "~/shared/realtime";
import { createWorkerDeps } from "../workers/bootstrap";
import { callerFor, db, makeUser, sessionCookie, testDeps } from "./support/fixtures";
import { spawnServerProcess, type SpawnedServer } from "./support/spawn-server-process";
import { connected, openedSockets, openSocket, type Received, type Recorded } from "./support/sockets";
import { eventually, withTimeout } from "./support/wait";

const testEnv = { ...env, PORT: 0, HOST: "127.0.0.1" };
const cleanups: Array<() => Promise<void> | void> = [];
let serverA: RunningServer;

function trpc(url: string, cookie?: string) {
  return createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${url}/api/trpc`, transformer, headers: cookie ? { cookie } : {} })],
  });
}

/** The error a refused handshake reports. */
async function refusal(url: string, cookie?: string): Promise<string> {
  const { socket } = openSocket(url, cookie);
  const message = await withTimeout(
    new Promise<string>((resolve, reject) => {
      socket.once("connect", () => reject(new Error("the server accepted a connection it should have refused")));
      socket.once("connect_error", (err) => resolve(err.message));
    }),
    "connect_error",
  );
  expect(socket.connected).toBe(false);
  return message;
}

function join(s: Recorded, ticketId: unknown): Promise<JoinAck> {
  return s.socket.timeout(5000).emitWithAck("ticket:join", ticketId as string);
}

const isEvent = (event: keyof ServerToClientEvents, ticketId: string, messageId?: string) => (e: Received) =>
  e.event === event && e.payload.ticketId === ticketId && (messageId === undefined || e.payload.messageId === messageId);

async function person(role: "CUSTOMER" | "AGENT") {
  const user = await makeUser(role);
  const cookie = await sessionCookie(user.id);
  return { user, cookie };
}

beforeAll(async () => {
  serverA = await startServer({ env: testEnv });
  cleanups.push(() => serverA.close());
});

afterAll(async () => {
  for (const s of openedSockets) s.disconnect();
  for (const fn of cleanups.reverse()) await fn();
});

describe("socket handshake", () => {
  it("refuses a connection without a cookie, with a forged cookie, an expired one, or one naming a deleted user", async () => {
    expect(await refusal(serverA.url)).toBe("UNAUTHORIZED");
    expect(await refusal(serverA.url, "theme=dark; other=1")).toBe("UNAUTHORIZED");
    expect(await refusal(serverA.url, "next-auth.session-token=forged.value")).toBe("SESSION_EXPIRED");

    const gone = await makeUser();
    const goneCookie = await sessionCookie(gone.id);
    await db.user.delete({ where: { id: gone.id } });
    expect(await refusal(serverA.url, goneCookie)).toBe("SESSION_EXPIRED");

    const expired = await makeUser();
    expect(await refusal(serverA.url, await sessionCookie(expired.id, -60))).toBe("SESSION_EXPIRED");

    // The same server still accepts a valid session: the refusals are about the cookies, not the server.
    const ok = await connected(serverA.url, await sessionCookie(expired.id));
    expect(ok.socket.connected).toBe(true);
  });
});

describe("live hints on one server", () => {
  it("an agent's socket hears ticket:created when a customer opens a ticket over HTTP tRPC", async () => {
    const agent = await person("AGENT");
    const customer = await person("CUSTOMER");
    const bystander = await person("CUSTOMER");
    const agentSock = await connected(serverA.url, agent.cookie);
    const customerSock = await connected(serverA.url, customer.cookie);
    const bystanderSock = await connected(serverA.url, bystander.cookie);

    const created = await trpc(serverA.url, customer.cookie).ticket.create.mutate({ subject: "Sin conexión", description: "No hay red" });

    const hint = await agentSock.next(isEvent("ticket:created", created.id), "agent's ticket:created");
    expect(hint.payload).toMatchObject({ ticketId: created.id, number: created.number });
    expect(typeof hint.payload.at).toBe("number");
    // The requester hears about its own ticket (its user room) ...
    await customerSock.next(isEvent("ticket:created", created.id), "requester's ticket:created");
    // ... and another customer does not: once it has heard about its own later ticket, nothing about the first one came before.
    const own = await trpc(serverA.url, bystander.cookie).ticket.create.mutate({ subject: "Mío", description: "x" });
    await bystanderSock.next(isEvent("ticket:created", own.id), "bystander's own ticket:created");
    expect(bystanderSock.events.map((e) => e.payload.ticketId)).toEqual([own.id]);
  });

  it("ticket:join is authorized: another customer's ticket is NOT_FOUND, garbage is BAD_REQUEST, one's own is ok", async () => {
    const owner = await person("CUSTOMER");
    const intruder = await person("CUSTOMER");
    const agent = await person("AGENT");
    const ticket = await trpc(serverA.url, owner.cookie).ticket.create.mutate({ subject: "Privado", description: "x" });
    const ownerSock = await connected(serverA.url, owner.cookie);
    const intruderSock = await connected(serverA.url, intruder.cookie);
    const agentSock = await connected(serverA.url, agent.cookie);

    expect(await join(intruderSock, ticket.id)).toEqual({ status: "error", code: "NOT_FOUND" });
    // A ticket that does not exist answers exactly the same: nothing to learn by probing.
    expect(await join(intruderSock, "c00000000000000000000none")).toEqual({ status: "error", code: "NOT_FOUND" });
    for (const garbage of [42, "", "x".repeat(65), { id: ticket.id }, null]) {
      expect(await join(intruderSock, garbage)).toEqual({ status: "error", code: "BAD_REQUEST" });
    }
    expect(await join(ownerSock, ticket.id)).toEqual({ status: "ok" });
    expect(await join(agentSock, ticket.id)).toEqual({ status: "ok" });
  });

  it("a customer gets public replies on its ticket but never internal notes; a joined agent gets both, once each", async () => {
    const owner = await person("CUSTOMER");
    const intruder = await person("CUSTOMER");
    const agent = await person("AGENT");
    const asOwner = trpc(serverA.url, owner.cookie);
    const asAgent = trpc(serverA.url, agent.cookie);
    const ticket = await asOwner.ticket.create.mutate({ subject: "Hilo en vivo", description: "Hola" });

    const ownerSock = await connected(serverA.url, owner.cookie);
    const intruderSock = await connected(serverA.url, intruder.cookie);
    const agentSock = await connected(serverA.url, agent.cookie);
    expect(await join(ownerSock, ticket.id)).toEqual({ status: "ok" });
    expect(await join(agentSock, ticket.id)).toEqual({ status: "ok" });
    expect(await join(intruderSock, ticket.id)).toEqual({ status: "error", code: "NOT_FOUND" });

    // The note is committed and dispatched before the public reply is even sent.
    const note = await asAgent.ticket.reply.mutate({ ticketId: ticket.id, body: "Cliente VIP", internal: true });
    const reply = await asAgent.ticket.reply.mutate({ ticketId: ticket.id, body: "Estamos en ello" });

    // Events on one socket arrive in emission order, so if the note had reached the customer it would come first.
    const first = await ownerSock.next((e) => e.event === "message:created" && e.payload.ticketId === ticket.id, "owner's first message:created");
    expect(first.payload.messageId).toBe(reply.id);

    const agentReply = await agentSock.next(isEvent("message:created", ticket.id, reply.id), "agent's public message:created");
    expect(agentReply.payload.number).toBe(ticket.number);

    // A later event as a fence: once it arrived, everything emitted before it has arrived too.
    await asAgent.ticket.setStatus.mutate({ ticketId: ticket.id, status: "IN_PROGRESS" });
    await ownerSock.next(isEvent("ticket:updated", ticket.id), "owner's ticket:updated");
    await agentSock.next(isEvent("ticket:updated", ticket.id), "agent's ticket:updated");

    // Besides the thread's hints, the owner's bell hears of the reply (and then of the status change,
    // which may still be on its way: tests/customer-bell.test.ts counts those rows).
    const owners = ownerSock.about(ticket.id);
    expect(owners.filter(([e]) => e !== "notification:created")).toEqual([
      ["message:created", reply.id],
      ["ticket:updated", undefined],
    ]);
    expect(owners.slice(0, 2).map(([e]) => e)).toEqual(["message:created", "notification:created"]);
    // The agent is in the queue, the ticket and the staff rooms: socket.io still delivers each event once.
    expect(agentSock.about(ticket.id)).toEqual([
      ["message:created", note.id],
      ["message:created", reply.id],
      ["ticket:updated", undefined],
    ]);

    // The refused intruder heard nothing about it; fenced by an event of its own.
    const own = await trpc(serverA.url, intruder.cookie).ticket.create.mutate({ subject: "Otro", description: "x" });
    await intruderSock.next(isEvent("ticket:created", own.id), "intruder's own ticket:created");
    expect(intruderSock.about(ticket.id)).toEqual([]);
  });

  it("ticket:leave takes a socket out of the ticket's rooms; staff still hear notes through the queue room", async () => {
    // Staff are in the queue room, which hears every ticket; leaving must not break that or duplicate anything.
    const owner = await person("CUSTOMER");
    const agent = await person("AGENT");
    const ticket = await trpc(serverA.url, owner.cookie).ticket.create.mutate({ subject: "Salir", description: "x" });
    const agentSock = await connected(serverA.url, agent.cookie);
    expect(await join(agentSock, ticket.id)).toEqual({ status: "ok" });
    agentSock.socket.emit("ticket:leave", ticket.id);
    const note = await trpc(serverA.url, agent.cookie).ticket.reply.mutate({ ticketId: ticket.id, body: "nota", internal: true });
    await agentSock.next(isEvent("message:created", ticket.id, note.id), "agent's note via the queue room");
    const staffSockets = await serverA.io.in(rooms.ticketStaff(ticket.id)).fetchSockets();
    expect(staffSockets.map((s) => s.id)).not.toContain(agentSock.socket.id);
  });
});

describe("sockets follow their user", () => {
  it("an agent demoted to customer (or deleted) is disconnected by the periodic check; others stay", async () => {
    const demoted = await person("AGENT");
    const kept = await person("CUSTOMER");
    const demotedSock = await connected(serverA.url, demoted.cookie);
    const keptSock = await connected(serverA.url, kept.cookie);
    const gone = new Promise<string>((resolve) => demotedSock.socket.once("disconnect", (reason) => resolve(reason)));
    await db.user.update({ where: { id: demoted.user.id }, data: { role: "CUSTOMER" } });
    expect(await revalidateSockets(serverA.io, db)).toBeGreaterThanOrEqual(1);
    expect(await withTimeout(gone, "the demoted agent's socket to be disconnected")).toBe("io server disconnect");
    expect(keptSock.socket.connected).toBe(true);
    // Connecting again, the same person is now a customer: not in the agents' queue room.
    const again = await connected(serverA.url, demoted.cookie);
    const queue = await serverA.io.in(rooms.queue).fetchSockets();
    expect(queue.map((s) => s.id)).not.toContain(again.socket.id);
  });
});

describe("sockets of revoked sessions", () => {
  it("a socket whose session began before the user's sessions were revoked is disconnected; a newer session stays", async () => {
    const victim = await person("AGENT");
    const attackerSock = await connected(serverA.url, victim.cookie);
    const gone = new Promise<string>((resolve) => attackerSock.socket.once("disconnect", (reason) => resolve(reason)));
    // The account's sessions are revoked (a verified Google link cleared a password someone else set).
    const revokedAt = new Date();
    await db.user.update({ where: { id: victim.user.id }, data: { sessionsValidAfter: revokedAt } });
    // The owner signs in again afterwards (authTime: when a session began, as the jwt callback stamps it).
    const token = await encode({ token: { sub: victim.user.id, authTime: revokedAt.getTime() + 1 }, secret: env.NEXTAUTH_SECRET, maxAge: 3600 });
    const fresh = await connected(serverA.url, `next-auth.session-token=${token}`);
    expect(await revalidateSockets(serverA.io, db)).toBeGreaterThanOrEqual(1);
    expect(await withTimeout(gone, "the revoked session's socket to be disconnected")).toBe("io server disconnect");
    expect(fresh.socket.connected).toBe(true);
  });
});

describe("two server processes share one realtime bus through Redis", () => {
  let serverB: SpawnedServer;

  beforeAll(async () => {
    serverB = await spawnServerProcess();
    cleanups.push(() => serverB.stop());
  }, 60_000);

  it("an agent connected to process B hears a ticket created through process A's tRPC, and the reverse", async () => {
    const agent = await person("AGENT");
    const customer = await person("CUSTOMER");
    const agentOnB = await connected(serverB.url, agent.cookie);
    const customerOnA = await connected(serverA.url, customer.cookie);

    // Readiness, not proof: A can see B's socket through the adapter once B's subscriber is up.
    await eventually(async () => {
      const found = await serverA.io.in(rooms.user(agent.user.id)).fetchSockets();
      return found.length === 1 ? found : undefined;
    }, "process A to see the agent's socket on process B");

    const created = await trpc(serverA.url, customer.cookie).ticket.create.mutate({ subject: "Dos nodos", description: "x" });
    const hint = await agentOnB.next(isEvent("ticket:created", created.id), "ticket:created on process B");
    expect(hint.payload.number).toBe(created.number);

    // The agent answers through B; the customer on A hears it, and its join on A is authorized against the shared DB.
    expect(await join(customerOnA, created.id)).toEqual({ status: "ok" });
    const reply = await trpc(serverB.url, agent.cookie).ticket.reply.mutate({ ticketId: created.id, body: "Hola desde B" });
    await customerOnA.next(isEvent("message:created", created.id, reply.id), "message:created on process A");
  });

  it("process B serves health against the same Redis and database", async () => {
    const res = await fetch(`${serverB.url}/api/health`);
    const body = (await res.json()) as { database: string; redis: string };
    expect(body).toMatchObject({ database: "up", redis: "up" });
  });
});

describe("workers reach sockets through @socket.io/redis-emitter", () => {
  it("a domain event published on the workers' bus arrives at the web server's sockets, internal notes to staff only", async () => {
    const workers = createWorkerDeps(testEnv, { db });
    cleanups.push(() => workers.close());
    const agent = await person("AGENT");
    const customer = await person("CUSTOMER");
    const agentSock = await connected(serverA.url, agent.cookie);
    const customerSock = await connected(serverA.url, customer.cookie);
    // A real ticket, so both can join its rooms; the events below are published by the workers' bus only.
    const { deps: quiet } = testDeps();
    const ticket = await (await callerFor(quiet, customer.user.id)).ticket.create({ subject: "Desde workers", description: "x" });
    const ticketId = ticket.id;
    expect(await join(customerSock, ticketId)).toEqual({ status: "ok" });
    expect(await join(agentSock, ticketId)).toEqual({ status: "ok" });

    await workers.deps.bus.publish({ type: "ticket.created", ticketId, number: ticket.number, requesterId: customer.user.id, emailIds: [] });
    const hint = await agentSock.next(isEvent("ticket:created", ticketId), "agent's emitted ticket:created");
    expect(hint.payload.number).toBe(ticket.number);
    await customerSock.next(isEvent("ticket:created", ticketId), "requester's emitted ticket:created");

    const base = { ticketId, number: ticket.number, requesterId: customer.user.id, emailIds: [] };
    await workers.deps.bus.publish({ type: "message.created", ...base, messageId: "note-1", internal: true });
    await workers.deps.bus.publish({ type: "message.created", ...base, messageId: "reply-1", internal: false });
    await customerSock.next(isEvent("message:created", ticketId, "reply-1"), "requester's emitted public message");
    await agentSock.next(isEvent("message:created", ticketId, "reply-1"), "agent's emitted public message");
    expect(customerSock.about(ticketId)).toEqual([
      ["ticket:created", undefined],
      ["message:created", "reply-1"],
    ]);
    expect(agentSock.about(ticketId)).toEqual([
      ["ticket:created", undefined],
      ["message:created", "note-1"],
      ["message:created", "reply-1"],
    ]);
  });
});

describe("GET /api/health", () => {
  it("is 200 with everything up while a worker heartbeat exists, and 503 with workers down without it", async () => {
    const redis = createRedis("producer", env.REDIS_URL);
    cleanups.push(() => void redis.disconnect());
    const key = heartbeatKey(env.REDIS_PREFIX);

    await redis.set(key, "test", "EX", 60);
    const up = await fetch(`${serverA.url}/api/health`);
    expect(up.status).toBe(200);
    expect(up.headers.get("cache-control")).toBe("no-store");
    expect(await up.json()).toMatchObject({ status: "ok", database: "up", redis: "up", workers: "up" });

    await redis.del(key);
    const down = await fetch(`${serverA.url}/api/health`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ status: "degraded", database: "up", redis: "up", workers: "down" });

    expect((await fetch(`${serverA.url}/api/health?probe=1`)).status).toBe(503);
    expect((await fetch(`${serverA.url}/nope`)).status).toBe(404);
  });
});
