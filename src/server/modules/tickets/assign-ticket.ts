import { z } from "zod";
import { AppError } from "~/server/errors";
import { isStaff } from "~/shared/enums";
import type { Actor } from "../actor";
import type { Deps } from "../deps";
import { notifyStaff } from "../notifications/bell";
import { findReadableTicket } from "./get-ticket";
import { expectedVersion, lockTicket } from "./version";

export const assignInput = z.strictObject({
  ticketId: z.string().min(1).max(64),
  assigneeId: z.string().min(1).max(64).nullable(),
  version: expectedVersion,
});
export type AssignInput = z.input<typeof assignInput>;

export async function assignTicket(deps: Deps, actor: Actor, raw: AssignInput) {
  const input = assignInput.parse(raw);
  if (!isStaff(actor.role)) throw new AppError("FORBIDDEN");
  const found = await findReadableTicket(deps, actor, { id: input.ticketId });
  const assignee = input.assigneeId
    ? await deps.db.user.findUnique({ where: { id: input.assigneeId }, select: { id: true, role: true, name: true, email: true } })
    : null;
  if (input.assigneeId && (!assignee || !isStaff(assignee.role))) throw new AppError("ASSIGNEE_INVALID");

  const now = deps.clock.now();
  const result = await deps.db.$transaction(async (tx) => {
    const locked = await lockTicket(tx, found.id, input.version);
    const before = await tx.ticket.findUniqueOrThrow({
      where: { id: found.id },
      select: { assigneeId: true, assignee: { select: { name: true, email: true } } },
    });
    if (before.assigneeId === (assignee?.id ?? null)) return { changed: false, version: locked.version };
    const { version } = await tx.ticket.update({ where: { id: found.id }, data: { assigneeId: assignee?.id ?? null, updatedAt: now }, select: { version: true } });
    await tx.ticketEvent.create({
      data: {
        ticketId: found.id,
        actorId: actor.id,
        type: "ASSIGNED",
        fromValue: before.assignee ? (before.assignee.name ?? before.assignee.email) : null,
        toValue: assignee ? (assignee.name ?? assignee.email) : null,
        createdAt: now,
      },
    });
    return { changed: true, version };
  });

  if (result.changed) {
    await deps.bus.publish({ type: "ticket.updated", ticketId: found.id, number: found.number, requesterId: found.requesterId, emailIds: [] });
    // The assignment is saved: a bell that cannot ring must not turn it into an error.
    if (assignee) await notifyStaff(deps, { userIds: [assignee.id], kind: "ASSIGNED", ticketId: found.id, actorId: actor.id }).catch(() => []);
  }
  return { assigneeId: assignee?.id ?? null, version: result.version };
}
