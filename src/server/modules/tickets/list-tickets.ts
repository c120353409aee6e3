import { z } from "zod";
import { PRIORITIES, TICKET_STATUSES, isStaff } from "~/shared/enums";
import { sqlOf } from "~/server/db/client";
import { fragment, sql, type SqlQuery } from "~/server/db/sql";
import type { Channel, Priority, TicketStatus } from "~/server/generated/prisma/client";
import type { Actor } from "../actor";
import type { Deps } from "../deps";
import { nameOnly } from "./staff-identity";

export const listTicketsInput = z.strictObject({
  status: z.array(z.enum(TICKET_STATUSES)).max(TICKET_STATUSES.length).optional(),
  priority: z.array(z.enum(PRIORITIES)).max(PRIORITIES.length).optional(),
  /** "me", "none" (unassigned) or an agent's id. */
  assignee: z.string().min(1).max(64).optional(),
  order: z.enum(["oldest", "newest"]).optional(),
  cursor: z.string().min(1).max(64).nullish(),
  /** Sent by tRPC's useInfiniteQuery with every page; pages only go forward here. */
  direction: z.enum(["forward", "backward"]).optional(),
  limit: z.number().int().min(1).max(100).default(50),
});
export type ListTicketsInput = z.input<typeof listTicketsInput>;

/** One row of a ticket list: what the queue and the portal show. */
export interface TicketListItem {
  id: string;
  number: number;
  subject: string;
  status: TicketStatus;
  priority: Priority;
  channel: Channel;
  createdAt: Date;
  updatedAt: Date;
  firstResponseAt: Date | null;
  category: { id: string; nameEs: string; nameEn: string } | null;
  requester: { id: string; name: string | null; email: string };
  assignee: { id: string; name: string | null; email: string } | null;
}

/** A ticket list row as the joined SQL returns it (the queue's rows add their own columns). */
export type TicketRow = Omit<TicketListItem, "category" | "requester" | "assignee"> & {
  cId: string | null;
  cEs: string | null;
  cEn: string | null;
  rId: string;
  rName: string | null;
  rEmail: string;
  aId: string | null;
  aName: string | null;
  aEmail: string | null;
};

const COLUMNS = fragment(`t.id, t.number, t.subject, t.status::text AS status, t.priority::text AS priority, t.channel::text AS channel,
  t."createdAt", t."updatedAt", t."firstResponseAt",
  c.id AS "cId", c."nameEs" AS "cEs", c."nameEn" AS "cEn",
  r.id AS "rId", r.name AS "rName", r.email AS "rEmail",
  a.id AS "aId", a.name AS "aName", a.email AS "aEmail"
  FROM "Ticket" t JOIN "User" r ON r.id = t."requesterId"
  LEFT JOIN "Category" c ON c.id = t."categoryId" LEFT JOIN "User" a ON a.id = t."assigneeId"`);

export function ticketListItem(r: TicketRow): TicketListItem {
  return {
    id: r.id,
    number: r.number,
    subject: r.subject,
    status: r.status,
    priority: r.priority,
    channel: r.channel,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    firstResponseAt: r.firstResponseAt,
    category: r.cId ? { id: r.cId, nameEs: r.cEs!, nameEn: r.cEn! } : null,
    requester: { id: r.rId, name: r.rName, email: r.rEmail },
    assignee: r.aId ? { id: r.aId, name: r.aName, email: r.aEmail! } : null,
  };
}

/**
 * A customer's own tickets (newest first), or the agents' queue (oldest first) with filters. Keyset
 * pages on (createdAt, id). Plain SQL, one statement: the queue is the hottest read of the product,
 * and Prisma's query compiler cost more CPU than the query itself (bench:api's profile).
 */
export async function listTickets(deps: Deps, actor: Actor, raw: ListTicketsInput) {
  const input = listTicketsInput.parse(raw);
  const staff = isStaff(actor.role);
  const conditions: SqlQuery[] = [];
  if (!staff) conditions.push(sql`t."requesterId" = ${actor.id}`);
  if (input.status?.length) conditions.push(sql`t.status = ANY(${input.status}::"TicketStatus"[])`);
  if (input.priority?.length) conditions.push(sql`t.priority = ANY(${input.priority}::"Priority"[])`);
  if (staff && input.assignee) {
    conditions.push(input.assignee === "none" ? sql`t."assigneeId" IS NULL` : sql`t."assigneeId" = ${input.assignee === "me" ? actor.id : input.assignee}`);
  }
  const order = input.order ?? (staff ? "oldest" : "newest");
  const [cmp, dir] = order === "oldest" ? [fragment(">"), fragment("ASC")] : [fragment("<"), fragment("DESC")];
  if (input.cursor) conditions.push(sql`(t."createdAt", t.id) ${cmp} (SELECT k."createdAt", k.id FROM "Ticket" k WHERE k.id = ${input.cursor})`);
  const where = conditions.length ? conditions.reduce((acc, c, i) => (i === 0 ? sql`WHERE ${c}` : sql`${acc} AND ${c}`), sql``) : sql``;

  const { rows } = await sqlOf(deps.db).query<TicketRow>(sql`SELECT ${COLUMNS} ${where} ORDER BY t."createdAt" ${dir}, t.id ${dir} LIMIT ${input.limit + 1}`);
  const hasMore = rows.length > input.limit;
  const page = (hasMore ? rows.slice(0, input.limit) : rows).map(ticketListItem);
  // A customer's list names the assignee, never their account id or address.
  const items = staff ? page : page.map((t) => ({ ...t, assignee: nameOnly(t.assignee) }));
  return { items, nextCursor: hasMore ? page[page.length - 1]!.id : null };
}
