import { TRPCError } from "@trpc/server";
import { io as connectSocket, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "~/env";
import { startServer, type RunningServer } from "~/server/http/create-server";
import { notifyStaff } from "~/server/modules/notifications/bell";
import { mentionedStaff } from "~/server/modules/notifications/mentions";
import type { ClientToServerEvents, NotificationHint, ServerToClientEvents } from "~/shared/realtime";
import { callerFor, db, makeUser, sessionCookie, testDeps } from "./support/fixtures";
import { uniq } from "./support/uniq";
import { withTimeout } from "./support/wait";

async function refusal(p: Promise<unknown>): Promise<TRPCError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TRPCError);
  return err as TRPCError;
}

async function openTicket() {
  const { deps } = testDeps();
  const customer = await makeUser("CUSTOMER");
  const subject = `Campana ${uniq()}`;
  const ticket = await (await callerFor(deps, customer.id)).ticket.create({ subject, description: "Hola" });
  return { customer, ticket: { ...ticket, subject } };
}

const rowsFor = (userId: string) => db.notification.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });

describe("mention syntax", () => {
  const staff = [
    { id: "luis", name: "Luis Agente", email: "luis.agente@ventanilla.test" },
    { id: "lu", name: "Lu", email: "lu@ventanilla.test" },
    { id: "jose", name: "José Núñez", email: "jn@ventanilla.test" },
  ];

  it("resolves @ plus a name or an address's local part, without case or accents, longest first, once each", () => {
    expect(mentionedStaff("@Luis Agente, mira esto", staff)).toEqual(["luis"]);
    expect(mentionedStaff("cc @luis.agente.", staff)).toEqual(["luis"]);
    expect(mentionedStaff("@lu y @LUIS AGENTE y @luis.agente", staff)).toEqual(["lu", "luis"]);
    expect(mentionedStaff("(@jose nunez) y @JN", staff)).toEqual(["jose"]);
  });

  it("ignores addresses, unknown names and handles that run on into a longer word", () => {
    expect(mentionedStaff("escribió desde lu@ventanilla.test", staff)).toEqual([]);
    expect(mentionedStaff("@Lucas, @nadie, @", staff)).toEqual([]);
    expect(mentionedStaff("@luisa", staff)).toEqual([]);
  });
});

