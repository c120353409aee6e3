import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError, type core } from "zod";
import { translate, type MessageKey } from "~/i18n";
import { AppError } from "~/server/errors";
import { invalidTextPath } from "~/server/modules/security/text";
import { isStaff } from "~/shared/enums";
import { transformer } from "~/shared/transformer";
import type { Context } from "./context";

function localizeIssue(ctx: Context | undefined, issue: core.$ZodIssue): string {
  const locale = ctx?.locale ?? "es";
  if (issue.code === "unrecognized_keys") return translate(locale, "errors.UNKNOWN_FIELD", { fields: issue.keys.join(", ") });
  const key = `errors.${issue.message}` as MessageKey;
  // A custom issue may name what it is about (e.g. the unknown placeholder): its params fill the message.
  const custom = issue.code === "custom" ? (issue.params as Record<string, string | number> | undefined) : undefined;
  const text = translate(locale, key, { max: "maximum" in issue ? Number(issue.maximum) : 0, min: "minimum" in issue ? Number(issue.minimum) : 0, ...custom });
  return text === key ? translate(locale, "errors.VALIDATION") : text;
}

function fieldErrorsOf(ctx: Context | undefined, err: ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of err.issues) (out[issue.path.join(".") || "_"] ??= []).push(localizeIssue(ctx, issue));
  return out;
}

const t = initTRPC.context<Context>().create({
  transformer,
  errorFormatter({ shape, error, ctx }) {
    const cause = error.cause;
    const appCode = cause instanceof AppError ? cause.code : cause instanceof ZodError ? "VALIDATION" : null;
    const fieldErrors = cause instanceof ZodError ? fieldErrorsOf(ctx, cause) : null;
    const message = error.code === "INTERNAL_SERVER_ERROR" ? translate(ctx?.locale ?? "es", "errors.INTERNAL") : shape.message;
    // Never a stack trace to the client, in any environment.
    const { stack: _stack, ...data } = shape.data;
    return { ...shape, message, data: { ...data, appCode, fieldErrors } };
  },
});

/** Domain and validation errors become typed tRPC errors with a message in the caller's language. */
const appErrors = t.middleware(async ({ ctx, next }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (cause instanceof AppError) {
      throw new TRPCError({ code: cause.kind, message: translate(ctx.locale, `errors.${cause.code}` as MessageKey, cause.params), cause });
    }
    if (cause instanceof ZodError) {
      const first = Object.values(fieldErrorsOf(ctx, cause))[0]?.[0] ?? translate(ctx.locale, "errors.VALIDATION");
      throw new TRPCError({ code: "BAD_REQUEST", message: first, cause });
    }
  }
  return result;
});

/**
 * PostgreSQL text cannot hold NUL and a lone surrogate is not Unicode: either would fail deep in a
 * write (a 500) or be stored broken. Every text anywhere in any input is checked once, here, before
 * the procedure's own schema.
 */
const wellFormedText = t.middleware(async ({ getRawInput, next }) => {
  const path = invalidTextPath(await getRawInput());
  if (path !== null) throw new AppError("TEXT_INVALID_CHARACTERS", { field: path });
  return next();
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(appErrors).use(wellFormedText);

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.actor) throw new AppError(ctx.staleSession ? "SESSION_EXPIRED" : "UNAUTHORIZED");
  return next({ ctx: { ...ctx, actor: ctx.actor } });
});

export const agentProcedure = authedProcedure.use(({ ctx, next }) => {
  if (!isStaff(ctx.actor.role)) throw new AppError("FORBIDDEN");
  return next();
});

export const adminProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.actor.role !== "ADMIN") throw new AppError("FORBIDDEN");
  return next();
});
