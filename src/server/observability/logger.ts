import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { pino, type DestinationStream, type Logger } from "pino";
import type { Env } from "~/env";

export type { Logger };

/**
 * Never written to a log line, at any depth pino can address: secrets, cookies, authorization
 * headers, passwords and the text of mails. A field that must be logged is named explicitly instead.
 */
export const REDACTED_PATHS = [
  ...["password", "newPassword", "currentPassword", "secret", "token", "cookie", "authorization"].flatMap((k) => [k, `*.${k}`]),
  ...["headers", "req.headers", "request.headers"].flatMap((h) => [`${h}.cookie`, `${h}.authorization`, `${h}["set-cookie"]`, `${h}["proxy-authorization"]`]),
  ...["body", "text", "html", "raw"].flatMap((k) => [k, `*.${k}`]),
];

/** LOG_LEVEL, else "info" (tests: "silent", so a run's output is the test reporter's). */
export function createLogger(settings: Pick<Env, "LOG_LEVEL" | "NODE_ENV">, opts: { name?: string; destination?: DestinationStream } = {}): Logger {
  const level = settings.LOG_LEVEL ?? (settings.NODE_ENV === "test" ? "silent" : "info");
  return pino({ level, name: opts.name, redact: { paths: REDACTED_PATHS, censor: "[redacted]" } }, opts.destination);
}

/** A logger that writes nothing: for callers (tests, tools) that have no use for the lines. */
export const silentLogger: Logger = pino({ level: "silent" });

export const REQUEST_ID_HEADER = "x-request-id";
// A caller's (or proxy's) id is kept only when it cannot smuggle anything into a log line.
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** The incoming x-request-id when it is a short plain token, else a fresh one. */
export function requestIdOf(req: Pick<IncomingMessage, "headers">): string {
  const sent = req.headers[REQUEST_ID_HEADER];
  return typeof sent === "string" && SANE_REQUEST_ID.test(sent) ? sent : randomUUID();
}

interface RequestLog {
  log: Logger;
  userId?: string;
}

const requestLogs = new WeakMap<IncomingMessage, RequestLog>();

/** Gives the request its id (echoed as x-request-id) and a child logger carrying it. */
export function startRequestLog(log: Logger, req: IncomingMessage, res: ServerResponse): RequestLog {
  const reqId = requestIdOf(req);
  res.setHeader(REQUEST_ID_HEADER, reqId);
  const entry: RequestLog = { log: log.child({ reqId }) };
  requestLogs.set(req, entry);
  return entry;
}

/** The request's logger (with its reqId and, once known, userId); `fallback` for a request never started. */
export function requestLogger(req: IncomingMessage, fallback: Logger): Logger {
  return requestLogs.get(req)?.log ?? fallback;
}

/** Notes who made the request, once the session is read, for its log lines. Returns `context` as is. */
export function noteRequestUser<C extends { actor: { id: string } | null }>(req: IncomingMessage, context: C): C {
  const entry = requestLogs.get(req);
  if (entry && context.actor) {
    entry.userId = context.actor.id;
    entry.log = entry.log.child({ userId: context.actor.id });
  }
  return context;
}

export function requestUserId(req: IncomingMessage): string | undefined {
  return requestLogs.get(req)?.userId;
}

interface FailedJob {
  id?: string;
  attemptsMade: number;
  opts: { attempts?: number };
  data: object;
}

/**
 * One line per failed job: warn while BullMQ will try again, error once it gives up. The job's ids
 * (emailId, inboundId, articleId, ticketNumber when a job carries one) go along; nothing else of its data.
 */
export function logJobFailure(log: Logger, queue: string, job: FailedJob | undefined, err: Error): void {
  const ids = Object.fromEntries(Object.entries(job?.data ?? {}).filter(([k, v]) => (k === "kind" || /Id$|^ticketNumber$/.test(k)) && typeof v !== "object"));
  const final = !job || job.attemptsMade >= (job.opts.attempts ?? 1);
  log[final ? "error" : "warn"]({ queue, jobId: job?.id, attempt: job?.attemptsMade, ...ids, err }, `${queue} job failed${final ? "" : ", will retry"}`);
}
