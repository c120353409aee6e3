"use client";
import { useCallback } from "react";
import { api } from "~/trpc/react";

/** An edit refused because the ticket moved on since the page read it (server/modules/tickets/version.ts). */
export function isTicketChanged(err: unknown): boolean {
  return (err as { data?: { appCode?: string | null } | null } | null)?.data?.appCode === "TICKET_CHANGED";
}

/**
 * Gives the cached ticket the version an edit answered with, at once: the agent's next edit names it
 * even before the refetch lands, instead of being refused for the agent's own previous change.
 */
export function useNoteVersion(number: number): (version: number) => void {
  const utils = api.useUtils();
  return useCallback(
    (version: number) => utils.ticket.get.setData({ number }, (old) => (old && old.version < version ? { ...old, version } : old)),
    [utils, number],
  );
}

/** mutate() options for a workspace edit: note the new version and refetch; a stale edit refetches so the agent sees why. */
export function useVersionedEdit(number: number) {
  const noteVersion = useNoteVersion(number);
  return (refresh: () => void) => ({
    onSuccess: (res: { version: number }) => {
      noteVersion(res.version);
      refresh();
    },
    onError: (err: unknown) => {
      if (isTicketChanged(err)) refresh();
    },
  });
}
