import { fragment, sql, type SqlQuery } from "~/server/db/sql";
import { QUEUE_VIEWS, type QueueView } from "~/shared/queue";

export { QUEUE_VIEWS, type QueueView };

/*
 * The queue's views as SQL over `"Ticket" t`. ACTIVE, SLA_KEY and LAST_CUSTOMER_KEY are written
 * exactly as in the partial and expression indexes of migration 20261206113500_queue: the planner
 * only uses an index whose predicate or expression it recognises in the query.
 */

/** Not finished (RESOLVED, CLOSED, REJECTED): the few thousand rows every view but "Todos" reads. */
export const ACTIVE = fragment(`t.status IN ('OPEN', 'IN_PROGRESS', 'WAITING_ON_CUSTOMER')`);

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

/** The condition of a view, for the agent `me`, at `now`. "Todos" has none. */
export function viewCondition(view: QueueView, me: string, now: Date): SqlQuery | null {
  switch (view) {
    case "unassigned":
      return sql`${ACTIVE} AND t."assigneeId" IS NULL`;
    case "mine":
      return sql`${ACTIVE} AND t."assigneeId" = ${me}`;
    case "open":
      return sql`${ACTIVE} AND t.status IN ('OPEN', 'IN_PROGRESS')`;
    case "waiting":
      return sql`${ACTIVE} AND t.status = 'WAITING_ON_CUSTOMER'`;
    case "atRisk":
      return sql`${ACTIVE} AND ${atRisk(now)}`;
    case "overdue":
      return sql`${ACTIVE} AND ${overdue(now)}`;
    case "all":
      return null;
  }
}
