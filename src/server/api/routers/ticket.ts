import { z } from "zod";
import { assignInput, assignTicket } from "~/server/modules/tickets/assign-ticket";
import { createTicket, createTicketInput } from "~/server/modules/tickets/create-ticket";
import { getTicket } from "~/server/modules/tickets/get-ticket";
import { listCategories } from "~/server/modules/tickets/list-categories";
import { listTickets, listTicketsInput } from "~/server/modules/tickets/list-tickets";
import { bulkUpdateInput, bulkUpdateTickets } from "~/server/modules/tickets/queue/bulk-update";
import { listQueue, listQueueInput } from "~/server/modules/tickets/queue/list-queue";
import { queueCounts, queueCountsInput } from "~/server/modules/tickets/queue/queue-counts";
import { replyInput, replyToTicket } from "~/server/modules/tickets/reply-to-ticket";
import { setStatusInput, setTicketStatus } from "~/server/modules/tickets/set-status";
import { updateDetailsInput, updateTicketDetails } from "~/server/modules/tickets/update-details";
import * as queueOut from "~/shared/schemas/queue";
import * as out from "~/shared/schemas/tickets";
import * as cf from "~/shared/schemas/custom-fields";
import { listCustomFields, listCustomFieldsInput } from "~/server/modules/custom-fields/list-fields";
import { setCustomFieldValue, setFieldValueInput } from "~/server/modules/custom-fields/set-field-value";
import { evaluateAsRequester, evaluateAsRequesterInput } from "~/server/modules/evaluations/evaluate-ticket";
import { mergeInput, mergeTicket } from "~/server/modules/tickets/merge";
import { requestInfoInput, requestInformation } from "~/server/modules/tickets/request-info";
import { resolveInput, resolveTicket } from "~/server/modules/tickets/resolve";
import * as actionsOut from "~/shared/schemas/evaluations";
import { agentProcedure, authedProcedure, publicProcedure, router } from "../trpc";

export const ticketRouter = router({
  create: authedProcedure.input(createTicketInput).output(out.createdTicket).mutation(({ ctx, input }) => createTicket(ctx.deps, ctx.actor, input)),
  list: authedProcedure.input(listTicketsInput).output(out.ticketPage).query(({ ctx, input }) => listTickets(ctx.deps, ctx.actor, input)),
  get: authedProcedure
    .input(z.strictObject({ number: z.number().int().positive().max(2_147_483_647) }))
    .output(out.ticketDetail)
    .query(({ ctx, input }) => getTicket(ctx.deps, ctx.actor, input.number)),
  reply: authedProcedure.input(replyInput).mutation(({ ctx, input }) => replyToTicket(ctx.deps, ctx.actor, input)),
  setStatus: authedProcedure.input(setStatusInput).mutation(({ ctx, input }) => setTicketStatus(ctx.deps, ctx.actor, input)),
  updateDetails: agentProcedure.input(updateDetailsInput).output(z.object({ changed: z.boolean(), version: z.number().int() })).mutation(({ ctx, input }) => updateTicketDetails(ctx.deps, ctx.actor, input)),
  assign: agentProcedure.input(assignInput).mutation(({ ctx, input }) => assignTicket(ctx.deps, ctx.actor, input)),
  customFields: agentProcedure.input(listCustomFieldsInput).output(cf.customFieldList).query(({ ctx, input }) => listCustomFields(ctx.deps, ctx.actor, input)),
  setCustomField: agentProcedure.input(setFieldValueInput).output(cf.customFieldSet).mutation(({ ctx, input }) => setCustomFieldValue(ctx.deps, ctx.actor, input)),
  // The agents' queue at /agent: pages of a view, the views' counts, bulk changes.
  queue: agentProcedure.input(listQueueInput).output(queueOut.queuePage).query(({ ctx, input }) => listQueue(ctx.deps, ctx.actor, input)),
  queueCounts: agentProcedure.input(queueCountsInput).output(queueOut.queueCounts).query(({ ctx, input }) => queueCounts(ctx.deps, ctx.actor, input)),
  bulkUpdate: agentProcedure.input(bulkUpdateInput).output(queueOut.bulkResult).mutation(({ ctx, input }) => bulkUpdateTickets(ctx.deps, ctx.actor, input)),
  // The agents' actions (seed 003) and the requester's evaluation (seeds 001, 004).
  requestInfo: agentProcedure.input(requestInfoInput).output(actionsOut.actionResult).mutation(({ ctx, input }) => requestInformation(ctx.deps, ctx.actor, input)),
  resolve: agentProcedure.input(resolveInput).output(actionsOut.actionResult).mutation(({ ctx, input }) => resolveTicket(ctx.deps, ctx.actor, input)),
  merge: agentProcedure.input(mergeInput).output(actionsOut.mergeResult).mutation(({ ctx, input }) => mergeTicket(ctx.deps, ctx.actor, input)),
  evaluate: authedProcedure.input(evaluateAsRequesterInput).output(actionsOut.evaluationView).mutation(({ ctx, input }) => evaluateAsRequester(ctx.deps, ctx.actor, input)),
  categories: publicProcedure.output(out.ticketCategories).query(({ ctx }) => listCategories(ctx.deps)),
});
