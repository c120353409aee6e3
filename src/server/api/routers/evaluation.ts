import { z } from "zod";
import { evaluateByToken, evaluateByTokenInput, evaluationByToken, evaluationToken } from "~/server/modules/evaluations/evaluate-ticket";
import * as out from "~/shared/schemas/evaluations";
import { publicProcedure, router } from "../trpc";

// Public: the signed link from the "resolved" mail is the credential (evaluations/evaluation-link.ts); submissions and bad links are limited per address.
export const evaluationRouter = router({
  byToken: publicProcedure
    .input(z.strictObject({ token: evaluationToken }))
    .output(out.evaluationView)
    .query(({ ctx, input }) => evaluationByToken(ctx.deps, input.token, { limits: ctx.deps.rateLimits, ip: ctx.ip })),
  submit: publicProcedure
    .input(evaluateByTokenInput)
    .output(out.evaluationView)
    .mutation(({ ctx, input }) => evaluateByToken(ctx.deps, input, { limits: ctx.deps.rateLimits, ip: ctx.ip })),
});
