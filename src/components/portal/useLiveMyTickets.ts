"use client";
import { useCallback } from "react";
import { useRealtime } from "~/realtime/hooks";
import { api } from "~/trpc/react";

/**
 * "Mis tickets" refetches on the live events of the customer's own tickets (their user room: created,
 * changed, answered). Other customers' tickets move the waiting line too, and those events never
 * reach this customer: a refetch every minute keeps the places current.
 */
export const WAITING_LINE_REFRESH_MS = 60_000;

export function useLiveMyTickets() {
  const utils = api.useUtils();
  const onEvent = useCallback(() => void utils.portal.myTickets.invalidate(), [utils]);
  useRealtime(["ticket:created", "ticket:updated", "message:created"], onEvent);
}
