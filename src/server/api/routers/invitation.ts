import { z } from "zod";
import { acceptInvitation, acceptInvitationInput, getInvitation } from "~/server/modules/users/invitations";
import * as out from "~/shared/schemas/invitations";
import { publicProcedure, router } from "../trpc";

// Public: the link's secret token is the credential, so guesses are limited per caller and per link (deps.rateLimits).
export const invitationRouter = router({
  get: publicProcedure.input(z.strictObject({ token: z.string().max(256) })).output(out.invitationInfo).query(({ ctx, input }) => getInvitation(ctx.deps, input.token, { limits: ctx.deps.rateLimits, ip: ctx.ip })),
  accept: publicProcedure.input(acceptInvitationInput).output(out.acceptedInvitation).mutation(({ ctx, input }) => acceptInvitation(ctx.deps, input, { limits: ctx.deps.rateLimits, ip: ctx.ip })),
});
