import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { clientIpFromHeaders } from "~/server/http/client-ip";
import { RateLimitedError, limitFailures, type FailureLimiter } from "~/server/modules/security/rate-limit";
import { scrapeText } from "./cluster-metrics";
import { requestLogger, type Logger } from "./logger";
import type { Metrics } from "./metrics";

export function isMetricsPath(url: string): boolean {
  return url === "/metrics" || url.startsWith("/metrics?");
}

function answer(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", "x-content-type-options": "nosniff", ...headers });
  res.end(JSON.stringify(body));
}

const sha256 = (value: string) => createHash("sha256").update(value, "utf8").digest();

/** Constant-time: equal-length hashes, so neither the content nor the length of the token leaks. */
function bearerMatches(authorization: string | undefined, token: string): boolean {
  const given = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "")?.[1] ?? "";
  return timingSafeEqual(sha256(given), sha256(token)) && given.length > 0;
}

/**
 * GET /metrics for Prometheus: 404 while METRICS_TOKEN is unset (disabled), 401 without the bearer
 * token, 429 once one address has spent its budget of wrong tokens (metricsIp).
 */
export function metricsEndpoint(opts: { token: string | undefined; metrics: Metrics; limiter: FailureLimiter; log: Logger }) {
  const { token, metrics, limiter } = opts;
  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!token) return answer(res, 404, { error: "NOT_FOUND" });
    const ip = clientIpFromHeaders(req.headers);
    let allowed: boolean;
    try {
      allowed = await limitFailures(
        [{ limiter, key: ip, onSuccess: "refund" }],
        async () => bearerMatches(req.headers.authorization, token),
        (outcome) => outcome.ok && !outcome.value,
      );
    } catch (err) {
      if (!(err instanceof RateLimitedError)) throw err;
      return answer(res, 429, { error: "RATE_LIMITED" }, { "retry-after": String(err.retryAfterSec) });
    }
    if (!allowed) {
      requestLogger(req, opts.log).warn({ ip }, "metrics: missing or wrong bearer token");
      return answer(res, 401, { error: "UNAUTHORIZED" }, { "www-authenticate": 'Bearer realm="metrics"' });
    }
    const body = await scrapeText(metrics.registry);
    res.writeHead(200, { "content-type": metrics.registry.contentType, "cache-control": "no-store", "x-content-type-options": "nosniff" });
    res.end(body);
  };
  return (req: IncomingMessage, res: ServerResponse): void =>
    void serve(req, res).catch((err: Error) => {
      requestLogger(req, opts.log).error({ err }, "metrics: scrape failed");
      if (!res.headersSent) answer(res, 500, { error: "INTERNAL" });
    });
}
