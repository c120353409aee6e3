import { z } from "zod";
import { AppError } from "~/server/errors";
import type { Actor } from "../actor";
import type { Deps } from "../deps";

// What a user reads of their own bell (staff: assignments, mentions, SLA; customers: agents' replies
// and status changes, notifications/customer-bell.ts). Every query is scoped to the actor's own rows:
// another user's notification is "not found".

export const listNotificationsInput = z.strictObject({ limit: z.number().int().min(1).max(50).default(20) }).default({ limit: 20 });
export const notificationIdInput = z.strictObject({ id: z.string().min(1).max(64) });

export async function unreadNotificationCount(deps: Pick<Deps, "db">, actor: Actor): Promise<number> {
  return deps.db.notification.count({ where: { userId: actor.id, readAt: null } });
}

/** The newest notifications, read or not, with what the panel says of each. */
export async function listNotifications(deps: Pick<Deps, "db">, actor: Actor, raw?: z.input<typeof listNotificationsInput>) {
  const { limit } = listNotificationsInput.parse(raw);
  return deps.db.notification.findMany({
    where: { userId: actor.id },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: {
      id: true,
      kind: true,
      readAt: true,
      createdAt: true,
      detail: true,
      ticket: { select: { number: true, subject: true } },
      actor: { select: { name: true, email: true } },
    },
  });
}

export async function markNotificationRead(deps: Pick<Deps, "db" | "clock">, actor: Actor, raw: z.input<typeof notificationIdInput>): Promise<{ id: string }> {
  const { id } = notificationIdInput.parse(raw);
  const own = await deps.db.notification.findFirst({ where: { id, userId: actor.id }, select: { readAt: true } });
  if (!own) throw new AppError("NOTIFICATION_NOT_FOUND");
  if (!own.readAt) await deps.db.notification.updateMany({ where: { id, userId: actor.id, readAt: null }, data: { readAt: deps.clock.now() } });
  return { id };
}

export async function markAllNotificationsRead(deps: Pick<Deps, "db" | "clock">, actor: Actor): Promise<{ count: number }> {
  return deps.db.notification.updateMany({ where: { userId: actor.id, readAt: null }, data: { readAt: deps.clock.now() } });
}
