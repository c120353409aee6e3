// Presence and typing warnings over real socket.io (websockets, the Redis adapter, a second server
// process): who may join a ticket's presence, who hears it, and how leaving clears it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "~/env";
import { startServer, type RunningServer } from "~/server/http/create-server";
import { rooms, type PresenceAck, type TypingKind } from "~/shared/realtime";
import { callerFor, makeUser, sessionCookie, testDeps } from "./support/fixtures";
import { connected, openedSockets, type Received, type Recorded } from "./support/sockets";
import { spawnServerProcess, type SpawnedServer } from "./support/spawn-server-process";
import { eventually, withTimeout } from "./support/wait";

const cleanups: Array<() => Promise<void> | void> = [];
let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ env: { ...env, PORT: 0, HOST: "127.0.0.1" } });
  cleanups.push(() => server.close());
});

afterAll(async () => {
  for (const s of openedSockets) s.disconnect();
  for (const fn of cleanups.reverse()) await fn();
});

async function person(role: "CUSTOMER" | "AGENT", name?: string) {
  const user = await makeUser(role, { name });
  return { user, cookie: await sessionCookie(user.id) };
}

async function ticketOf(customerId: string) {
  const { deps } = testDeps();
  return (await callerFor(deps, customerId)).ticket.create({ subject: "Presencia", description: "x" });
}

function joinPresence(s: Recorded, ticketId: unknown): Promise<PresenceAck> {
  return s.socket.timeout(5000).emitWithAck("presence:join", ticketId as string);
}

/** Waits until the newest presence list the socket holds for the ticket (newest by server time, as the page keeps it) names exactly these people. */
function presenceOf(s: Recorded, ticketId: string, names: string[], timeoutMs = 10_000): Promise<Received> {
  const want = [...names].sort().join("|");
  return eventually(
    async () => {
      const lists = s.events.filter((e) => e.event === "presence:changed" && e.payload.ticketId === ticketId);
      const newest = lists.reduce<Received | undefined>((a, e) => (!a || e.payload.at >= a.payload.at ? e : a), undefined);
      const got = (newest?.payload.viewers ?? []).map((v) => v.name).sort().join("|");
      return newest && got === want ? newest : undefined;
    },
    `${names.join(", ") || "nobody"} on ${ticketId}`,
    timeoutMs,
  );
}

const typingFrom = (ticketId: string, name: string, kind: TypingKind) => (e: Received) =>
  e.event === "presence:typing" && e.payload.ticketId === ticketId && e.payload.user?.name === name && e.payload.kind === kind;

describe("joining a ticket's presence", () => {
  it("is for staff only, on a ticket that exists; garbage is refused", async () => {
    const customer = await person("CUSTOMER");
    const agent = await person("AGENT");
    const ticket = await ticketOf(customer.user.id);
    const customerSock = await connected(server.url, customer.cookie);
    const agentSock = await connected(server.url, agent.cookie);

    // Even the ticket's own requester may not see or join who is working on it.
    expect(await joinPresence(customerSock, ticket.id)).toEqual({ status: "error", code: "FORBIDDEN" });
    expect(await joinPresence(agentSock, "c00000000000000000000none")).toEqual({ status: "error", code: "NOT_FOUND" });
    for (const garbage of [42, "", "x".repeat(65), { id: ticket.id }, null]) {
      expect(await joinPresence(agentSock, garbage)).toEqual({ status: "error", code: "BAD_REQUEST" });
    }
    expect(await joinPresence(agentSock, ticket.id)).toEqual({ status: "ok", userId: agent.user.id });
    const members = await server.io.in(rooms.ticketPresence(ticket.id)).fetchSockets();
    expect(members.map((m) => m.id)).toEqual([agentSock.socket.id]);
  });

  it("two agents see each other by name; the customer on the same ticket hears nothing of it; leaving and disconnecting clear it", async () => {
    const customer = await person("CUSTOMER");
    const ana = await person("AGENT", "Ana López");
    const bruno = await person("AGENT", "Bruno Díaz");
    const ticket = await ticketOf(customer.user.id);
    const customerSock = await connected(server.url, customer.cookie);
    await customerSock.socket.timeout(5000).emitWithAck("ticket:join", ticket.id);
    const anaSock = await connected(server.url, ana.cookie);
    const brunoSock = await connected(server.url, bruno.cookie);

    expect(await joinPresence(anaSock, ticket.id)).toMatchObject({ status: "ok" });
    await presenceOf(anaSock, ticket.id, ["Ana López"]);
    expect(await joinPresence(brunoSock, ticket.id)).toMatchObject({ status: "ok" });
    await presenceOf(anaSock, ticket.id, ["Ana López", "Bruno Díaz"]);
    await presenceOf(brunoSock, ticket.id, ["Ana López", "Bruno Díaz"]);

    // A second tab of Bruno's is still one Bruno.
    const brunoTab = await connected(server.url, bruno.cookie);
    await joinPresence(brunoTab, ticket.id);
    await presenceOf(brunoTab, ticket.id, ["Ana López", "Bruno Díaz"]);
    brunoTab.socket.emit("presence:leave", ticket.id);
    brunoSock.socket.emit("presence:leave", ticket.id);
    await presenceOf(anaSock, ticket.id, ["Ana López"]);

    await joinPresence(brunoSock, ticket.id);
    await presenceOf(anaSock, ticket.id, ["Ana López", "Bruno Díaz"]);
    brunoSock.socket.disconnect(); // the tab closed
    await presenceOf(anaSock, ticket.id, ["Ana López"]);

    // A later event to the customer as a fence: nothing about presence reached it before.
    await (await callerFor(server.deps, ana.user.id)).ticket.reply({ ticketId: ticket.id, body: "Hola" });
    await customerSock.next((e) => e.event === "message:created" && e.payload.ticketId === ticket.id, "the customer's message:created");
    expect(customerSock.events.filter((e) => e.event.startsWith("presence:"))).toEqual([]);
  });
});

