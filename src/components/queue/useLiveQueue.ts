"use client";
import { useCallback, useEffect, useRef, useState } from "react";
import { useRealtime } from "~/realtime/hooks";
import type { ServerToClientEvents, TicketHint } from "~/shared/realtime";
import { api } from "~/trpc/react";

const DEBOUNCE_MS = 400;

/**
 * The queue on live hints: counts and the loaded rows are refetched, at most once per DEBOUNCE_MS
 * however many hints arrive. New tickets are also remembered: one that does not show up among the
 * loaded rows (in FIFO order it lands past them) is announced as "N tickets nuevos" until the view
 * is reloaded, so it is not missed.
 */
export function useLiveQueue() {
  const utils = api.useUtils();
  const [newIds, setNewIds] = useState<string[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const onEvent = useCallback(
    (event: keyof ServerToClientEvents, hint: TicketHint) => {
      if (event === "ticket:created") setNewIds((ids) => (ids.includes(hint.ticketId) ? ids : [...ids, hint.ticketId]));
      if (timer.current) return;
      timer.current = setTimeout(() => {
        timer.current = null;
        void utils.ticket.queueCounts.invalidate();
        void utils.ticket.queue.invalidate();
      }, DEBOUNCE_MS);
    },
    [utils],
  );
  useRealtime(["ticket:created", "ticket:updated", "message:created"], onEvent);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);

  const reload = useCallback(() => {
    setNewIds([]);
    void utils.ticket.queue.invalidate();
    void utils.ticket.queueCounts.invalidate();
  }, [utils]);
  const forget = useCallback(() => setNewIds([]), []);
  return { newIds, reload, forget };
}
