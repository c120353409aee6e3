import { z } from "zod";
import { sqlOf } from "~/server/db/client";
import { sql } from "~/server/db/sql";
import type { Actor } from "../actor";
import type { Deps } from "../deps";

export const markViewedInput = z.strictObject({ ticketId: z.string().min(1).max(64) });

/**
 * The requester opened (or is looking at) their ticket's page: "Mis tickets" stops marking it unread.
 * Only the requester's own row is touched; anyone else's id changes nothing and says nothing.
 */
export async function markTicketViewed(deps: Deps, actor: Actor, raw: z.input<typeof markViewedInput>): Promise<{ ok: true }> {
  const input = markViewedInput.parse(raw);
  await sqlOf(deps.db).query(sql`UPDATE "Ticket" SET "requesterLastViewedAt" = ${deps.clock.now()}
    WHERE id = ${input.ticketId} AND "requesterId" = ${actor.id}`);
  return { ok: true };
}
