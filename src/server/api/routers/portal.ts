import { deflectInput, recordDeflection } from "~/server/modules/portal/deflection";
import { listMyTickets, listMyTicketsInput } from "~/server/modules/portal/list-my-tickets";
import { markTicketViewed, markViewedInput } from "~/server/modules/portal/mark-viewed";
import { reopenInput, reopenState, reopenStateInput, reopenTicket } from "~/server/modules/portal/reopen-ticket";
import * as out from "~/shared/schemas/portal";
import { z } from "zod";
import { authedProcedure, router } from "../trpc";

// The customer's own portal: "Mis tickets" (seed 004), reopening a resolved ticket, and the tickets the
// knowledge base avoided. Every procedure reads and writes the signed-in user's own rows only.
export const portalRouter = router({
  myTickets: authedProcedure.input(listMyTicketsInput).output(out.myTicketPage).query(({ ctx, input }) => listMyTickets(ctx.deps, ctx.actor, input)),
  markViewed: authedProcedure.input(markViewedInput).output(z.object({ ok: z.literal(true) })).mutation(({ ctx, input }) => markTicketViewed(ctx.deps, ctx.actor, input)),
  reopenState: authedProcedure.input(reopenStateInput).output(out.reopenState).query(({ ctx, input }) => reopenState(ctx.deps, ctx.actor, input)),
  reopen: authedProcedure.input(reopenInput).output(out.reopenResult).mutation(({ ctx, input }) => reopenTicket(ctx.deps, ctx.actor, input)),
  deflect: authedProcedure.input(deflectInput).output(out.deflectionResult).mutation(({ ctx, input }) => recordDeflection(ctx.deps, ctx.actor, input)),
});
