import { z } from "zod";
import {
  listNotifications,
  listNotificationsInput,
  markAllNotificationsRead,
  markNotificationRead,
  notificationIdInput,
  unreadNotificationCount,
} from "~/server/modules/notifications/bell-inbox";
import * as out from "~/shared/schemas/notifications";
import { authedProcedure, router } from "../trpc";

// The bell, for staff and customers alike: each reads and marks only their own notifications.
export const notificationRouter = router({
  unreadCount: authedProcedure.output(z.number()).query(({ ctx }) => unreadNotificationCount(ctx.deps, ctx.actor)),
  list: authedProcedure.input(listNotificationsInput).output(out.notifications).query(({ ctx, input }) => listNotifications(ctx.deps, ctx.actor, input)),
  markRead: authedProcedure.input(notificationIdInput).output(z.object({ id: z.string() })).mutation(({ ctx, input }) => markNotificationRead(ctx.deps, ctx.actor, input)),
  markAllRead: authedProcedure.output(z.object({ count: z.number() })).mutation(({ ctx }) => markAllNotificationsRead(ctx.deps, ctx.actor)),
});
