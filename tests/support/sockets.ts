import { EventEmitter } from "node:events";
import { io as connectSocket, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents, TypingKind, Viewer } from "~/shared/realtime";
import { waitUntil, withTimeout } from "./wait";

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
/** Any server event's payload: hints (number, at, messageId), presence (viewers, at) and typing (user, kind). */
export type Received = {
  event: keyof ServerToClientEvents;
  payload: { ticketId: string; number: number; at: number; messageId?: string; viewers?: Viewer[]; user?: Viewer; kind?: TypingKind; ttlMs?: number };
};

export interface Recorded {
  socket: ClientSocket;
  events: Received[];
  /** The first received event (past or future) matching `match`. */
  next(match: (e: Received) => boolean, what: string, timeoutMs?: number): Promise<Received>;
  /** Everything received so far about one ticket, as [event, messageId?] pairs. */
  about(ticketId: string): Array<[string, string | undefined]>;
}

/** Every socket the tests of one file opened, to disconnect after them. */
export const openedSockets: ClientSocket[] = [];

export function openSocket(url: string, cookie?: string): { socket: ClientSocket; recorded: Recorded } {
  const socket: ClientSocket = connectSocket(url, {
    path: "/socket.io",
    transports: ["websocket"],
    extraHeaders: cookie ? { cookie } : {},
    reconnection: false,
    forceNew: true,
  });
  openedSockets.push(socket);
  const events: Received[] = [];
  const signal = new EventEmitter();
  socket.onAny((event: keyof ServerToClientEvents, payload: Received["payload"]) => {
    events.push({ event, payload });
    signal.emit("event");
  });
  const recorded: Recorded = {
    socket,
    events,
    next: (match, what, timeoutMs = 10_000) => waitUntil(signal, "event", () => events.find(match), what, timeoutMs),
    about: (ticketId) => events.filter((e) => e.payload.ticketId === ticketId).map((e) => [e.event, e.payload.messageId]),
  };
  return { socket, recorded };
}

/** A connected, authenticated socket that records every event it receives. */
export async function connected(url: string, cookie: string): Promise<Recorded> {
  const { socket, recorded } = openSocket(url, cookie);
  await withTimeout(
    new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", (err) => reject(err));
    }),
    "socket connect",
  );
  return recorded;
}
