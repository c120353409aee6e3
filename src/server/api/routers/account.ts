import { z } from "zod";
import { activateSignup, activateSignupInput, getSignup, requestSignup, signUpInput } from "~/server/modules/accounts/sign-up";
import { getPasswordReset, requestPasswordReset, requestPasswordResetInput, resetPassword, resetPasswordInput } from "~/server/modules/accounts/password-reset";
import { getSetting } from "~/server/modules/settings/app-settings";
import * as out from "~/shared/schemas/accounts";
import type { Context } from "../context";
import { publicProcedure, router } from "../trpc";

/** The address-dependent work runs after the answer; a failure there is only logged (the outbox reconciler covers a lost enqueue). */
function inBackground(ctx: Context, done: Promise<void>): { accepted: true } {
  done.catch((err: unknown) => ctx.log.error({ err }, "account mail failed after its answer"));
  return { accepted: true };
}

const token = z.strictObject({ token: z.string().max(256) });

export const accountRouter = router({
  requestPasswordReset: publicProcedure
    .input(requestPasswordResetInput)
    .output(out.accepted)
    .mutation(async ({ ctx, input }) => inBackground(ctx, (await requestPasswordReset(ctx.deps, input, { limits: ctx.deps.rateLimits, ip: ctx.ip })).done)),
  resetStatus: publicProcedure.input(token).output(out.resetLink).query(({ ctx, input }) => getPasswordReset(ctx.deps, input.token, { limits: ctx.deps.rateLimits, ip: ctx.ip })),
  resetPassword: publicProcedure.input(resetPasswordInput).output(out.signInAs).mutation(({ ctx, input }) => resetPassword(ctx.deps, input, { limits: ctx.deps.rateLimits, ip: ctx.ip })),
  /** Whether /registro takes sign-ups (the login page shows its link only then). */
  signupEnabled: publicProcedure.output(z.boolean()).query(({ ctx }) => getSetting(ctx.deps, "signupEnabled")),
  signUp: publicProcedure
    .input(signUpInput)
    .output(out.accepted)
    .mutation(async ({ ctx, input }) => inBackground(ctx, (await requestSignup(ctx.deps, input, { limits: ctx.deps.rateLimits, ip: ctx.ip, locale: ctx.locale })).done)),
  signupStatus: publicProcedure.input(token).output(out.signupLink).query(({ ctx, input }) => getSignup(ctx.deps, input.token, { limits: ctx.deps.rateLimits, ip: ctx.ip })),
  activateSignup: publicProcedure.input(activateSignupInput).output(out.signInAs).mutation(({ ctx, input }) => activateSignup(ctx.deps, input, { limits: ctx.deps.rateLimits, ip: ctx.ip })),
});
