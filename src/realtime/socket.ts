"use client";
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "~/shared/realtime";

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let socket: ClientSocket | null = null;

/** One connection per tab, authenticated by the session cookie the browser already sends. */
export function getSocket(): ClientSocket {
  // WebSocket only: a long-polling session would need sticky routing across web processes (WEB_PROCESSES).
  socket ??= io({ path: "/socket.io", transports: ["websocket"], withCredentials: true });
  return socket;
}
