import type { IncomingMessage, ServerResponse } from "node:http";
import type { Redis } from "ioredis";
import { createOpenApiNodeHttpHandler } from "trpc-to-openapi";
import { translate, type Locale, type MessageKey } from "~/i18n";
import { API_V1_BASE, apiV1Document } from "~/server/api/rest/openapi";
import { apiV1Router } from "~/server/api/rest/router";
import type { RestContext } from "~/server/api/rest/trpc";
import { LastUseTracker, authenticateToken, bearerToken, type TokenCaller } from "~/server/modules/api-tokens/authenticate";
import { IDEMPOTENCY_KEY, finishIdempotent, requestHash, startIdempotent, sweepIdempotencyKeys } from "~/server/modules/api-tokens/idempotency";
import type { AppErrorCode } from "~/server/errors";
import type { Deps } from "~/server/modules/deps";
import { API_TOKEN_REQUESTS, RequestLimiter, hashedKey, type RequestBudget } from "~/server/modules/security/rate-limit";
import { requestLogger, type Logger } from "~/server/observability/logger";
import { clientIpFromHeaders } from "./client-ip";

/** The largest input is a ticket's description (50,000 characters): anything far past it is refused unread. */
const BODY_MAX_BYTES = 1024 * 1024;
const SWEEP_EVERY_MS = 3_600_000;

export function isApiV1Path(url: string): boolean {
  return url === API_V1_BASE || url.startsWith(`${API_V1_BASE}/`) || url.startsWith(`${API_V1_BASE}?`);
}

type ErrorCode = "UNAUTHORIZED" | "TOO_MANY_REQUESTS" | "BAD_REQUEST" | "CONFLICT" | "PAYLOAD_TOO_LARGE" | "METHOD_NOT_SUPPORTED" | "UNPROCESSABLE_CONTENT" | "INTERNAL_SERVER_ERROR";

/** The error body every /api/v1 error has (the document's error schema). */
function fail(res: ServerResponse, status: number, code: ErrorCode, locale: Locale, appCode: AppErrorCode, params?: Record<string, string | number>, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", ...headers });
  res.end(JSON.stringify({ message: translate(locale, `errors.${appCode}` as MessageKey, params), code, appCode, fieldErrors: null }));
}

function rateHeaders(res: ServerResponse, budget: RequestBudget) {
  res.setHeader("ratelimit-limit", String(budget.limit));
  res.setHeader("ratelimit-remaining", String(budget.remaining));
  res.setHeader("ratelimit-reset", String(budget.resetSec));
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > BODY_MAX_BYTES) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** What the handler wrote: the status and JSON body, to keep for an idempotent retry. */
function captureResponse(res: ServerResponse): () => { status: number; body: unknown } {
  let text = "";
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.end = ((...args: unknown[]) => {
    if (typeof args[0] === "string") text = args[0];
    else if (Buffer.isBuffer(args[0])) text = args[0].toString("utf8");
    return end(...args);
  }) as typeof res.end;
  return () => {
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
    return { status: res.statusCode, body };
  };
}

export interface ApiV1Options {
  deps: Deps;
  /** The producer connection (per-token request budgets, shared by every web process); null: this process's memory. */
  redis: Redis | null;
  redisPrefix: string;
  requestsPerMinute?: number;
  log: Logger;
}

/**
 * /api/v1: the OpenAPI document (public), then for everything else a bearer token (failures counted
 * per client address), the token's request budget (RateLimit-* headers), Idempotency-Key on POST, and
 * the route (trpc-to-openapi over src/server/api/rest/router.ts).
 */