describe("bell rows", () => {
  it("assigning a ticket to another agent notifies them, with who did it; never the one assigning to themselves", async () => {
    const { deps, bus } = testDeps();
    const a = await makeUser("AGENT");
    const b = await makeUser("AGENT");
    const { ticket } = await openTicket();
    const asA = await callerFor(deps, a.id);

    await asA.ticket.assign({ ticketId: ticket.id, assigneeId: b.id });
    const rows = await rowsFor(b.id);
    expect(rows).toMatchObject([{ kind: "ASSIGNED", ticketId: ticket.id, actorId: a.id, readAt: null }]);
    expect(rows[0]!.createdAt).toEqual(deps.clock.now());
    expect(bus.events.at(-1)).toEqual({ type: "notifications.created", ticketId: ticket.id, notifications: [{ id: rows[0]!.id, userId: b.id }] });

    // The same assignee again changes nothing, so tells nobody; unassigning tells nobody either.
    await asA.ticket.assign({ ticketId: ticket.id, assigneeId: b.id });
    await asA.ticket.assign({ ticketId: ticket.id, assigneeId: null });
    expect(await rowsFor(b.id)).toHaveLength(1);

    // Taking it oneself is no news.
    await asA.ticket.assign({ ticketId: ticket.id, assigneeId: a.id });
    expect(await rowsFor(a.id)).toEqual([]);
  });

  it("an @mention in an internal note notifies active staff only; public replies, the author and unknown names never", async () => {
    const { deps } = testDeps();
    const author = await makeUser("AGENT", { name: `Autora ${uniq()}` });
    const mentioned = await makeUser("AGENT", { name: `Marta ${uniq()}` });
    const admin = await makeUser("ADMIN");
    const customerNamed = await makeUser("CUSTOMER", { name: `Cliente ${uniq()}` });
    const { ticket } = await openTicket();
    const asAuthor = await callerFor(deps, author.id);
    const adminHandle = admin.email.split("@")[0]!;

    await asAuthor.ticket.reply({
      ticketId: ticket.id,
      internal: true,
      body: `@${mentioned.name} y @${adminHandle}: ¿lo veis? (yo, @${author.name}; no @${customerNamed.name}, ni @nadie-${uniq()})`,
    });
    expect(await rowsFor(mentioned.id)).toMatchObject([{ kind: "MENTIONED", ticketId: ticket.id, actorId: author.id }]);
    expect(await rowsFor(admin.id)).toMatchObject([{ kind: "MENTIONED" }]);
    expect(await rowsFor(author.id)).toEqual([]);
    expect(await rowsFor(customerNamed.id)).toEqual([]);

    // The same words in a public reply notify no one.
    await asAuthor.ticket.reply({ ticketId: ticket.id, body: `Hola, @${mentioned.name} le escribirá.` });
    expect(await rowsFor(mentioned.id)).toHaveLength(1);
  });

  it("notifyStaff drops duplicates, the actor, deactivated staff and anyone who is not staff", async () => {
    const { deps } = testDeps();
    const a = await makeUser("AGENT");
    const b = await makeUser("AGENT");
    const gone = await makeUser("AGENT");
    await db.user.update({ where: { id: gone.id }, data: { deactivatedAt: new Date() } });
    const { customer, ticket } = await openTicket();
    const stored = await notifyStaff(deps, { userIds: [b.id, b.id, a.id, customer.id, gone.id, "nobody"], kind: "SLA_WARNING", ticketId: ticket.id, actorId: a.id });
    expect(stored.map((n) => n.userId)).toEqual([b.id]);
    expect(await rowsFor(gone.id)).toEqual([]);
    expect(await rowsFor(customer.id)).toEqual([]);
    // Timers act as nobody: everyone named (staff) hears of it.
    const breached = await notifyStaff(deps, { userIds: [a.id, b.id], kind: "SLA_BREACHED", ticketId: ticket.id });
    expect(breached.map((n) => n.userId).sort()).toEqual([a.id, b.id].sort());
    expect(await notifyStaff(deps, { userIds: [], kind: "ESCALATED", ticketId: ticket.id })).toEqual([]);
  });
});

describe("reading one's bell", () => {
  it("counts and lists only one's own; marking read works only on one's own; customers reach none of the staff's", async () => {
    const { deps, clock } = testDeps();
    const a = await makeUser("AGENT", { name: "Ana Asigna" });
    const b = await makeUser("AGENT");
    const c = await makeUser("AGENT");
    const { customer, ticket } = await openTicket();
    await (await callerFor(deps, a.id)).ticket.assign({ ticketId: ticket.id, assigneeId: b.id });
    await notifyStaff(deps, { userIds: [b.id], kind: "SLA_WARNING", ticketId: ticket.id });
    const asB = await callerFor(deps, b.id);
    const asC = await callerFor(deps, c.id);

    expect(await asB.notification.unreadCount()).toBe(2);
    expect(await asC.notification.unreadCount()).toBe(0);
    const list = await asB.notification.list({ limit: 10 });
    expect(list.map((n) => n.kind).sort()).toEqual(["ASSIGNED", "SLA_WARNING"]);
    const assigned = list.find((n) => n.kind === "ASSIGNED")!;
    expect(assigned).toMatchObject({ readAt: null, ticket: { number: ticket.number, subject: ticket.subject }, actor: { name: "Ana Asigna" } });
    expect(list.find((n) => n.kind === "SLA_WARNING")!.actor).toBeNull();
    expect(await asC.notification.list({ limit: 10 })).toEqual([]);

    // Another agent cannot mark it, and learns nothing from trying.
    const foreign = await refusal(asC.notification.markRead({ id: assigned.id }));
    expect(foreign.code).toBe("NOT_FOUND");
    expect(foreign.message).toBe("Esa notificación no existe.");
    expect(await asC.notification.markAllRead()).toEqual({ count: 0 });
    expect(await asB.notification.unreadCount()).toBe(2);

    await asB.notification.markRead({ id: assigned.id });
    expect((await db.notification.findUniqueOrThrow({ where: { id: assigned.id } })).readAt).toEqual(clock.now());
    expect(await asB.notification.unreadCount()).toBe(1);
    await asB.notification.markRead({ id: assigned.id });
    expect(await asB.notification.markAllRead()).toEqual({ count: 1 });
    expect(await asB.notification.unreadCount()).toBe(0);

    // Customers have a bell of their own (tests/customer-bell.test.ts) and see nothing of the staff's.
    const asCustomer = await callerFor(deps, customer.id);
    expect(await asCustomer.notification.unreadCount()).toBe(0);
    expect(await asCustomer.notification.list({ limit: 5 })).toEqual([]);
    expect((await refusal(asCustomer.notification.markRead({ id: assigned.id }))).code).toBe("NOT_FOUND");
    expect((await refusal((await callerFor(deps, null)).notification.unreadCount())).code).toBe("UNAUTHORIZED");
  });
});

