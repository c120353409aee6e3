import { z } from "zod";
import { fillCannedReply, fillCannedReplyInput } from "~/server/modules/canned-replies/fill-canned-reply";
import {
  cannedReplyId,
  createCannedReply,
  createCannedReplyInput,
  deleteCannedReply,
  listCannedReplies,
  listCannedRepliesInput,
  updateCannedReply,
  updateCannedReplyInput,
} from "~/server/modules/canned-replies/manage-canned-replies";
import * as out from "~/shared/schemas/canned-replies";
import { adminProcedure, agentProcedure, router } from "../trpc";

// Admins manage the replies (/admin/respuestas); agents list the active ones and insert them filled.
export const cannedReplyRouter = router({
  list: agentProcedure.input(listCannedRepliesInput).output(out.cannedReplies).query(({ ctx, input }) => listCannedReplies(ctx.deps, ctx.actor, input)),
  fill: agentProcedure.input(fillCannedReplyInput).output(out.filledCannedReply).mutation(({ ctx, input }) => fillCannedReply(ctx.deps, ctx.actor, input)),
  create: adminProcedure.input(createCannedReplyInput).output(out.cannedReply).mutation(({ ctx, input }) => createCannedReply(ctx.deps, ctx.actor, input)),
  update: adminProcedure.input(updateCannedReplyInput).output(out.cannedReply).mutation(({ ctx, input }) => updateCannedReply(ctx.deps, ctx.actor, input)),
  delete: adminProcedure.input(z.strictObject({ id: cannedReplyId })).output(z.object({ id: z.string() })).mutation(({ ctx, input }) => deleteCannedReply(ctx.deps, ctx.actor, input.id)),
});
