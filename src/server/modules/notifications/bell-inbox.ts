import { z } from "zod";
import { AppError } from "~/server/errors";
import { isStaff } from "~/shared/enums";
import type { Actor } from "../actor";
import type { Deps } from "../deps";

// What a staff member reads of their own bell. Every query is scoped to the actor's own rows:
// another user's notification is "not found".

export const listNotificationsInput = z.strictObject({ limit: z.number().int().min(1).max(50).default(20) }).default({ limit: 20 });
export const notificationIdInput = z.strictObject({ id: z.string().min(1).max(64) });

function requireStaff(actor: Actor) {
  if (!isStaff(actor.role)) throw new AppError("FORBIDDEN");
}

export async function unreadNotificationCount(deps: Pick<Deps, "db">, actor: Actor): Promise<number> {
  requireStaff(actor);
  return deps.db.notification.count({ where: { userId: actor.id, readAt: null } });
}

/** The newest notifications, read or not, with what the panel says of each. */
export async function listNotifications(deps: Pick<Deps, "db">, actor: Actor, raw?: z.input<typeof listNotificationsInput>) {
  requireStaff(actor);
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
      ticket: { select: { number: true, subject: true } },
      actor: { select: { name: true, email: true } },
    },
  });
}

export async function markNotificationRead(deps: Pick<Deps, "db" | "clock">, actor: Actor, raw: z.input<typeof notificationIdInput>): Promise<{ id: string }> {
  requireStaff(actor);
  const { id } = notificationIdInput.parse(raw);
  const own = await deps.db.notification.findFirst({ where: { id, userId: actor.id }, select: { readAt: true } });
  if (!own) throw new AppError("NOTIFICATION_NOT_FOUND");
  if (!own.readAt) await deps.db.notification.updateMany({ where: { id, userId: actor.id, readAt: null }, data: { readAt: deps.clock.now() } });
  return { id };
}

export async function markAllNotificationsRead(deps: Pick<Deps, "db" | "clock">, actor: Actor): Promise<{ count: number }> {
  requireStaff(actor);
  return deps.db.notification.updateMany({ where: { userId: actor.id, readAt: null }, data: { readAt: deps.clock.now() } });
}
