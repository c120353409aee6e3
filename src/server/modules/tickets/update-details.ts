import { z } from "zod";
import { AppError } from "~/server/errors";
import { PRIORITIES, isStaff } from "~/shared/enums";
import type { Actor } from "../actor";
import type { Deps } from "../deps";
import { reclassifiedDueDates } from "../sla/ticket-sla";
import { scheduleSlaTimer } from "../sla/timers";
import { findReadableTicket } from "./get-ticket";
import { expectedVersion, lockTicket } from "./version";

export const updateDetailsInput = z.strictObject({
  ticketId: z.string().min(1).max(64),
  priority: z.enum(PRIORITIES).optional(),
  /** null: no category. */
  categoryId: z.string().min(1).max(64).nullable().optional(),
  version: expectedVersion,
});
export type UpdateDetailsInput = z.input<typeof updateDetailsInput>;

/**
 * Staff reclassify a ticket (seed 003's diagnosis: classify, prioritize): each change lands in its
 * "Movimientos"; a new priority moves the resolution due time to the new target (sla/due-times.ts).
 */
export async function updateTicketDetails(deps: Deps, actor: Actor, raw: UpdateDetailsInput) {
  const input = updateDetailsInput.parse(raw);
  if (!isStaff(actor.role)) throw new AppError("FORBIDDEN");
  const found = await findReadableTicket(deps, actor, { id: input.ticketId });
  if (input.categoryId) {
    const category = await deps.db.category.findFirst({ where: { id: input.categoryId, active: true }, select: { id: true } });
    if (!category) throw new AppError("CATEGORY_NOT_FOUND");
  }
  const now = deps.clock.now();
  const result = await deps.db.$transaction(async (tx) => {
    const locked = await lockTicket(tx, found.id, input.version);
    const before = await tx.ticket.findUniqueOrThrow({
      where: { id: found.id },
      select: {
        priority: true,
        categoryId: true,
        channel: true,
        createdAt: true,
        firstResponseAt: true,
        firstResponseDueAt: true,
        resolutionDueAt: true,
        firstResponseWarnAt: true,
        resolutionWarnAt: true,
        category: { select: { nameEs: true } },
      },
    });
    const priority = input.priority && input.priority !== before.priority ? input.priority : null;
    const category = input.categoryId !== undefined && input.categoryId !== before.categoryId ? { id: input.categoryId } : null;
    if (!priority && !category) return { changed: false, version: locked.version };
    // Another priority, or a category whose policy differs, moves the due times (sla/ticket-sla.ts).
    const due = await reclassifiedDueDates(deps, before, { priority: priority ?? before.priority, categoryId: category ? category.id : before.categoryId, channel: before.channel });
    const { version } = await tx.ticket.update({
      where: { id: found.id },
      select: { version: true },
      data: { updatedAt: now, ...(priority && { priority }), ...(category && { categoryId: category.id }), ...due },
    });
    const after = category?.id ? await tx.category.findUniqueOrThrow({ where: { id: category.id }, select: { nameEs: true } }) : null;
    await tx.ticketEvent.createMany({
      data: [
        ...(priority ? [{ ticketId: found.id, actorId: actor.id, type: "PRIORITY_CHANGED" as const, fromValue: before.priority, toValue: priority, createdAt: now }] : []),
        ...(category
          ? [{ ticketId: found.id, actorId: actor.id, type: "CATEGORY_CHANGED" as const, fromValue: before.category?.nameEs ?? null, toValue: after?.nameEs ?? null, createdAt: now }]
          : []),
      ],
    });
    // Moved due times need the ticket's SLA timer moved too, once this commits.
    return { changed: true, version, retargeted: !!due };
  });
  if (result.retargeted) await scheduleSlaTimer(deps, found.id);
  if (result.changed) await deps.bus.publish({ type: "ticket.updated", ticketId: found.id, number: found.number, requesterId: found.requesterId, emailIds: [] });
  return { changed: result.changed, version: result.version };
}