export function apiV1Handler(opts: ApiV1Options) {
  const { deps, log } = opts;
  const lastUse = new LastUseTracker(deps);
  const limiter = new RequestLimiter({ points: opts.requestsPerMinute ?? API_TOKEN_REQUESTS.points, durationSec: API_TOKEN_REQUESTS.durationSec }, opts.redis, `${opts.redisPrefix}:rl:apiTokenRequests`);
  const callers = new WeakMap<IncomingMessage, TokenCaller>();
  const routes = createOpenApiNodeHttpHandler({
    router: apiV1Router,
    maxBodySize: BODY_MAX_BYTES,
    createContext: ({ req }): RestContext => {
      const caller = callers.get(req as IncomingMessage)!;
      return { deps, actor: caller.actor, scope: caller.scope, locale: caller.actor.locale };
    },
    onError: ({ error, path, req }) => {
      if (error.code === "INTERNAL_SERVER_ERROR") requestLogger(req as IncomingMessage, log).error({ err: error.cause ?? error, route: path }, "api v1 internal error");
    },
  });
  let lastSweep = 0;

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = req.url ?? "/";
    const rest = url.slice(API_V1_BASE.length) || "/";
    const path = rest.split("?")[0]!;
    if (path === "/openapi.json") {
      if (req.method !== "GET" && req.method !== "HEAD") return fail(res, 405, "METHOD_NOT_SUPPORTED", "es", "VALIDATION");
      res.writeHead(200, { "content-type": "application/json; charset=utf-8", "cache-control": "public, max-age=300", "access-control-allow-origin": "*" });
      return void res.end(req.method === "HEAD" ? undefined : JSON.stringify(apiV1Document()));
    }

    // The token first: a client address locked by its failures is refused whatever it sends, and a
    // refused token counts as one failure after its check (rate-limit.ts apiTokenIp says why not
    // before). The token's request budget is keyed by a hash of what was sent, so it is taken at the
    // same time (one round trip each, side by side).
    const ip = clientIpFromHeaders(req.headers);
    const ipLimit = deps.rateLimits.apiTokenIp;
    const authorization = req.headers.authorization;
    const secret = bearerToken(authorization);
    const [addressLock, auth, budget] = await Promise.all([
      ipLimit.lockedNow(ip),
      authenticateToken(deps, authorization, lastUse),
      secret ? limiter.take(hashedKey(secret)) : null,
    ]);
    if (addressLock.locked) {
      return fail(res, 429, "TOO_MANY_REQUESTS", "es", "API_RATE_LIMITED", { seconds: addressLock.retryAfterSec }, { "retry-after": String(addressLock.retryAfterSec) });
    }
    if (!auth.ok) {
      await ipLimit.recordFailure(ip);
      requestLogger(req, log).warn({ ip, reason: auth.reason }, "api v1: token refused");
      return fail(res, 401, "UNAUTHORIZED", "es", "API_TOKEN_INVALID", undefined, { "www-authenticate": 'Bearer realm="api", error="invalid_token"' });
    }
    const { caller } = auth;
    const locale = caller.actor.locale;

    // A valid token was sent, so its budget was taken.
    const tokenBudget = budget!;
    rateHeaders(res, tokenBudget);
    if (!tokenBudget.allowed) {
      return fail(res, 429, "TOO_MANY_REQUESTS", locale, "API_RATE_LIMITED", { seconds: tokenBudget.resetSec }, { "retry-after": String(tokenBudget.resetSec) });
    }

    const method = req.method ?? "GET";
    let raw = "";
    if (method === "POST" || method === "PATCH" || method === "PUT") {
      const body = await readBody(req);
      if (body === null) return fail(res, 413, "PAYLOAD_TOO_LARGE", locale, "VALIDATION");
      raw = body;
      let parsed: unknown;
      try {
        parsed = body.trim() ? JSON.parse(body) : {};
      } catch {
        return fail(res, 400, "BAD_REQUEST", locale, "VALIDATION");
      }
      // The adapter reads the body from here rather than the (already read) stream.
      (req as IncomingMessage & { body?: unknown }).body = parsed;
    }

    req.url = rest;
    callers.set(req, caller);
    const key = req.headers["idempotency-key"];
    if (method !== "POST" || key === undefined) return routes(req, res);

    if (typeof key !== "string" || !IDEMPOTENCY_KEY.test(key)) return fail(res, 400, "BAD_REQUEST", locale, "IDEMPOTENCY_KEY_INVALID");
    const route = `${method} ${path}`;
    const started = await startIdempotent(deps, caller.tokenId, key, route, requestHash(route, raw));
    if (started.kind === "mismatch") return fail(res, 422, "UNPROCESSABLE_CONTENT", locale, "IDEMPOTENCY_KEY_REUSED");
    if (started.kind === "in-progress") return fail(res, 409, "CONFLICT", locale, "IDEMPOTENCY_IN_PROGRESS", undefined, { "retry-after": "1" });
    if (started.kind === "replay") {
      res.writeHead(started.status, { "content-type": "application/json", "idempotent-replayed": "true" });
      return void res.end(JSON.stringify(started.body));
    }
    const captured = captureResponse(res);
    try {
      await routes(req, res);
    } finally {
      const { status, body } = res.writableEnded ? captured() : { status: 500, body: null };
      await finishIdempotent(deps, started.id, status, body);
    }
    if (Date.now() - lastSweep > SWEEP_EVERY_MS) {
      lastSweep = Date.now();
      void sweepIdempotencyKeys(deps).catch((err: Error) => requestLogger(req, log).warn({ err }, "api v1: idempotency sweep failed"));
    }
  };

  return (req: IncomingMessage, res: ServerResponse): void =>
    void serve(req, res).catch((err: Error) => {
      requestLogger(req, log).error({ err }, "api v1 failed");
      if (!res.headersSent) fail(res, 500, "INTERNAL_SERVER_ERROR", "es", "INTERNAL");
      else res.destroy();
    });
}
