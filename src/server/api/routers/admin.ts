import { z } from "zod";
import { listOutboundEmails } from "~/server/modules/notifications/list-outbound";
import { adminProcedure, router } from "../trpc";

export const adminRouter = router({
  mailbox: adminProcedure
    .input(z.object({ limit: z.number().int().min(1).max(200).default(50) }))
    .query(({ ctx, input }) => listOutboundEmails(ctx.deps, input.limit)),
});
