import type { NotificationKind } from "~/server/generated/prisma/client";
import type { Deps } from "../deps";

export type { NotificationKind };

export interface NotifyStaffInput {
  /** Who should hear of it; duplicates, the actor and anyone who is not staff are dropped. */
  userIds: readonly string[];
  kind: NotificationKind;
  ticketId: string;
  /** Who caused it (never notified of their own action); absent for timers (SLA warnings, breaches). */
  actorId?: string | null;
}

/**
 * Puts a notification in each staff member's bell and, once stored, announces it on their own socket
 * room ("notification:created", through the dispatcher). Call it after the change it reports has
 * committed. Customers and deactivated staff are never notified: a bell is for active staff, whatever the caller passes.
 */
export async function notifyStaff(deps: Pick<Deps, "db" | "clock" | "bus">, input: NotifyStaffInput): Promise<Array<{ id: string; userId: string }>> {
  const wanted = [...new Set(input.userIds)].filter((id) => id !== input.actorId);
  if (wanted.length === 0) return [];
  const staff = await deps.db.user.findMany({ where: { id: { in: wanted }, role: { in: ["AGENT", "ADMIN"] }, deactivatedAt: null }, select: { id: true } });
  if (staff.length === 0) return [];
  const createdAt = deps.clock.now();
  const notifications = await deps.db.notification.createManyAndReturn({
    data: staff.map((u) => ({ userId: u.id, kind: input.kind, ticketId: input.ticketId, actorId: input.actorId ?? null, createdAt })),
    select: { id: true, userId: true },
  });
  await deps.bus.publish({ type: "notifications.created", ticketId: input.ticketId, notifications });
  return notifications;
}
