import type { IncomingMessage, ServerResponse } from "node:http";
import busboy from "busboy";
import { LOCALE_COOKIE, resolveLocale, translate, type MessageKey } from "~/i18n";
import { parseCookies, readSession } from "~/server/auth/session";
import { AppError, type AppErrorCode } from "~/server/errors";
import type { Actor } from "~/server/modules/actor";
import { recordUploads, removeStored, storeUpload, type StoredUpload, type UploadDeps } from "~/server/modules/attachments/staged-uploads";
import type { Deps } from "~/server/modules/deps";
import { ATTACHMENTS_MAX_BYTES, ATTACHMENTS_MAX_FILES, ATTACHMENTS_MAX_MB } from "~/shared/attachments";
import { GUEST_DRAFT_COOKIE, guestUploadOwner, verifyGuestDraft } from "~/server/modules/guest/capability";
import { clientIpFromHeaders } from "./client-ip";

/**
 * What a multipart body may carry beyond its files' bytes (boundaries and part headers: a few hundred
 * bytes a file). A declared Content-Length past the limit plus this is refused before a byte is read.
 */
export const MULTIPART_SLACK_BYTES = 64 * 1024;

const STATUS: Partial<Record<AppErrorCode, number>> = {
  UNAUTHORIZED: 401,
  SESSION_EXPIRED: 401,
  UPLOAD_ORIGIN: 403,
  ATTACHMENTS_TOO_LARGE: 413,
  UPLOADS_RATE_LIMITED: 429,
};

/**
 * Who may upload, as the key the staged rows are owned by: any signed-in user (customers and
 * staff), else a guest by the draft key of their signed cookie (modules/guest/capability.ts:
 * `guest:<key>`, which no user id can equal), so only that browser's form can attach the files.
 */
export function uploadOwner(actor: Actor | null | undefined, guestDraftKey?: string | null): string | null {
  if (actor) return actor.id;
  return guestDraftKey ? guestUploadOwner(guestDraftKey) : null;
}

/**
 * The mutation comes from our own pages: the browser's Origin must be PUBLIC_URL's. A multipart POST
 * is a "simple" request another site's form could send with the visitor's cookies; tRPC's JSON
 * requests are not (they need a preflight), this one needs the check.
 */
export function sameOrigin(req: IncomingMessage, publicUrl: string): boolean {
  const origin = req.headers.origin;
  if (!origin) return false;
  try {
    return new URL(origin).origin === new URL(publicUrl).origin;
  } catch {
    return false;
  }
}

/**
 * POST /api/uploads: multipart/form-data with one or more `file` parts, from a signed-in session on
 * our own origin. Each file streams to the store as it arrives (never whole in memory); the files of
 * one request may not pass ATTACHMENTS_MAX_BYTES together: a declared Content-Length over it is
 * refused unread, and the running count stops the upload the moment it passes, removing what was
 * stored. Replies {uploads: [{id, filename, contentType, size}]} (staged: a message takes them by
 * id), or {error: {code, message}} localized with a 4xx status.
 */
