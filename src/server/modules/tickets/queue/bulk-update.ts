import { z } from "zod";
import { AppError } from "~/server/errors";
import { PRIORITIES, isStaff } from "~/shared/enums";
import { QUEUE_BULK_MAX } from "~/shared/queue";
import type { BulkResult } from "~/shared/schemas/queue";
import type { Actor } from "../../actor";
import type { Deps } from "../../deps";
import { assignTicket } from "../assign-ticket";
import { setTicketStatus } from "../set-status";
import { updateTicketDetails } from "../update-details";

/** Rejecting needs a reason written for each customer, so it is not a bulk action. */
const BULK_STATUSES = ["OPEN", "IN_PROGRESS", "WAITING_ON_CUSTOMER", "RESOLVED", "CLOSED"] as const;

export const bulkUpdateInput = z.strictObject({
  ticketIds: z.array(z.string().min(1).max(64)).min(1).max(QUEUE_BULK_MAX),
  action: z.discriminatedUnion("type", [
    z.strictObject({ type: z.literal("assign"), assigneeId: z.string().min(1).max(64).nullable() }),
    z.strictObject({ type: z.literal("team"), teamId: z.string().min(1).max(64).nullable() }),
    z.strictObject({ type: z.literal("status"), status: z.enum(BULK_STATUSES) }),
    z.strictObject({ type: z.literal("priority"), priority: z.enum(PRIORITIES) }),
  ]),
});
export type BulkUpdateInput = z.input<typeof bulkUpdateInput>;

/**
 * The same change to several tickets, one at a time through the use-case an agent would call on
 * each ticket page, so each one lands in its history, its mails and its live events. A ticket that
 * refuses (gone, already in that status, changed meanwhile) is reported, and the others go on.
 */
export async function bulkUpdateTickets(deps: Deps, actor: Actor, raw: BulkUpdateInput): Promise<BulkResult> {
  if (!isStaff(actor.role)) throw new AppError("FORBIDDEN");
  const input = bulkUpdateInput.parse(raw);
  const { action } = input;
  const updated: string[] = [];
  const failed: BulkResult["failed"] = [];
  for (const ticketId of new Set(input.ticketIds)) {
    try {
      if (action.type === "assign") await assignTicket(deps, actor, { ticketId, assigneeId: action.assigneeId });
      else if (action.type === "team") await assignTicket(deps, actor, { ticketId, teamId: action.teamId });
      else if (action.type === "status") await setTicketStatus(deps, actor, { ticketId, status: action.status });
      else await updateTicketDetails(deps, actor, { ticketId, priority: action.priority });
      updated.push(ticketId);
    } catch (err) {
      // Only the domain's own refusals are per-ticket outcomes; anything else is a real failure.
      if (!(err instanceof AppError)) throw err;
      failed.push({ ticketId, code: err.code });
    }
  }
  return { updated, failed };
}
