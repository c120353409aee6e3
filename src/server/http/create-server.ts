import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { publicUrl, type Env } from "~/env";
import { LOCALE_COOKIE, resolveLocale, translate } from "~/i18n";
import { appRouter } from "~/server/api/root";
import { createContext } from "~/server/api/context";
import { parseCookies } from "~/server/auth/session";
import type { Clock } from "~/server/clock";
import { composeApp } from "~/server/compose";
import type { Db } from "~/server/db/client";
import { checkHealth } from "~/server/health";
import type { Deps } from "~/server/modules/deps";
import { attachGateway, revalidateSockets, type RealtimeServer } from "~/server/realtime/gateway";
import { createRedis } from "~/server/redis";
import { instrumentRequest } from "~/server/observability/http";
import { createLogger, noteRequestUser, requestLogger, type Logger } from "~/server/observability/logger";
import { createMetrics } from "~/server/observability/metrics";
import { isMetricsPath, metricsEndpoint } from "~/server/observability/metrics-endpoint";
import { serveAttachment } from "./attachments";
import { stampClientIp } from "./client-ip";
import { guardAuthCallback } from "./auth-callback-guard";
import { registerServerApp } from "./server-app";
import { serveKbImage, uploadKbImageHttp } from "./kb-images";
import { handleUpload } from "./uploads";
import { apiV1Handler, isApiV1Path } from "./api-v1";
import { REPORT_CSV_PATH, serveReportCsv } from "./report-csv";
import { applyBaseHeaders, applyPageHeaders, type HeaderPolicy } from "./security-headers";

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface ServerOptions {
  env: Env;
  db?: Db;
  clock?: Clock;
  /** Next.js's request handler; without it only the API and socket.io are served (tests, benchmarks). */
  next?: RequestHandler;
  /** Default: createLogger(env) (LOG_LEVEL; silent in tests). */
  log?: Logger;
}

export interface RunningServer {
  url: string;
  port: number;
  io: RealtimeServer;
  deps: Deps;
  close(): Promise<void>;
}

