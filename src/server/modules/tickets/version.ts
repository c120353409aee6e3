import { z } from "zod";
import { AppError } from "~/server/errors";

// Optimistic concurrency for agents' edits. A trigger (migration 20261206110000_ticket_version) moves
// Ticket.version whenever a field agents edit changes; an edit carries the version the agent saw, and
// is refused when the ticket has moved on since, instead of silently overwriting the other change.

/** The version an edit was made from; optional so mail, timers and API callers that do not know it still work. */
export const expectedVersion = z.number().int().min(0).max(2_147_483_647).optional();

/** Throws TICKET_CHANGED when the agent's view of the ticket is older than the ticket. Call it on a row read FOR UPDATE (or inside the guarded UPDATE's transaction). */
export function assertVersion(current: number, expected: number | undefined): void {
  if (expected !== undefined && expected !== current) throw new AppError("TICKET_CHANGED", { current });
}