describe("live hints", () => {
  type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
  let server: RunningServer;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    server = await startServer({ env: { ...env, PORT: 0, HOST: "127.0.0.1" } });
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await server?.close();
  });

  async function connect(userId: string): Promise<{ hints: NotificationHint[]; next: () => Promise<NotificationHint> }> {
    const socket: ClientSocket = connectSocket(server.url, {
      path: "/socket.io",
      transports: ["websocket"],
      extraHeaders: { cookie: await sessionCookie(userId) },
      reconnection: false,
      forceNew: true,
    });
    sockets.push(socket);
    const hints: NotificationHint[] = [];
    const waiting: Array<(h: NotificationHint) => void> = [];
    socket.on("notification:created", (h) => {
      hints.push(h);
      waiting.shift()?.(h);
    });
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        socket.once("connect", () => resolve());
        socket.once("connect_error", reject);
      }),
      "socket connect",
    );
    return { hints, next: () => withTimeout(new Promise<NotificationHint>((resolve) => waiting.push(resolve)), "notification:created") };
  }

  it("notifyStaff reaches the recipient's own socket room over real socket.io, and nobody else's", async () => {
    const b = await makeUser("AGENT");
    const c = await makeUser("AGENT");
    const { customer, ticket } = await openTicket();
    const bSock = await connect(b.id);
    const cSock = await connect(c.id);
    const customerSock = await connect(customer.id);

    const arrival = bSock.next();
    const [stored] = await notifyStaff(server.deps, { userIds: [b.id, customer.id], kind: "SLA_WARNING", ticketId: ticket.id });
    const hint = await arrival;
    expect(hint).toMatchObject({ notificationId: stored!.id, ticketId: ticket.id });
    expect(typeof hint.at).toBe("number");

    // A fence: C's own later notification arrives after anything emitted to it before.
    const fence = cSock.next();
    const [own] = await notifyStaff(server.deps, { userIds: [c.id], kind: "ESCALATED", ticketId: ticket.id });
    await fence;
    expect(cSock.hints.map((h) => h.notificationId)).toEqual([own!.id]);
    expect(customerSock.hints).toEqual([]);
  });

  it("an assignment through the API rings the assignee's bell live", async () => {
    const a = await makeUser("AGENT");
    const b = await makeUser("AGENT");
    const { ticket } = await openTicket();
    const bSock = await connect(b.id);
    const arrival = bSock.next();
    const asA = await callerFor(server.deps, a.id);
    await asA.ticket.assign({ ticketId: ticket.id, assigneeId: b.id });
    const hint = await arrival;
    const [row] = await rowsFor(b.id);
    expect(hint).toMatchObject({ notificationId: row!.id, ticketId: ticket.id });
  });
});
