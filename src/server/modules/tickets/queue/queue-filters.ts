import { z } from "zod";
import { sql, type SqlQuery } from "~/server/db/sql";
import { myTeams } from "./views";
import { CHANNELS, PRIORITIES, TICKET_STATUSES } from "~/shared/enums";

/** The filters the queue's views, pages and counts share. */
export const queueFilters = z.strictObject({
  status: z.array(z.enum(TICKET_STATUSES)).max(TICKET_STATUSES.length).optional(),
  priority: z.array(z.enum(PRIORITIES)).max(PRIORITIES.length).optional(),
  channel: z.array(z.enum(CHANNELS)).max(CHANNELS.length).optional(),
  categoryId: z.array(z.string().min(1).max(64)).max(50).optional(),
  /** "me", "none" (unassigned), "deactivated" (held by deactivated staff, to reassign) or an agent's id. */
  assignee: z.string().min(1).max(64).optional(),
  /** "mine" (the agent's teams), "none" (no team) or a team's id. */
  team: z.string().min(1).max(64).optional(),
});
export type QueueFilters = z.infer<typeof queueFilters>;

/** The filters but status (see statusCondition in views.ts) as conditions on `"Ticket" t`, for the agent `me`. */
export function filterConditions(f: QueueFilters, me: string): SqlQuery[] {
  const out: SqlQuery[] = [];
  if (f.priority?.length) out.push(sql`t.priority = ANY(${f.priority}::"Priority"[])`);
  if (f.channel?.length) out.push(sql`t.channel = ANY(${f.channel}::"Channel"[])`);
  if (f.categoryId?.length) out.push(sql`t."categoryId" = ANY(${f.categoryId}::text[])`);
  if (f.assignee === "deactivated") out.push(sql`t."assigneeId" IN (SELECT x.id FROM "User" x WHERE x."deactivatedAt" IS NOT NULL)`);
  else if (f.assignee) out.push(f.assignee === "none" ? sql`t."assigneeId" IS NULL` : sql`t."assigneeId" = ${f.assignee === "me" ? me : f.assignee}`);
  if (f.team) out.push(f.team === "none" ? sql`t."teamId" IS NULL` : f.team === "mine" ? myTeams(me) : sql`t."teamId" = ${f.team}`);
  return out;
}

export function whereAll(conditions: SqlQuery[]): SqlQuery {
  return conditions.length ? conditions.reduce((acc, c, i) => (i === 0 ? sql`WHERE ${c}` : sql`${acc} AND ${c}`), sql``) : sql``;
}
