import { fragment, sql, type SqlQuery } from "~/server/db/sql";
import type { TicketStatus } from "~/shared/enums";
import { QUEUE_VIEWS, type QueueView } from "~/shared/queue";

export { QUEUE_VIEWS, type QueueView };

/*
 * The queue's views as SQL over `"Ticket" t`. ACTIVE, SLA_KEY and LAST_CUSTOMER_KEY are written
 * exactly as in the partial and expression indexes of migration 20261206113500_queue: the planner
 * only uses an index whose predicate or expression it recognises in the query.
 */

/** Not finished (RESOLVED, CLOSED, REJECTED): the few thousand rows every view but "Todos" reads. */
export const ACTIVE = fragment(`t.status IN ('OPEN', 'IN_PROGRESS', 'WAITING_ON_CUSTOMER')`);
const ACTIVE_STATUSES: readonly TicketStatus[] = ["OPEN", "IN_PROGRESS", "WAITING_ON_CUSTOMER"];

const FIRST_RUNNING = `t."firstResponseAt" IS NULL`;
const RESOLUTION_RUNNING = `t."resolvedAt" IS NULL`;

/** The nearest due time of a running target; 'infinity' when none runs (finished tickets sort last). */
export const SLA_KEY = fragment(
  `COALESCE(CASE WHEN t.status IN ('OPEN', 'IN_PROGRESS', 'WAITING_ON_CUSTOMER') THEN LEAST(CASE WHEN t."firstResponseAt" IS NULL THEN t."firstResponseDueAt" END, CASE WHEN t."resolvedAt" IS NULL THEN t."resolutionDueAt" END) END, 'infinity'::timestamp(3))`,
);

/** When the customer last wrote; '-infinity' when never (last in "most recent first"). */
export const LAST_CUSTOMER_KEY = fragment(`COALESCE(t."lastCustomerMessageAt", '-infinity'::timestamp(3))`);

/**
 * A running target's due time has passed. While the clock is paused the due times are moved when
 * it resumes (sla/due-times.ts), so only a due reached before the pause counts.
 */
export function overdue(now: Date): SqlQuery {
  const limit = sql`LEAST(${now}::timestamp(3), COALESCE(t."slaPausedAt", ${now}::timestamp(3)))`;
  return sql`COALESCE((${fragment(FIRST_RUNNING)} AND t."firstResponseDueAt" <= ${limit}) OR (${fragment(RESOLUTION_RUNNING)} AND t."resolutionDueAt" <= ${limit}), false)`;
}

/** Not overdue, the clock running, and a running target past its warning time. */
export function atRisk(now: Date): SqlQuery {
  const at = sql`${now}::timestamp(3)`;
  return sql`(t."slaPausedAt" IS NULL
    AND NOT COALESCE((${fragment(FIRST_RUNNING)} AND t."firstResponseDueAt" <= ${at}) OR (${fragment(RESOLUTION_RUNNING)} AND t."resolutionDueAt" <= ${at}), false)
    AND COALESCE((${fragment(FIRST_RUNNING)} AND t."firstResponseWarnAt" <= ${at}) OR (${fragment(RESOLUTION_RUNNING)} AND t."resolutionWarnAt" <= ${at}), false))`;
}

/** Handed to one of the agent's teams. */
export function myTeams(me: string): SqlQuery {
  return sql`t."teamId" IN (SELECT m."teamId" FROM "TeamMember" m WHERE m."userId" = ${me})`;
}

/** The statuses a view holds; null: any ("Todos"). */
export const VIEW_STATUSES: Record<QueueView, readonly TicketStatus[] | null> = {
  unassigned: ACTIVE_STATUSES,
  mine: ACTIVE_STATUSES,
  team: ACTIVE_STATUSES,
  open: ["OPEN", "IN_PROGRESS"],
  waiting: ["WAITING_ON_CUSTOMER"],
  atRisk: ACTIVE_STATUSES,
  overdue: ACTIVE_STATUSES,
  all: null,
};

/**
 * The statuses of a view and of the status filter as ONE condition. Written as two, the planner
 * multiplies their selectivities as if independent ("not finished" × "open" = 0.1% of a table
 * where 3% are open) and picks plans for 30 times fewer rows than it gets. The whole live set is
 * written exactly as ACTIVE, so the partial indexes' predicate is recognised; a part of it is
 * proved to imply that predicate too. Statuses come from the enum (zod), so they are spliced as literals.
 */
export function statusCondition(view: QueueView, filter: readonly TicketStatus[] | undefined): SqlQuery | null {
  const ofView = VIEW_STATUSES[view];
  const wanted = filter?.length ? (ofView ? ofView.filter((s) => filter.includes(s)) : [...filter]) : ofView;
  if (!wanted) return null;
  if (wanted.length === 0) return sql`false`;
  if (wanted.length === ACTIVE_STATUSES.length && ACTIVE_STATUSES.every((s) => wanted.includes(s))) return sql`${ACTIVE}`;
  return sql`t.status IN (${fragment(wanted.map((s) => `'${s}'`).join(", "))})`;
}

/** A view's other condition (besides its statuses), for the agent `me`, at `now`. */
export function viewCondition(view: QueueView, me: string, now: Date): SqlQuery | null {
  switch (view) {
    case "unassigned":
      return sql`t."assigneeId" IS NULL`;
    case "mine":
      return sql`t."assigneeId" = ${me}`;
    case "team":
      return myTeams(me);
    case "atRisk":
      return atRisk(now);
    case "overdue":
      return overdue(now);
    case "open":
    case "waiting":
    case "all":
      return null;
  }
}
