"use client";
import { useCallback, useEffect, useRef, useState } from "react";
import { getSocket } from "~/realtime/socket";
import { TYPING, type PresenceState, type TypingKind, type TypingSignal, type Viewer } from "~/shared/realtime";
import { api } from "~/trpc/react";

export interface Typist {
  user: Viewer;
  kind: TypingKind;
  until: number;
}

/**
 * Joins the ticket's presence (staff only; the server checks) for as long as the page shows it, and
 * again after a reconnect. Gives the other agents viewing it, who of them is typing, and
 * `signalTyping` for the reply form, sent at most once per TYPING.clientIntervalMs.
 */
export function useTicketPresence(number: number) {
  // The page's own query (same cache entry): no second fetch, just the ticket's id.
  const ticketId = api.ticket.get.useQuery({ number }, { retry: false }).data?.id;
  const [self, setSelf] = useState<string | null>(null);
  const [presence, setPresence] = useState<PresenceState | null>(null);
  const [typists, setTypists] = useState<Record<string, Typist>>({});
  const lastSignal = useRef(0);

  useEffect(() => {
    if (!ticketId) return;
    const socket = getSocket();
    const join = () =>
      socket.emit("presence:join", ticketId, (ack) => {
        if (ack.status === "ok") setSelf(ack.userId);
      });
    // Lists from several processes may cross on the way: the newest read wins.
    const onPresence = (state: PresenceState) => {
      if (state.ticketId !== ticketId) return;
      setPresence((prev) => (prev && prev.at > state.at ? prev : state));
    };
    const onTyping = (signal: TypingSignal) => {
      if (signal.ticketId !== ticketId) return;
      setTypists((prev) => ({ ...prev, [signal.user.id]: { user: signal.user, kind: signal.kind, until: Date.now() + signal.ttlMs } }));
    };
    if (socket.connected) join();
    socket.on("connect", join);
    socket.on("presence:changed", onPresence);
    socket.on("presence:typing", onTyping);
    return () => {
      socket.off("connect", join);
      socket.off("presence:changed", onPresence);
      socket.off("presence:typing", onTyping);
      socket.emit("presence:leave", ticketId);
      setPresence(null);
      setTypists({});
    };
  }, [ticketId]);

  // Typing warnings lapse on their own a few seconds after the last signal.
  const typing = Object.keys(typists).length > 0;
  useEffect(() => {
    if (!typing) return;
    const timer = setInterval(() => {
      const now = Date.now();
      setTypists((prev) => {
        const kept = Object.entries(prev).filter(([, t]) => t.until > now);
        return kept.length === Object.keys(prev).length ? prev : Object.fromEntries(kept);
      });
    }, 500);
    return () => clearInterval(timer);
  }, [typing]);

  const signalTyping = useCallback(
    (kind: TypingKind) => {
      const now = Date.now();
      if (!ticketId || now - lastSignal.current < TYPING.clientIntervalMs) return;
      lastSignal.current = now;
      getSocket().emit("presence:typing", ticketId, kind);
    },
    [ticketId],
  );

  const viewers = presence?.viewers ?? [];
  const others = viewers.filter((v) => v.id !== self);
  // Someone who left the ticket is no longer typing on it.
  const typingNow = Object.values(typists).filter((t) => t.user.id !== self && viewers.some((v) => v.id === t.user.id));
  return { others, typing: typingNow, signalTyping };
}
