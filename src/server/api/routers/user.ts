import { enabledOAuthProviders } from "~/server/auth/enabled-providers";
import { listAgents } from "~/server/modules/users/list-agents";
import { loginProviders } from "~/server/modules/users/login-providers";
import { getProfile, updateProfile, updateProfileInput } from "~/server/modules/users/profile";
import { agentProcedure, authedProcedure, publicProcedure, router } from "../trpc";

export const userRouter = router({
  me: publicProcedure.query(({ ctx }) => ctx.actor),
  /** The "Continuar con …" buttons of the login page: the providers switched on. */
  signInProviders: publicProcedure.query(() => enabledOAuthProviders()),
  agents: agentProcedure.query(({ ctx }) => listAgents(ctx.deps)),
  profile: authedProcedure.query(({ ctx }) => getProfile(ctx.deps, ctx.actor)),
  /** The providers a user may link (switched on here) and those already linked to them. */
  loginProviders: authedProcedure.query(({ ctx }) => loginProviders(ctx.deps, ctx.actor, enabledOAuthProviders())),
  updateProfile: authedProcedure.input(updateProfileInput).mutation(({ ctx, input }) => updateProfile(ctx.deps, ctx.actor, input)),
});
