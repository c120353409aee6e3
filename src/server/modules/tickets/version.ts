import { z } from "zod";
import { AppError } from "~/server/errors";
import type { TicketStatus } from "~/shared/enums";
import type { Tx } from "../notifications/outbox";

// Optimistic concurrency for agents' edits. A trigger (migration 20261206110000_ticket_version) moves
// Ticket.version whenever a field agents edit changes; an edit carries the version the agent saw, and
// is refused when the ticket has moved on since, instead of silently overwriting the other change.

/** The version an edit was made from; optional so mail, timers and API callers that do not know it still work. */
export const expectedVersion = z.number().int().min(0).max(2_147_483_647).optional();

/** Throws TICKET_CHANGED when the agent's view of the ticket is older than the ticket. Call it on a row read FOR UPDATE (or inside the guarded UPDATE's transaction). */
export function assertVersion(current: number, expected: number | undefined): void {
  if (expected !== undefined && expected !== current) throw new AppError("TICKET_CHANGED", { current });
}

/**
 * Reads the ticket's row FOR UPDATE inside `tx` and checks the version the edit was made from: from
 * here to commit no other edit can move the ticket, so the check still holds when the edit lands.
 */
export async function lockTicket(tx: Tx, ticketId: string, expected: number | undefined): Promise<{ version: number; status: TicketStatus }> {
  const rows = await tx.$queryRaw<Array<{ version: number; status: TicketStatus }>>`SELECT version, status::text AS status FROM "Ticket" WHERE id = ${ticketId} FOR UPDATE`;
  const row = rows[0];
  if (!row) throw new AppError("TICKET_NOT_FOUND");
  assertVersion(row.version, expected);
  return row;
}
