import { sqlOf } from "~/server/db/client";
import { sql } from "~/server/db/sql";
import { AppError } from "~/server/errors";
import { isStaff } from "~/shared/enums";
import { QUEUE_ALL_COUNT_CAP } from "~/shared/queue";
import type { QueueCounts } from "~/shared/schemas/queue";
import type { Actor } from "../../actor";
import type { Deps } from "../../deps";
import { filterConditions, queueFilters, whereAll, type QueueFilters } from "./queue-filters";
import { unprepared } from "./unprepared";
import { ACTIVE, atRisk, myTeams, overdue, statusCondition } from "./views";

export const queueCountsInput = queueFilters;

interface Row {
  unassigned: number;
  mine: number;
  team: number;
  open: number;
  waiting: number;
  atRisk: number;
  overdue: number;
  all: number;
}

/**
 * How many tickets each view holds, with the same filters (not the search). One statement: the
 * live views are counted with FILTER clauses over the live rows only (Ticket_active_created_idx);
 * "Todos" stops counting at QUEUE_ALL_COUNT_CAP, since an exact count would read every ticket.
 */
export async function queueCounts(deps: Deps, actor: Actor, raw: QueueFilters = {}): Promise<QueueCounts> {
  if (!isStaff(actor.role)) throw new AppError("FORBIDDEN");
  const filters = queueCountsInput.parse(raw);
  const now = deps.clock.now();
  const others = filterConditions(filters, actor.id);
  const live = whereAll([statusCondition("unassigned", filters.status) ?? sql`${ACTIVE}`, ...others]);
  const anyStatus = statusCondition("all", filters.status);
  const every = whereAll(anyStatus ? [anyStatus, ...others] : others);
  const { rows } = await sqlOf(deps.db).query<Row>(unprepared(sql`
    SELECT
      count(*) FILTER (WHERE t."assigneeId" IS NULL)::int AS unassigned,
      count(*) FILTER (WHERE t."assigneeId" = ${actor.id})::int AS mine,
      count(*) FILTER (WHERE ${myTeams(actor.id)})::int AS team,
      count(*) FILTER (WHERE t.status IN ('OPEN', 'IN_PROGRESS'))::int AS open,
      count(*) FILTER (WHERE t.status = 'WAITING_ON_CUSTOMER')::int AS waiting,
      count(*) FILTER (WHERE ${atRisk(now)})::int AS "atRisk",
      count(*) FILTER (WHERE ${overdue(now)})::int AS overdue,
      (SELECT count(*)::int FROM (SELECT 1 FROM "Ticket" t ${every} LIMIT ${QUEUE_ALL_COUNT_CAP + 1}) capped) AS "all"
    FROM "Ticket" t ${live}`));
  const r = rows[0]!;
  return {
    unassigned: r.unassigned,
    mine: r.mine,
    team: r.team,
    open: r.open,
    waiting: r.waiting,
    atRisk: r.atRisk,
    overdue: r.overdue,
    all: Math.min(r.all, QUEUE_ALL_COUNT_CAP),
    allMore: r.all > QUEUE_ALL_COUNT_CAP,
  };
}
