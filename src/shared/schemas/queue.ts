import { z } from "zod";
import { ticketListItem } from "./tickets";

/** One row of the agents' queue (ticket.queue): a ticket list row with the queue's own columns. */
export const queueItem = ticketListItem.extend({
  /** The team working it, if any (modules/teams/). */
  team: z.object({ id: z.string(), name: z.string() }).nullable(),
  lastCustomerMessageAt: z.date().nullable(),
  /** The nearest due time of a running SLA target; null when none runs. */
  slaDueAt: z.date().nullable(),
  slaState: z.enum(["overdue", "atRisk", "paused"]).nullable(),
});
export type QueueItem = z.infer<typeof queueItem>;

export const queuePage = z.object({ items: z.array(queueItem), nextCursor: z.string().nullable() });

export const queueCounts = z.object({
  unassigned: z.number(),
  mine: z.number(),
  team: z.number(),
  open: z.number(),
  waiting: z.number(),
  atRisk: z.number(),
  overdue: z.number(),
  all: z.number(),
  /** "Todos" holds more than `all` (the count stops at QUEUE_ALL_COUNT_CAP). */
  allMore: z.boolean(),
});
export type QueueCounts = z.infer<typeof queueCounts>;

/** ticket.bulkUpdate: the tickets changed, and each refusal with its error code (errors.<code>). */
export const bulkResult = z.object({
  updated: z.array(z.string()),
  failed: z.array(z.object({ ticketId: z.string(), code: z.string() })),
});
export type BulkResult = z.infer<typeof bulkResult>;
