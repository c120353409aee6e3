import { listAgents } from "~/server/modules/users/list-agents";
import { getProfile, updateProfile, updateProfileInput } from "~/server/modules/users/profile";
import { agentProcedure, authedProcedure, publicProcedure, router } from "../trpc";

export const userRouter = router({
  me: publicProcedure.query(({ ctx }) => ctx.actor),
  agents: agentProcedure.query(({ ctx }) => listAgents(ctx.deps)),
  profile: authedProcedure.query(({ ctx }) => getProfile(ctx.deps, ctx.actor)),
  updateProfile: authedProcedure.input(updateProfileInput).mutation(({ ctx, input }) => updateProfile(ctx.deps, ctx.actor, input)),
});
