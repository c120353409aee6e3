import { z } from "zod";
import { AppError } from "~/server/errors";
import type { Deps } from "~/server/modules/deps";
import { findReadableTicket } from "~/server/modules/tickets/get-ticket";
import { isStaff } from "~/shared/enums";
import { rooms, TYPING, TYPING_KINDS, type PresenceAck, type PresenceState, type Viewer } from "~/shared/realtime";
import type { RealtimeServer, RealtimeSocket } from "./gateway";

// Who has a ticket open is the membership of its presence room, nothing else: socket.io keeps it
// across the web processes (the Redis adapter's fetchSockets asks every live process), a socket that
// disconnects leaves it by itself, and a process that crashes takes its sockets out of every answer
// at once (its Redis subscription is gone). No second copy in Redis to expire or to drift. Changes
// are announced as they happen; a periodic sweep also re-reads the rooms this process has sockets
// in, so the survivors hear about viewers lost with a crashed process within one sweep (5 s).

const ticketId = z.string().min(1).max(64);
const PREFIX = rooms.ticketPresence("");

export interface PresenceOptions {
  /** How often each process re-reads the presence of the tickets its sockets have open. */
  sweepMs?: number;
}

export function attachPresence(io: RealtimeServer, deps: Pick<Deps, "db">, opts: PresenceOptions = {}) {
  async function read(id: string): Promise<PresenceState> {
    const at = Date.now();
    const sockets = await io.in(rooms.ticketPresence(id)).fetchSockets();
    const byUser = new Map<string, Viewer>();
    for (const s of sockets) if (s.data.viewerName !== undefined) byUser.set(s.data.actor.id, { id: s.data.actor.id, name: s.data.viewerName });
    const viewers = [...byUser.values()].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    return { ticketId: id, viewers, at };
  }

  /** Tells everyone on the ticket, on every process, who is there now. */
  async function announce(id: string): Promise<void> {
    const state = await read(id);
    io.to(rooms.ticketPresence(id)).emit("presence:changed", state);
  }
  const announceQuietly = (id: string) => void announce(id).catch(() => {});

  /**
   * Re-reads every ticket this process has viewers on and tells them, whether or not it changed: this
   * process cannot know what the others announced, and a list lost with a crashed process is only
   * corrected here. Pages keep the newest list by `at` and render nothing new for an equal one.
   */
  async function sweep(): Promise<void> {
    const local = [...io.of("/").adapter.rooms.keys()].filter((r) => r.startsWith(PREFIX)).map((r) => r.slice(PREFIX.length));
    for (const id of local) {
      const state = await read(id).catch(() => null);
      if (state) io.local.to(rooms.ticketPresence(id)).emit("presence:changed", state);
    }
  }
  let sweeping = false;
  const timer = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    void sweep()
      .catch(() => {})
      .finally(() => (sweeping = false));
  }, opts.sweepMs ?? 5000);
  timer.unref();

  async function join(socket: RealtimeSocket, raw: unknown): Promise<PresenceAck> {
    const parsed = ticketId.safeParse(raw);
    if (!parsed.success) return { status: "error", code: "BAD_REQUEST" };
    const actor = socket.data.actor;
    if (!isStaff(actor.role)) return { status: "error", code: "FORBIDDEN" };
    try {
      const ticket = await findReadableTicket(deps as Deps, actor, { id: parsed.data });
      if (socket.data.viewerName === undefined) {
        const user = await deps.db.user.findUnique({ where: { id: actor.id }, select: { name: true, email: true } });
        if (!user) return { status: "error", code: "FORBIDDEN" };
        socket.data.viewerName = user.name?.trim() || user.email;
      }
      await socket.join(rooms.ticketPresence(ticket.id));
      announceQuietly(ticket.id);
      return { status: "ok", userId: actor.id };
    } catch (err) {
      if (err instanceof AppError && err.code === "TICKET_NOT_FOUND") return { status: "error", code: "NOT_FOUND" };
      throw err;
    }
  }

  /** Wires one connection's presence events; `limited` runs a handler within the socket's event budget. */
  function connect(socket: RealtimeSocket, limited: (handle: () => void, refuse: () => void) => void) {
    const lastTyping = new Map<string, number>();
    socket.on("presence:join", (raw, ack) => {
      const reply = typeof ack === "function" ? ack : () => {};
      limited(
        () => void join(socket, raw).then(reply, () => reply({ status: "error", code: "NOT_FOUND" })),
        () => reply({ status: "error", code: "RATE_LIMITED" }),
      );
    });
    socket.on("presence:leave", (raw) => {
      limited(
        () => {
          const parsed = ticketId.safeParse(raw);
          if (!parsed.success || !socket.rooms.has(rooms.ticketPresence(parsed.data))) return;
          void socket.leave(rooms.ticketPresence(parsed.data));
          lastTyping.delete(parsed.data);
          announceQuietly(parsed.data);
        },
        () => {},
      );
    });
    socket.on("presence:typing", (raw, kind) => {
      limited(
        () => {
          const parsed = ticketId.safeParse(raw);
          // Only a socket in the ticket's presence room (staff, ticket checked at join) may speak there.
          if (!parsed.success || !(TYPING_KINDS as readonly unknown[]).includes(kind) || !socket.rooms.has(rooms.ticketPresence(parsed.data))) return;
          const now = Date.now();
          if (now - (lastTyping.get(parsed.data) ?? 0) < TYPING.serverIntervalMs) return;
          lastTyping.set(parsed.data, now);
          const user = { id: socket.data.actor.id, name: socket.data.viewerName ?? "" };
          socket.to(rooms.ticketPresence(parsed.data)).emit("presence:typing", { ticketId: parsed.data, user, kind, ttlMs: TYPING.ttlMs });
        },
        () => {},
      );
    });
    let left: string[] = [];
    socket.on("disconnecting", () => {
      left = [...socket.rooms].filter((r) => r.startsWith(PREFIX)).map((r) => r.slice(PREFIX.length));
    });
    // By now the socket has left its rooms, so the announcement no longer counts it.
    socket.on("disconnect", () => left.forEach(announceQuietly));
  }

  return { connect, sweep, close: () => clearInterval(timer) };
}
