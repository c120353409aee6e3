import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { publicUrl, type Env } from "~/env";
import { LOCALE_COOKIE, resolveLocale, translate } from "~/i18n";
import { appRouter } from "~/server/api/root";
import { createContext } from "~/server/api/context";
import { parseCookies } from "~/server/auth/session";
import { systemClock, type Clock } from "~/server/clock";
import { createDb, type Db } from "~/server/db/client";
import { checkHealth } from "~/server/health";
import { createDispatcher } from "~/server/modules/dispatch";
import { mailSettings, type Deps } from "~/server/modules/deps";
import { createKbIndexQueue, kbIndexEnqueuer } from "~/server/adapters/bullmq/kb-index-queue";
import { createSearchEngine } from "~/server/adapters/create-search-engine";
import { createInboundQueue, inboundEnqueuer } from "~/server/adapters/bullmq/inbound-queue";
import { mailSecretsKey } from "~/server/modules/mail/admin/secret-box";
import { createNotificationsQueue, emailEnqueuer, emailRequeuer } from "~/server/adapters/bullmq/notifications-queue";
import { roomEmitter } from "~/server/modules/realtime/room-emitter";
import { attachGateway, revalidateSockets, type RealtimeServer } from "~/server/realtime/gateway";
import { localBlobStore } from "~/server/adapters/local-disk/local-blob-store";
import { createRateLimits } from "~/server/modules/security/rate-limit";
import { createRedis } from "~/server/redis";
import { serveAttachment } from "./attachments";
import { stampClientIp } from "./client-ip";
import { guardAuthCallback } from "./auth-callback-guard";
import { registerServerApp } from "./server-app";
import { serveKbImage, uploadKbImageHttp } from "./kb-images";
import { applyBaseHeaders, applyPageHeaders, type HeaderPolicy } from "./security-headers";

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface ServerOptions {
  env: Env;
  db?: Db;
  clock?: Clock;
  /** Next.js's request handler; without it only the API and socket.io are served (tests, benchmarks). */
  next?: RequestHandler;
  log?: (line: string) => void;
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

/** The HTTP server: tRPC at /api/trpc, health at /api/health, socket.io at /socket.io, Next for the rest. */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const { env } = opts;
  const log = opts.log ?? (() => {});
  const ownDb = !opts.db;
  const db = opts.db ?? createDb(env.DATABASE_URL);
  const producer = createRedis("producer", env.REDIS_URL);
  const pub = createRedis("pubsub", env.REDIS_URL);
  const sub = createRedis("pubsub", env.REDIS_URL);
  const queueRedis = createRedis("producer", env.REDIS_URL);
  const queue = createNotificationsQueue(queueRedis, env.REDIS_PREFIX);
  const inboundQueue = createInboundQueue(queueRedis, env.REDIS_PREFIX);
  const kbIndexQueue = createKbIndexQueue(queueRedis, env.REDIS_PREFIX);
  const services = {
    enqueueInbound: inboundEnqueuer(inboundQueue),
    requeueEmail: emailRequeuer(queue),
    search: createSearchEngine({ db, meiliUrl: env.MEILI_URL, meiliKey: env.MEILI_MASTER_KEY }),
    mailSecretsKey: mailSecretsKey(env),
    limits: createRateLimits(producer, env.REDIS_PREFIX),
  };

  const store = localBlobStore(env.STORAGE_DIR);
  const http = createServer();
  const io = attachGateway(http, { db, secret: env.NEXTAUTH_SECRET, redis: { pub, sub, prefix: env.REDIS_PREFIX } });
  const revalidation = setInterval(() => void revalidateSockets(io, db).catch(() => {}), 60_000);
  const deps: Deps = {
    db,
    clock: opts.clock ?? systemClock,
    bus: createDispatcher({
      emit: roomEmitter(io),
      enqueueEmails: emailEnqueuer(queue),
      enqueueKbIndex: kbIndexEnqueuer(kbIndexQueue),
      onError: (err, event) => log(`dispatch ${event.type} failed: ${(err as Error).message}`),
    }),
    mail: mailSettings(env),
  };
  // Server components (Next.js, same process) reach data through these, never a second pool.
  const unregister = registerServerApp({ deps, services, secret: env.NEXTAUTH_SECRET });

  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: "/api/trpc/",
    // Queries whose input outgrows a URL (kb.preview of a long article) are sent as POST.
    allowMethodOverride: true,
    createContext: ({ req }) => createContext(deps, env.NEXTAUTH_SECRET, req, services),
    onError: ({ error, path }) => {
      if (error.code === "INTERNAL_SERVER_ERROR") log(`tRPC ${path ?? "?"}: ${error.cause?.stack ?? error.stack}`);
    },
  });

  const headerPolicy: HeaderPolicy = { https: (env.PUBLIC_URL ?? "").startsWith("https:"), dev: env.NODE_ENV === "development" };
  http.on("request", (req, res) => {
    // First: the one place the client's address is decided (rate limits); a client-sent value is overwritten.
    stampClientIp(req, env.TRUST_PROXY);
    const url = req.url ?? "/";
    const toNext = !!opts.next && !/^\/api\/(trpc|health|attachments|kb\/images)(\/|\?|$)/.test(url);
    if (toNext) applyPageHeaders(req, res, headerPolicy);
    else applyBaseHeaders(res, headerPolicy);
    if (url.startsWith("/api/auth/") && guardAuthCallback(req, publicUrl(env)) === "bad-query") {
      return json(res, 400, { error: "BAD_CALLBACK_URL", message: translate(requestLocale(req), "errors.CALLBACK_URL_INVALID") });
    }
    if (url.startsWith("/api/trpc/")) return void trpc(req, res);
    if (url === "/api/health" || url.startsWith("/api/health?")) {
      return void checkHealth({ db, redis: producer, prefix: env.REDIS_PREFIX }).then(
        (report) => json(res, report.status === "ok" ? 200 : 503, report),
        () => json(res, 503, { status: "degraded" }),
      );
    }
    const attachment = /^\/api\/attachments\/([A-Za-z0-9-]{1,64})(\?|$)/.exec(url);
    if (attachment && req.method === "GET") {
      return void serveAttachment({ ...deps, store }, env.NEXTAUTH_SECRET, attachment[1]!, req, res).catch((err: Error) => {
        log(`attachment: ${err.stack}`);
        if (!res.headersSent) json(res, 500, { error: "INTERNAL" });
      });
    }
    if (/^\/api\/kb\/images\/?(\?|$)/.test(url)) {
      if (req.method !== "POST") return json(res, 405, { error: "METHOD_NOT_ALLOWED" });
      return void uploadKbImageHttp({ ...deps, store }, env.NEXTAUTH_SECRET, req, res).catch((err: Error) => {
        log(`kb image upload: ${err.stack}`);
        if (!res.headersSent) json(res, 500, { error: "INTERNAL" });
        else res.destroy();
      });
    }
    const kbImage = /^\/api\/kb\/images\/([A-Za-z0-9-]{1,64})(\?|$)/.exec(url);
    if (kbImage && (req.method === "GET" || req.method === "HEAD")) {
      return void serveKbImage({ ...deps, store }, kbImage[1]!, req, res).catch((err: Error) => {
        log(`kb image: ${err.stack}`);
        if (!res.headersSent) json(res, 500, { error: "INTERNAL" });
      });
    }
    if (url.startsWith("/socket.io")) return; // answered by socket.io's own listener
    if (opts.next) {
      return void Promise.resolve(opts.next(req, res)).catch((err: Error) => {
        log(`next: ${err.stack}`);
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
      await queue.close();
      await inboundQueue.close();
      await kbIndexQueue.close();
      for (const r of [producer, pub, sub, queueRedis]) r.disconnect();
      if (ownDb) await db.$disconnect();
    },
  };
}