export async function handleUpload(deps: Deps & UploadDeps, publicUrl: string, req: IncomingMessage, res: ServerResponse) {
  const cookie = req.headers.cookie;
  const session = await readSession(deps.db, cookie, deps.secrets.session);
  const locale = resolveLocale(parseCookies(cookie)[LOCALE_COOKIE], session.actor?.locale);
  let answered = false;
  const fail = (code: AppErrorCode, params?: Record<string, string | number>) => {
    if (answered || res.headersSent) return;
    answered = true;
    // The rest of a refused body is not read: the connection closes once the answer is out.
    if (!req.readableEnded) res.shouldKeepAlive = false;
    res.writeHead(STATUS[code] ?? 400, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
    res.end(JSON.stringify({ error: { code, message: translate(locale, `errors.${code}` as MessageKey, params) } }));
    if (!req.readableEnded) res.once("finish", () => req.destroy());
  };

  // Cheap refusals first, before a byte of the body is read.
  if (!sameOrigin(req, publicUrl)) return fail("UPLOAD_ORIGIN");
  // Without a session: a guest form's upload, owned by the draft key its signed cookie carries (the
  // form gets one as it opens: guest.draft). Without either, the visitor is refused as before.
  const guestDraft = session.actor ? null : verifyGuestDraft(deps, parseCookies(cookie)[GUEST_DRAFT_COOKIE]);
  const owner = uploadOwner(session.actor, guestDraft);
  if (!owner) return fail(session.stale ? "SESSION_EXPIRED" : "UNAUTHORIZED");
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > ATTACHMENTS_MAX_BYTES + MULTIPART_SLACK_BYTES) return fail("ATTACHMENTS_TOO_LARGE", { max: ATTACHMENTS_MAX_MB });
  if (!/^multipart\/form-data\b/i.test(req.headers["content-type"] ?? "")) return fail("UPLOAD_INVALID");
  // A user's budget is theirs; guests' (a new draft key is free to get) is their client address's.
  const [limiter, limitKey] = session.actor ? [deps.rateLimits.uploadUser, owner] : [deps.rateLimits.guestUploadIp, clientIpFromHeaders(req.headers)];
  const slot = await limiter.reserve(limitKey);
  if (slot.locked) return fail("UPLOADS_RATE_LIMITED", { minutes: Math.max(1, Math.ceil(slot.retryAfterSec / 60)) });
  await limiter.failed(limitKey, slot.consumed);

  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: req.headers,
      defParamCharset: "utf8",
      // One byte past the limit is enough to know a file is too large; the running total covers several.
      limits: { fileSize: ATTACHMENTS_MAX_BYTES + 1, files: ATTACHMENTS_MAX_FILES, fields: 10, parts: ATTACHMENTS_MAX_FILES + 10, fieldSize: 1024 },
    });
  } catch {
    return fail("UPLOAD_INVALID");
  }

  const budget = { used: 0 };
  const pending: Promise<StoredUpload>[] = [];
  let failure: AppError | Error | null = null;
  const stop = (err: AppError | Error) => {
    if (failure) return;
    failure = err;
    // Stop reading: the parser's open file streams fail (their partial files are removed) and the refusal goes out.
    req.unpipe(parser);
    parser.removeAllListeners("file");
    parser.destroy(err);
  };

  const finished = new Promise<void>((resolve) => {
    parser.on("file", (_field, file, info) => {
      file.on("limit", () => file.destroy(new AppError("ATTACHMENTS_TOO_LARGE", { max: ATTACHMENTS_MAX_MB })));
      const stored = storeUpload(deps, { filename: info.filename, claimedType: info.mimeType, source: file, budget });
      stored.catch((err: Error) => stop(err));
      pending.push(stored);
    });
    parser.on("filesLimit", () => stop(new AppError("ATTACHMENTS_TOO_MANY", { max: ATTACHMENTS_MAX_FILES })));
    parser.on("partsLimit", () => stop(new AppError("UPLOAD_INVALID")));
    parser.on("error", (err: Error) => {
      stop(err);
      resolve();
    });
    parser.on("close", () => resolve());
    req.on("aborted", () => stop(new Error("client aborted the upload")));
    req.on("error", (err) => stop(err));
  });
  req.pipe(parser);
  await finished;

  const settled = await Promise.allSettled(pending);
  const stored = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  const firstRejection = settled.find((s): s is PromiseRejectedResult => s.status === "rejected")?.reason as Error | undefined;
  const err: Error | null = failure ?? firstRejection ?? (stored.length ? null : new AppError("UPLOAD_INVALID"));
  if (err) {
    await removeStored(deps, stored);
    // The client went away mid-body: nobody to answer. (A request read to its end is destroyed too.)
    if (!req.complete && req.destroyed) return;
    // A declared body (what browsers send) is at most the limit plus the slack: read the rest of it
    // unstored, so the client, still sending, gets the answer rather than a reset connection.
    if (Number.isFinite(declared) && !req.complete) await drain(req);
    if (err instanceof AppError) return fail(err.code, err.params);
    return fail("UPLOAD_INVALID");
  }
  const uploads = await recordUploads(deps, owner, stored);
  answered = true;
  res.writeHead(200, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(JSON.stringify({ uploads }));
}

/** Reads and drops the rest of a request body (bounded by the caller: a declared, already limited length). */
function drain(req: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    req.on("data", () => {});
    req.once("end", () => resolve());
    req.once("close", () => resolve());
    req.resume();
  });
}
