import { z } from "zod";
import { evaluateByToken, evaluateByTokenInput, evaluationByToken, evaluationToken } from "~/server/modules/evaluations/evaluate-ticket";
import { commentsInput, deflectionReport, evaluationComments, evaluationsByAgent, periodInput } from "~/server/modules/evaluations/evaluation-reports";
import * as out from "~/shared/schemas/evaluations";
import * as reports from "~/shared/schemas/evaluation-reports";
import { adminProcedure, publicProcedure, router } from "../trpc";

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
  // /admin/evaluaciones: results per agent over a period, the latest comments, and the knowledge base's deflections.
  byAgent: adminProcedure.input(periodInput).output(reports.agentEvaluationRows).query(({ ctx, input }) => evaluationsByAgent(ctx.deps, input)),
  comments: adminProcedure.input(commentsInput).output(reports.evaluationCommentPage).query(({ ctx, input }) => evaluationComments(ctx.deps, input)),
  deflections: adminProcedure.input(periodInput).output(reports.deflectionReport).query(({ ctx, input }) => deflectionReport(ctx.deps, input)),
});
