"use client";
import { useCallback } from "react";
import { useRealtime, useTicketRoom } from "~/realtime/hooks";
import type { TicketHint } from "~/shared/realtime";
import { api } from "~/trpc/react";

/** A ticket that refetches itself whenever the server says it changed. */
export function useLiveTicket(number: number) {
  const utils = api.useUtils();
  const query = api.ticket.get.useQuery({ number }, { retry: false });
  const ticketId = query.data?.id;
  useTicketRoom(ticketId);
  const onEvent = useCallback(
    (_: string, hint: TicketHint) => {
      if (hint.ticketId === ticketId) void utils.ticket.get.invalidate({ number });
    },
    [ticketId, number, utils],
  );
  useRealtime(["message:created", "ticket:updated"], onEvent);
  return { query, refresh: () => utils.ticket.get.invalidate({ number }) };
}