describe("typing warnings", () => {
  it("reach the other agents on the ticket, not the typist, not the customer, not agents elsewhere; throttled per socket", async () => {
    const customer = await person("CUSTOMER");
    const ana = await person("AGENT", "Ana López");
    const bruno = await person("AGENT", "Bruno Díaz");
    const outsider = await person("AGENT", "Olga Fuera");
    const ticket = await ticketOf(customer.user.id);
    const other = await ticketOf(customer.user.id);
    const customerSock = await connected(server.url, customer.cookie);
    await customerSock.socket.timeout(5000).emitWithAck("ticket:join", ticket.id);
    const anaSock = await connected(server.url, ana.cookie);
    const brunoSock = await connected(server.url, bruno.cookie);
    const outsiderSock = await connected(server.url, outsider.cookie);
    await joinPresence(anaSock, ticket.id);
    await joinPresence(brunoSock, ticket.id);
    await joinPresence(outsiderSock, other.id);

    for (let i = 0; i < 5; i++) anaSock.socket.emit("presence:typing", ticket.id, "note");
    const signal = await brunoSock.next(typingFrom(ticket.id, "Ana López", "note"), "Bruno hearing Ana typing a note");
    expect(signal.payload).toMatchObject({ user: { id: ana.user.id, name: "Ana López" }, ttlMs: 5000 });

    // An agent who has not joined this ticket's presence cannot speak in it, whatever it names.
    outsiderSock.socket.emit("presence:typing", ticket.id, "reply");
    anaSock.socket.emit("presence:typing", ticket.id, "bogus" as TypingKind);
    // Bruno types too: a fence for Ana (the signals are delivered in order on each socket).
    brunoSock.socket.emit("presence:typing", ticket.id, "reply");
    await anaSock.next(typingFrom(ticket.id, "Bruno Díaz", "reply"), "Ana hearing Bruno typing a reply");
    await new Promise((r) => setTimeout(r, 200));

    // Five signals in a burst passed on once; nothing from the outsider or of an unknown kind.
    expect(brunoSock.events.filter((e) => e.event === "presence:typing").map((e) => [e.payload.user?.name, e.payload.kind])).toEqual([["Ana López", "note"]]);
    expect(anaSock.events.filter((e) => e.event === "presence:typing").map((e) => e.payload.user?.name)).toEqual(["Bruno Díaz"]);
    expect(customerSock.events.filter((e) => e.event.startsWith("presence:"))).toEqual([]);
    expect(outsiderSock.events.filter((e) => e.event === "presence:typing")).toEqual([]);
  });

  it("a customer's typing signal on its own ticket goes nowhere", async () => {
    const customer = await person("CUSTOMER", "Carla Cliente");
    const agent = await person("AGENT");
    const ticket = await ticketOf(customer.user.id);
    const customerSock = await connected(server.url, customer.cookie);
    const agentSock = await connected(server.url, agent.cookie);
    await customerSock.socket.timeout(5000).emitWithAck("ticket:join", ticket.id);
    await joinPresence(agentSock, ticket.id);
    customerSock.socket.emit("presence:typing", ticket.id, "reply");
    // A fence: the agent leaving and joining again answers after anything the customer's signal could have caused.
    agentSock.socket.emit("presence:leave", ticket.id);
    await joinPresence(agentSock, ticket.id);
    await new Promise((r) => setTimeout(r, 200));
    expect(agentSock.events.filter((e) => e.event === "presence:typing")).toEqual([]);
  });
});

describe("presence across web processes", () => {
  let other: SpawnedServer;

  beforeAll(async () => {
    other = await spawnServerProcess();
    cleanups.push(() => other.stop());
  }, 60_000);

  it("agents on two processes see each other; when one process crashes, its viewers are gone within seconds", async () => {
    const customer = await person("CUSTOMER");
    const ana = await person("AGENT", "Ana López");
    const bruno = await person("AGENT", "Bruno Díaz");
    const ticket = await ticketOf(customer.user.id);
    const anaHere = await connected(server.url, ana.cookie);
    const brunoThere = await connected(other.url, bruno.cookie);
    // Readiness: this process sees the other's socket through the adapter.
    await eventually(async () => ((await server.io.in(rooms.user(bruno.user.id)).fetchSockets()).length === 1 ? true : undefined), "the adapter to see process B");

    await joinPresence(anaHere, ticket.id);
    expect(await joinPresence(brunoThere, ticket.id)).toMatchObject({ status: "ok" });
    await presenceOf(anaHere, ticket.id, ["Ana López", "Bruno Díaz"]);
    await presenceOf(brunoThere, ticket.id, ["Ana López", "Bruno Díaz"]);
    brunoThere.socket.emit("presence:typing", ticket.id, "reply");
    await anaHere.next(typingFrom(ticket.id, "Bruno Díaz", "reply"), "Ana hearing Bruno typing across processes");

    // The other process dies without a goodbye: no disconnect is ever announced from it.
    process.kill(other.pid, "SIGKILL");
    const started = Date.now();
    await withTimeout(presenceOf(anaHere, ticket.id, ["Ana López"], 15_000), "Bruno gone after the crash", 15_000);
    expect(Date.now() - started).toBeLessThan(12_000);
  }, 60_000);
});
