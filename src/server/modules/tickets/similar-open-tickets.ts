import { z } from "zod";
import { sqlOf } from "~/server/db/client";
import { sql } from "~/server/db/sql";
import { isStaff, SUBJECT_MAX } from "~/shared/enums";
import type { Actor } from "../actor";
import type { Deps } from "../deps";

export const similarOpenTicketsInput = z.strictObject({ subject: z.string().trim().max(SUBJECT_MAX) });

/** pg_trgm's own default cut-off for `%`: below it, two subjects share too few trigrams to be "the same matter". */
const MIN_SIMILARITY = 0.3;

/**
 * Seed 001: a follow-up "no debe generar un nuevo ticket para responder el anterior". While a customer
 * types a new ticket's subject, their own tickets still open whose subject resembles it (trigram
 * similarity, pg_trgm: installed by the knowledge-base migration), most alike first, at most three.
 * Only the actor's own tickets are ever compared; staff, who open tickets for others, get none.
 */
export async function similarOpenTickets(deps: Pick<Deps, "db">, actor: Actor, raw: z.input<typeof similarOpenTicketsInput>) {
  const { subject } = similarOpenTicketsInput.parse(raw);
  if (isStaff(actor.role) || subject.length < 4) return [];
  const { rows } = await sqlOf(deps.db).query<{ number: number; subject: string }>(sql`
    SELECT number, subject FROM "Ticket"
    WHERE "requesterId" = ${actor.id} AND status IN ('OPEN', 'IN_PROGRESS', 'WAITING_ON_CUSTOMER') AND "mergedIntoId" IS NULL
      AND similarity(subject, ${subject}) >= ${MIN_SIMILARITY}
    ORDER BY similarity(subject, ${subject}) DESC, number DESC
    LIMIT 3`);
  return rows;
}
