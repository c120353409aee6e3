"use client";
import { useEffect } from "react";
import type { TicketDetail } from "~/shared/schemas/tickets";
import { api } from "~/trpc/react";

/**
 * The requester has their ticket open: "Mis tickets" stops marking it unread. Sent when the page
 * first shows the ticket and again whenever a new message appears on it while it is open.
 */
export function MarkViewed({ ticket }: { ticket: TicketDetail }) {
  const { mutate } = api.portal.markViewed.useMutation();
  const lastMessage = ticket.messages.at(-1)?.id;
  useEffect(() => {
    mutate({ ticketId: ticket.id });
  }, [ticket.id, lastMessage, mutate]);
  return null;
}
