import { z } from "zod";
import { listInboundInput, listInboundMail, retryInboundMail } from "~/server/modules/mail/review-inbound";
import { listOutboundEmails } from "~/server/modules/notifications/list-outbound";
import { adminProcedure, router } from "../trpc";

export const adminRouter = router({
  mailbox: adminProcedure
    .input(z.object({ limit: z.number().int().min(1).max(200).default(50) }))
    .query(({ ctx, input }) => listOutboundEmails(ctx.deps, input.limit)),
  inbound: adminProcedure.input(listInboundInput).query(({ ctx, input }) => listInboundMail(ctx.deps, input)),
  retryInbound: adminProcedure
    .input(z.object({ id: z.string().min(1).max(64) }))
    .mutation(({ ctx, input }) => retryInboundMail(ctx.deps, ctx.services.enqueueInbound, input.id)),
});
