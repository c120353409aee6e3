import type { Server as HttpServer } from "node:http";
import { createAdapter } from "@socket.io/redis-adapter";
import { RateLimiterMemory } from "rate-limiter-flexible";
import { Server, type Socket } from "socket.io";
import type { Redis } from "ioredis";
import { z } from "zod";
import { readSession } from "~/server/auth/session";
import type { Db } from "~/server/db/client";
import { AppError } from "~/server/errors";
import type { Actor } from "~/server/modules/actor";
import { findReadableTicket } from "~/server/modules/tickets/get-ticket";
import type { Deps } from "~/server/modules/deps";
import { SOCKET_EVENTS, SOCKET_STRIKES } from "~/server/modules/security/rate-limit";
import { isStaff } from "~/shared/enums";
import { attachPresence, type PresenceOptions } from "./presence";
import { rooms, type ClientToServerEvents, type JoinAck, type ServerToClientEvents } from "~/shared/realtime";

interface SocketData {
  actor: Actor;
  /** When the session this socket authenticated with began (revocations end older ones). */
  sessionStartedAt: number;
  /** The name other agents see in the ticket's presence, read when the socket first joins one. */
  viewerName?: string;
}
export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type RealtimeSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export function adapterKey(redisPrefix: string): string {
  return `${redisPrefix}:socket.io`;
}

export interface GatewayOptions {
  db: Db;
  secret: string;
  redis: { pub: Redis; sub: Redis; prefix: string };
  presence?: PresenceOptions;
}

/**
 * A socket keeps the rooms it joined as the user it connected as. Users deleted, or whose role
 * changed (an agent demoted to customer), and sessions revoked since the socket connected
 * (`sessionsValidAfter`), are disconnected, so they stop hearing events; the browser reconnects and
 * is authorized again from scratch.
 */
export async function revalidateSockets(io: RealtimeServer, db: Db): Promise<number> {
  const sockets = [...io.of("/").sockets.values()];
  if (!sockets.length) return 0;
  const ids = [...new Set(sockets.map((s) => s.data.actor.id))];
  const users = await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, role: true, sessionsValidAfter: true } });
  const byId = new Map(users.map((u) => [u.id, u]));
  let dropped = 0;
  for (const socket of sockets) {
    const user = byId.get(socket.data.actor.id);
    const revoked = !!user?.sessionsValidAfter && socket.data.sessionStartedAt < user.sessionsValidAfter.getTime();
    if (!user || user.role !== socket.data.actor.role || revoked) {
      socket.disconnect(true);
      dropped++;
    }
  }
  return dropped;
}

const ticketId = z.string().min(1).max(64);

async function join(deps: Pick<Deps, "db">, socket: RealtimeSocket, raw: unknown): Promise<JoinAck> {
  const parsed = ticketId.safeParse(raw);
  if (!parsed.success) return { status: "error", code: "BAD_REQUEST" };
  const actor = socket.data.actor;
  try {
    // Following a shared ticket of one's organization live, as its page reads it.
    const ticket = await findReadableTicket(deps as Deps, actor, { id: parsed.data }, { shared: true });
    await socket.join(isStaff(actor.role) ? [rooms.ticket(ticket.id), rooms.ticketStaff(ticket.id)] : rooms.ticket(ticket.id));
    return { status: "ok" };
  } catch (err) {
    // A customer probing another's ticket learns nothing: "not found" either way.
    if (err instanceof AppError && err.code === "TICKET_NOT_FOUND") return { status: "error", code: "NOT_FOUND" };
    throw err;
  }
}

/**
 * Each user's budget of client events (SOCKET_EVENTS) over all their sockets on this process, in its
 * memory: opening more sockets buys no more joins. An event over budget is refused ("limited"); a
 * socket's SOCKET_STRIKES.points-th refusal within SOCKET_STRIKES.durationSec is its last ("drop").
 * Each join costs a database read, so a client looping on joins must not get them for free.
 */
function eventBudget(): (socket: RealtimeSocket) => Promise<"ok" | "limited" | "drop"> {
  const events = new RateLimiterMemory({ points: SOCKET_EVENTS.points, duration: SOCKET_EVENTS.durationSec });
  const strikes = new RateLimiterMemory({ points: SOCKET_STRIKES.points, duration: SOCKET_STRIKES.durationSec });
  return async (socket) => {
    const allowed = await events.consume(`user:${socket.data.actor.id}`).then(
      () => true,
      () => false,
    );
    if (allowed) return "ok";
    const strike = await strikes.penalty(socket.id, 1);
    return strike.consumedPoints >= SOCKET_STRIKES.points ? "drop" : "limited";
  };
}

/** socket.io on the app's own HTTP server: every connection authenticated, every join authorized. */
export function attachGateway(http: HttpServer, opts: GatewayOptions): RealtimeServer {
  const io: RealtimeServer = new Server(http, {
    path: "/socket.io",
    serveClient: false,
    adapter: createAdapter(opts.redis.pub, opts.redis.sub, { key: adapterKey(opts.redis.prefix) }),
  });

  io.use(async (socket, next) => {
    try {
      const session = await readSession(opts.db, socket.handshake.headers.cookie, opts.secret);
      if (!session.actor) return next(new Error(session.stale ? "SESSION_EXPIRED" : "UNAUTHORIZED"));
      socket.data.actor = session.actor;
      socket.data.sessionStartedAt = session.startedAt;
      next();
    } catch {
      next(new Error("UNAVAILABLE"));
    }
  });

  const presence = attachPresence(io, opts, opts.presence);
  http.once("close", presence.close);
  const budget = eventBudget();
  io.on("connection", (socket) => {
    const actor = socket.data.actor;
    void socket.join(isStaff(actor.role) ? [rooms.user(actor.id), rooms.queue] : rooms.user(actor.id));
    /** Runs `handle` within the socket's budget; else answers RATE_LIMITED (and drops a persistent offender). */
    const limited = (handle: () => void, refuse: () => void) =>
      void budget(socket).then((verdict) => {
        if (verdict === "ok") return handle();
        refuse();
        // The refusal is written first; the transport flushes it before closing.
        if (verdict === "drop") socket.disconnect(true);
      });
    socket.on("ticket:join", (raw, ack) => {
      const reply = typeof ack === "function" ? ack : () => {};
      limited(
        () => void join(opts, socket, raw).then(reply, () => reply({ status: "error", code: "NOT_FOUND" })),
        () => reply({ status: "error", code: "RATE_LIMITED" }),
      );
    });
    socket.on("ticket:leave", (raw) => {
      limited(
        () => {
          const parsed = ticketId.safeParse(raw);
          if (!parsed.success) return;
          void socket.leave(rooms.ticket(parsed.data));
          void socket.leave(rooms.ticketStaff(parsed.data));
        },
        () => {},
      );
    });
    presence.connect(socket, limited);
  });
  return io;
}
