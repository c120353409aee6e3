import { z } from "zod";
import { acceptInvitation, acceptInvitationInput, getInvitation } from "~/server/modules/users/invitations";
import { publicProcedure, router } from "../trpc";

// Public: the link's secret token is the credential.
export const invitationRouter = router({
  get: publicProcedure.input(z.object({ token: z.string().max(256) })).query(({ ctx, input }) => getInvitation(ctx.deps, input.token)),
  accept: publicProcedure.input(acceptInvitationInput).mutation(({ ctx, input }) => acceptInvitation(ctx.deps, input)),
});
