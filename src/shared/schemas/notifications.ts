import { z } from "zod";

export const NOTIFICATION_KINDS = ["ASSIGNED", "TEAM_ASSIGNED", "MENTIONED", "SLA_WARNING", "SLA_BREACHED", "ESCALATED", "AGENT_REPLIED", "STATUS_CHANGED"] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** notification.list: the bell's panel, newest first. */
export const notifications = z.array(
  z.object({
    id: z.string(),
    kind: z.enum(NOTIFICATION_KINDS),
    readAt: z.date().nullable(),
    createdAt: z.date(),
    /** STATUS_CHANGED: the ticket's new status. */
    detail: z.string().nullable(),
    ticket: z.object({ number: z.number(), subject: z.string() }),
    actor: z.object({ name: z.string().nullable(), email: z.string() }).nullable(),
  }),
);
export type NotificationRow = z.infer<typeof notifications>[number];
