import type { IncomingMessage, ServerResponse } from "node:http";
import { appRouter } from "~/server/api/root";
import { requestUserId, startRequestLog, type Logger } from "./logger";
import type { Metrics } from "./metrics";

const PROCEDURES = new Set(Object.keys(appRouter._def.procedures));
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

// Route labels are fixed names: a label taken from the URL would let any client mint new time series.
const FIXED_ROUTES: Array<[RegExp, string]> = [
  [/^\/api\/health$/, "health"],
  [/^\/api\/attachments\//, "attachments"],
  [/^\/api\/kb\/images\/?$/, "kb.images.upload"],
  [/^\/api\/kb\/images\//, "kb.images"],
  [/^\/api\/auth\//, "auth"],
  [/^\/metrics$/, "metrics"],
];

/**
 * The route labels of a request. A tRPC batch ("ticket.list,user.me") gives one label per call: each
 * caller waited for the whole batch, so each procedure is observed with the batch's duration.
 */
export function routesOf(path: string): string[] {
  if (path.startsWith("/api/trpc/")) {
    let calls: string[];
    try {
      calls = decodeURIComponent(path.slice("/api/trpc/".length)).split(",");
    } catch {
      calls = [""];
    }
    return calls.map((p) => (PROCEDURES.has(p) ? p : "trpc.unknown"));
  }
  for (const [pattern, name] of FIXED_ROUTES) if (pattern.test(path)) return [name];
  if (path.startsWith("/api/")) return ["api.other"];
  return [path.startsWith("/_next/") || /\.[a-z0-9]+$/i.test(path) ? "static" : "page"];
}

function pathOf(url: string): string {
  const q = url.indexOf("?");
  return q === -1 ? url : url.slice(0, q);
}

/**
 * Called first for every HTTP request: gives it a request id (x-request-id) and a logger, and when
 * it is answered observes its latency and, for /api/*, logs one line. socket.io's own requests
 * (long polls) are left alone.
 */
export function instrumentRequest(req: IncomingMessage, res: ServerResponse, observability: { log: Logger; metrics: Metrics }): void {
  const path = pathOf(req.url ?? "/");
  if (path.startsWith("/socket.io/")) return;
  const { log } = startRequestLog(observability.log, req, res);
  const started = process.hrtime.bigint();
  res.once("close", () => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const method = METHODS.has(req.method ?? "") ? req.method! : "other";
    const status = `${Math.floor(res.statusCode / 100)}xx`;
    for (const route of routesOf(path)) observability.metrics.httpDuration.observe({ method, route, status }, seconds);
    if (!path.startsWith("/api/")) return;
    const aborted = !res.writableFinished;
    log.info(
      { method: req.method, path, status: res.statusCode, ms: Math.round(seconds * 10_000) / 10, userId: requestUserId(req), ...(aborted ? { aborted } : {}) },
      "request",
    );
  });
}
