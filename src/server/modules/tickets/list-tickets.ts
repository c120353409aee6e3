import { z } from "zod";
import { PRIORITIES, TICKET_STATUSES, isStaff } from "~/shared/enums";
import type { Prisma } from "~/server/generated/prisma/client";
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

const listSelect = {
  id: true,
  number: true,
  subject: true,
  status: true,
  priority: true,
  channel: true,
  createdAt: true,
  updatedAt: true,
  firstResponseAt: true,
  category: { select: { id: true, nameEs: true, nameEn: true } },
  requester: { select: { id: true, name: true, email: true } },
  assignee: { select: { id: true, name: true, email: true } },
} satisfies Prisma.TicketSelect;

export type TicketListItem = Prisma.TicketGetPayload<{ select: typeof listSelect }>;

/** A customer's own tickets (newest first), or the agents' queue (oldest first) with filters. */
export async function listTickets(deps: Deps, actor: Actor, raw: ListTicketsInput) {
  const input = listTicketsInput.parse(raw);
  const where: Prisma.TicketWhereInput = {};
  if (!isStaff(actor.role)) where.requesterId = actor.id;
  if (input.status?.length) where.status = { in: input.status };
  if (input.priority?.length) where.priority = { in: input.priority };
  if (isStaff(actor.role) && input.assignee) {
    where.assigneeId = input.assignee === "none" ? null : input.assignee === "me" ? actor.id : input.assignee;
  }
  const order = input.order ?? (isStaff(actor.role) ? "oldest" : "newest");
  const dir = order === "oldest" ? "asc" : "desc";

  const rows = await deps.db.ticket.findMany({
    where,
    select: listSelect,
    orderBy: [{ createdAt: dir }, { id: dir }],
    take: input.limit + 1,
    ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
  });
  const hasMore = rows.length > input.limit;
  const page = hasMore ? rows.slice(0, input.limit) : rows;
  // A customer's list names the assignee, never their account id or address.
  const items = isStaff(actor.role) ? page : page.map((t) => ({ ...t, assignee: nameOnly(t.assignee) }));
  return { items, nextCursor: hasMore ? page[page.length - 1]!.id : null };
}
