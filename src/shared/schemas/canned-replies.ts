import { z } from "zod";
import { CANNED_LANGUAGES } from "~/shared/canned-replies";

/** One canned reply as the admin page and the agents' picker read it. */
export const cannedReply = z.object({
  id: z.string(),
  title: z.string(),
  body: z.string(),
  language: z.enum(CANNED_LANGUAGES).nullable(),
  active: z.boolean(),
  createdAt: z.date(),
  updatedAt: z.date(),
  createdBy: z.object({ name: z.string().nullable(), email: z.string() }).nullable(),
});
export type CannedReplyView = z.infer<typeof cannedReply>;
export const cannedReplies = z.array(cannedReply);

export const filledCannedReply = z.object({ text: z.string() });
