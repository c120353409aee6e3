import { z } from "zod";
import { LOCALES } from "~/i18n";
import { changePassword, changePasswordInput, getProfile, setLocale, setLocaleInput, updateProfile, updateProfileInput } from "~/server/modules/users/profile";
import { similarOpenTickets, similarOpenTicketsInput } from "~/server/modules/tickets/similar-open-tickets";
import * as out from "~/shared/schemas/users";
import { authedProcedure, router } from "../trpc";

// The signed-in user's own profile (/portal/perfil, /agent/perfil): every procedure acts on the actor alone.
export const profileRouter = router({
  get: authedProcedure.output(out.profile).query(({ ctx }) => getProfile(ctx.deps, ctx.actor)),
  update: authedProcedure.input(updateProfileInput).output(out.profile).mutation(({ ctx, input }) => updateProfile(ctx.deps, ctx.actor, input)),
  /** The language picker, signed in. */
  setLocale: authedProcedure.input(setLocaleInput).output(z.object({ locale: z.enum(LOCALES) })).mutation(({ ctx, input }) => setLocale(ctx.deps, ctx.actor, input)),
  changePassword: authedProcedure.input(changePasswordInput).output(z.object({ email: z.string() })).mutation(({ ctx, input }) => changePassword(ctx.deps, ctx.actor, input, ctx.ip)),
  /** The new-ticket form: the customer's own open tickets whose subject resembles the one being typed. */
  similarOpenTickets: authedProcedure.input(similarOpenTicketsInput).output(out.similarTickets).query(({ ctx, input }) => similarOpenTickets(ctx.deps, ctx.actor, input)),
});
