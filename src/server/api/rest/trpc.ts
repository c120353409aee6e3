import { initTRPC, TRPCError } from "@trpc/server";
import type { OpenApiMeta } from "trpc-to-openapi";
import { ZodError } from "zod";
import { translate, type Locale, type MessageKey } from "~/i18n";
import { AppError } from "~/server/errors";
import type { Actor } from "~/server/modules/actor";
import type { TokenScope } from "~/server/modules/api-tokens/authenticate";
import type { Deps } from "~/server/modules/deps";
import { invalidTextPath } from "~/server/modules/security/text";

/**
 * The integration API's own tRPC instance (/api/v1, src/server/http/api-v1.ts): procedures carry
 * OpenAPI metadata, answer plain JSON (no transformer: dates are ISO strings), and are called with a
 * token's caller rather than a session. They take the same zod schemas and call the same use-cases
 * as the app's routers (src/server/api/routers).
 */
export interface RestContext {
  deps: Deps;
  /** The token's user, with that user's role as it is now. */
  actor: Actor;
  scope: TokenScope;
  locale: Locale;
}

/** A validation failure's per-field messages, carried to the error body (not a ZodError: the adapter would blank its message). */
class InvalidInput extends Error {
  constructor(
    message: string,
    readonly fieldErrors: Record<string, string[]>,
  ) {
    super(message);
    this.name = "InvalidInput";
  }
}

function fieldErrorsOf(locale: Locale, err: ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of err.issues) {
    const key = `errors.${issue.message}` as MessageKey;
    const max = "maximum" in issue ? Number(issue.maximum) : 0;
    const min = "minimum" in issue ? Number(issue.minimum) : 0;
    const custom = issue.code === "custom" ? (issue.params as Record<string, string | number> | undefined) : undefined;
    const text = issue.code === "unrecognized_keys" ? translate(locale, "errors.UNKNOWN_FIELD", { fields: issue.keys.join(", ") }) : translate(locale, key, { max, min, ...custom });
    (out[issue.path.join(".") || "_"] ??= []).push(text === key ? translate(locale, "errors.VALIDATION") : text);
  }
  return out;
}

const t = initTRPC
  .context<RestContext>()
  .meta<OpenApiMeta>()
  .create({
    errorFormatter({ shape, error, ctx }) {
      const cause = error.cause;
      const appCode = cause instanceof AppError ? cause.code : cause instanceof InvalidInput ? "VALIDATION" : null;
      const message = error.code === "INTERNAL_SERVER_ERROR" ? translate(ctx?.locale ?? "es", "errors.INTERNAL") : shape.message;
      // Never a stack trace, nor tRPC's own envelope: the body the document describes.
      return { message, code: error.code, appCode, fieldErrors: cause instanceof InvalidInput ? cause.fieldErrors : null } as unknown as typeof shape;
    },
  });

/** Domain and validation errors become HTTP errors with a message in the token user's language. */
const appErrors = t.middleware(async ({ ctx, next }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (cause instanceof AppError) {
      throw new TRPCError({ code: cause.kind, message: translate(ctx.locale, `errors.${cause.code}` as MessageKey, cause.params), cause });
    }
    if (cause instanceof ZodError) {
      const fieldErrors = fieldErrorsOf(ctx.locale, cause);
      const first = Object.values(fieldErrors)[0]?.[0] ?? translate(ctx.locale, "errors.VALIDATION");
      throw new TRPCError({ code: "BAD_REQUEST", message: first, cause: new InvalidInput(first, fieldErrors) });
    }
  }
  return result;
});

/** As the app's routers: no NUL or lone surrogate anywhere in any input. */
const wellFormedText = t.middleware(async ({ getRawInput, next }) => {
  const path = invalidTextPath(await getRawInput());
  if (path !== null) throw new AppError("TEXT_INVALID_CHARACTERS", { field: path });
  return next();
});

export const restRouter = t.router;
export const createRestCaller = t.createCallerFactory;

/** Any valid token: what its user may read. */
export const readProcedure = t.procedure.use(appErrors).use(wellFormedText);

/** A write token: what its user may change. */
export const writeProcedure = readProcedure.use(({ ctx, next }) => {
  if (ctx.scope !== "WRITE") throw new AppError("API_TOKEN_READ_ONLY");
  return next();
});

/** Admin's token only. */
export const adminReadProcedure = readProcedure.use(({ ctx, next }) => {
  if (ctx.actor.role !== "ADMIN") throw new AppError("FORBIDDEN");
  return next();
});
