import { enabledOAuthProviders } from "~/server/auth/enabled-providers";
import { listAgents } from "~/server/modules/users/list-agents";
import { loginProviders } from "~/server/modules/users/login-providers";
import { getProfile, updateProfile, updateProfileInput } from "~/server/modules/users/profile";
import { people } from "~/shared/schemas/person";
import * as out from "~/shared/schemas/users";
import { agentProcedure, authedProcedure, publicProcedure, router } from "../trpc";

export const userRouter = router({
  me: publicProcedure.output(out.me).query(({ ctx }) => ctx.actor),
  /** The "Continuar con …" buttons of the login page: the providers switched on. */
  signInProviders: publicProcedure.output(out.signInProviders).query(() => enabledOAuthProviders()),
  agents: agentProcedure.output(people).query(({ ctx }) => listAgents(ctx.deps)),
  profile: authedProcedure.output(out.profile).query(({ ctx }) => getProfile(ctx.deps, ctx.actor)),
  /** The providers a user may link (switched on here) and those already linked to them. */
  loginProviders: authedProcedure.output(out.loginProviders).query(({ ctx }) => loginProviders(ctx.deps, ctx.actor, enabledOAuthProviders())),
  updateProfile: authedProcedure.input(updateProfileInput).output(out.profile).mutation(({ ctx, input }) => updateProfile(ctx.deps, ctx.actor, input)),
});
