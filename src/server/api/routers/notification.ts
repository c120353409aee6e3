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
import { agentProcedure, router } from "../trpc";

// The agent's bell: staff only, and each reads and marks only their own notifications.
export const notificationRouter = router({
  unreadCount: agentProcedure.output(z.number()).query(({ ctx }) => unreadNotificationCount(ctx.deps, ctx.actor)),
  list: agentProcedure.input(listNotificationsInput).output(out.notifications).query(({ ctx, input }) => listNotifications(ctx.deps, ctx.actor, input)),
  markRead: agentProcedure.input(notificationIdInput).output(z.object({ id: z.string() })).mutation(({ ctx, input }) => markNotificationRead(ctx.deps, ctx.actor, input)),
  markAllRead: agentProcedure.output(z.object({ count: z.number() })).mutation(({ ctx }) => markAllNotificationsRead(ctx.deps, ctx.actor)),
});