function requestLocale(req: IncomingMessage) {
  return resolveLocale(parseCookies(req.headers.cookie)[LOCALE_COOKIE]);
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

/** The HTTP server: tRPC at /api/trpc, the integration API at /api/v1, health at /api/health, socket.io at /socket.io, Next for the rest. */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const { env } = opts;
  const log = opts.log ?? createLogger(env);
  const app = composeApp(env, {
    db: opts.db,
    clock: opts.clock,
    broadcaster: () => io,
    onDispatchError: (err, event) => log.error({ err, event: event.type }, "dispatch failed"),
  });
  const { deps } = app;
  const { db } = deps;
  const pub = createRedis("pubsub", env.REDIS_URL);
  const sub = createRedis("pubsub", env.REDIS_URL);
  const http = createServer();
  const io = attachGateway(http, { db, secret: env.NEXTAUTH_SECRET, redis: { pub, sub, prefix: env.REDIS_PREFIX } });
  const metrics = createMetrics({ queues: Object.values(app.queues), sockets: io });
  const serveMetrics = metricsEndpoint({ token: env.METRICS_TOKEN, metrics, limiter: deps.rateLimits.metricsIp, log });
  const revalidation = setInterval(() => void revalidateSockets(io, db).catch(() => {}), 60_000);
  // Server components (Next.js, same process) reach data through these, never a second pool.
  const unregister = registerServerApp({ deps });

  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: "/api/trpc/",
    // Queries whose input outgrows a URL (kb.preview of a long article) are sent as POST.
    allowMethodOverride: true,
    // The largest input is an article (200,000 characters); anything far past it is refused unread.
    maxBodySize: 2 * 1024 * 1024,
    createContext: async ({ req, res }) => noteRequestUser(req, await createContext(deps, req, res, requestLogger(req, log))),
    onError: ({ error, path, req }) => {
      if (error.code === "INTERNAL_SERVER_ERROR") requestLogger(req, log).error({ err: error.cause ?? error, procedure: path }, "tRPC internal error");
    },
  });

  // The integration API (/api/v1): bearer tokens, its own routes over the same use-cases.
  const apiV1 = apiV1Handler({ deps, redis: app.redis, redisPrefix: env.REDIS_PREFIX, requestsPerMinute: env.RATE_LIMIT_API_PER_MINUTE, log });

  const headerPolicy: HeaderPolicy = { https: (env.PUBLIC_URL ?? "").startsWith("https:"), dev: env.NODE_ENV === "development" };
  http.on("request", (req, res) => {
    // First: the one place the client's address is decided (rate limits); a client-sent value is overwritten.
    stampClientIp(req, env.TRUST_PROXY);
    instrumentRequest(req, res, { log, metrics });
    const url = req.url ?? "/";
    if (isMetricsPath(url)) return serveMetrics(req, res);
    const toNext = !!opts.next && !/^\/api\/(trpc|v1|health|attachments|uploads|kb\/images|reports\/csv)(\/|\?|$)/.test(url);
    if (toNext) applyPageHeaders(req, res, headerPolicy);
    else applyBaseHeaders(res, headerPolicy);
    if (url.startsWith("/api/auth/") && guardAuthCallback(req, publicUrl(env)) === "bad-query") {
      return json(res, 400, { error: "BAD_CALLBACK_URL", message: translate(requestLocale(req), "errors.CALLBACK_URL_INVALID") });
    }
    if (url.startsWith("/api/trpc/")) return void trpc(req, res);
    if (isApiV1Path(url)) return apiV1(req, res);
    if (url === "/api/health" || url.startsWith("/api/health?")) {
      return void checkHealth({ db, redis: app.redis, prefix: env.REDIS_PREFIX }).then(
        (report) => json(res, report.status === "ok" ? 200 : 503, report),
        () => json(res, 503, { status: "degraded" }),
      );
    }
    const attachment = /^\/api\/attachments\/([A-Za-z0-9-]{1,64})(\?|$)/.exec(url);
    if (attachment && req.method === "GET") {
      return void serveAttachment(deps, attachment[1]!, req, res).catch((err: Error) => {
        requestLogger(req, log).error({ err }, "attachment failed");
        if (!res.headersSent) json(res, 500, { error: "INTERNAL" });
      });
    }
    const reportCsv = REPORT_CSV_PATH.exec(url);
    if (reportCsv && req.method === "GET") {
      return void serveReportCsv(deps, reportCsv[1]!, req, res).catch((err: Error) => {
        requestLogger(req, log).error({ err }, "report csv failed");
        if (!res.headersSent) json(res, 500, { error: "INTERNAL" });
      });
    }
    if (/^\/api\/uploads\/?(\?|$)/.test(url)) {
      if (req.method !== "POST") return json(res, 405, { error: "METHOD_NOT_ALLOWED" });
      return void handleUpload(deps, publicUrl(env), req, res).catch((err: Error) => {
        requestLogger(req, log).error({ err }, "upload failed");
        if (!res.headersSent) json(res, 500, { error: { code: "INTERNAL", message: translate(requestLocale(req), "errors.INTERNAL") } });
        else res.destroy();
      });
    }
    if (/^\/api\/kb\/images\/?(\?|$)/.test(url)) {
      if (req.method !== "POST") return json(res, 405, { error: "METHOD_NOT_ALLOWED" });
      return void uploadKbImageHttp(deps, publicUrl(env), req, res).catch((err: Error) => {
        requestLogger(req, log).error({ err }, "kb image upload failed");
        if (!res.headersSent) json(res, 500, { error: "INTERNAL" });
        else res.destroy();
      });
    }
    const kbImage = /^\/api\/kb\/images\/([A-Za-z0-9-]{1,64})(\?|$)/.exec(url);
    if (kbImage && (req.method === "GET" || req.method === "HEAD")) {
      return void serveKbImage(deps, kbImage[1]!, req, res).catch((err: Error) => {
        requestLogger(req, log).error({ err }, "kb image failed");
        if (!res.headersSent) json(res, 500, { error: "INTERNAL" });
      });
    }
    if (url.startsWith("/socket.io")) return; // answered by socket.io's own listener
    if (opts.next) {
      return void Promise.resolve(opts.next(req, res)).catch((err: Error) => {
        requestLogger(req, log).error({ err }, "next failed");
        if (!res.headersSent) json(res, 500, { error: "INTERNAL" });
      });
    }
    json(res, 404, { error: "NOT_FOUND" });
  });

  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(env.PORT, env.HOST, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    io,
    deps,
    async close() {
      unregister();
      clearInterval(revalidation);
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => io.close(() => resolve()));
      for (const r of [pub, sub]) r.disconnect();
      await app.close();
    },
  };
}
