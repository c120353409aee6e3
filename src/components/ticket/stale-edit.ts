/** An edit refused because the ticket moved on since the page read it (tickets/version.ts). */
export function isTicketChanged(err: unknown): boolean {
  return (err as { data?: { appCode?: string | null } | null } | null)?.data?.appCode === "TICKET_CHANGED";
}
