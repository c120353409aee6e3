"use client";
import { useEffect, useState } from "react";
import type { ServerToClientEvents, TicketHint } from "~/shared/realtime";
import { getSocket } from "./socket";

type EventName = keyof ServerToClientEvents;

/** Calls `onEvent` for each named event; the page refetches through tRPC, where access is checked. */
export function useRealtime(events: EventName[], onEvent: (event: EventName, hint: TicketHint) => void) {
  const key = events.join(",");
  useEffect(() => {
    const socket = getSocket();
    const handlers = events.map((name) => {
      const handler = (hint: TicketHint) => onEvent(name, hint);
      socket.on(name, handler);
      return [name, handler] as const;
    });
    return () => {
      for (const [name, handler] of handlers) socket.off(name, handler);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, onEvent]);
}

/** Joins the ticket's room (re-joining after a reconnect) for as long as the page shows it. */
export function useTicketRoom(ticketId: string | undefined) {
  useEffect(() => {
    if (!ticketId) return;
    const socket = getSocket();
    const join = () => socket.emit("ticket:join", ticketId, () => {});
    if (socket.connected) join();
    socket.on("connect", join);
    return () => {
      socket.off("connect", join);
      socket.emit("ticket:leave", ticketId);
    };
  }, [ticketId]);
}

export function useConnectionState(): boolean {
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    const socket = getSocket();
    const on = () => setConnected(true);
    const off = () => setConnected(false);
    setConnected(socket.connected);
    socket.on("connect", on);
    socket.on("disconnect", off);
    return () => {
      socket.off("connect", on);
      socket.off("disconnect", off);
    };
  }, []);
  return connected;
}
