import { z } from "zod";
import { TICKET_STATUSES } from "~/shared/enums";

/** What the evaluation page (and the portal's buttons) show: the ticket, whether it can be answered now, and the answer so far. */
export const evaluationView = z.object({
  ticket: z.object({ number: z.number(), subject: z.string(), status: z.enum(TICKET_STATUSES) }),
  open: z.boolean(),
  evaluation: z.object({ helpful: z.boolean(), comment: z.string().nullable(), updatedAt: z.date() }).nullable(),
});
export type EvaluationView = z.infer<typeof evaluationView>;

/** The agents' actions that post a message and move the ticket (request information, resolve). */
export const actionResult = z.object({ messageId: z.string(), status: z.enum(TICKET_STATUSES), created: z.boolean() });

export const mergeResult = z.object({ merged: z.boolean(), survivorNumber: z.number(), survivorId: z.string() });
