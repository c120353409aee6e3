import type { IncomingMessage, ServerResponse } from "node:http";
import { LOCALE_COOKIE, resolveLocale, translate, type MessageKey } from "~/i18n";
import { parseCookies, readSession } from "~/server/auth/session";
import { AppError, type AppErrorCode } from "~/server/errors";
import { isStaff } from "~/shared/enums";
import { sameOrigin } from "./uploads";
import { KB_IMAGE_MAX_BYTES, KB_IMAGE_MAX_MB, kbImageType, openKbImage, uploadKbImage, type KbImageDeps } from "~/server/modules/kb/images";

const STATUS: Partial<Record<AppErrorCode, number>> = {
  UNAUTHORIZED: 401,
  SESSION_EXPIRED: 401,
  FORBIDDEN: 403,
  UPLOAD_ORIGIN: 403,
  IMAGE_NOT_FOUND: 404,
  IMAGE_TOO_LARGE: 413,
  IMAGE_TYPE_UNSUPPORTED: 415,
  VALIDATION: 400,
};

function reply(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...extra });
  res.end(JSON.stringify(body));
}

/** X-Filename is percent-encoded by the editor (headers are Latin-1); a plain name is taken as is. */
function headerFilename(value: string | string[] | undefined): string | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/**
 * POST /api/kb/images: the raw image as the body (Content-Type image/png|jpeg|gif|webp, X-Filename),
 * from a staff session on our own origin (as /api/uploads: an image body already needs a preflight,
 * the Origin check keeps it so if that ever changes). Replies {id, url}, or {error, message}
 * localized with a 4xx status.
 */
export async function uploadKbImageHttp(deps: KbImageDeps, publicUrl: string, req: IncomingMessage, res: ServerResponse) {
  const cookie = req.headers.cookie;
  const session = await readSession(deps.db, cookie, deps.secrets.session);
  const locale = resolveLocale(parseCookies(cookie)[LOCALE_COOKIE], session.actor?.locale);
  const fail = (code: AppErrorCode, params?: Record<string, string | number>) => {
    // The rest of a refused body is not read: the connection closes after the answer.
    if (!req.readableEnded) res.shouldKeepAlive = false;
    reply(res, STATUS[code] ?? 400, { error: code, message: translate(locale, `errors.${code}` as MessageKey, params) });
    if (!req.readableEnded) res.once("finish", () => req.destroy());
  };
  // Cheap refusals first, before a byte of the body is stored.
  if (!sameOrigin(req, publicUrl)) return fail("UPLOAD_ORIGIN");
  if (!session.actor) return fail(session.stale ? "SESSION_EXPIRED" : "UNAUTHORIZED");
  if (!isStaff(session.actor.role)) return fail("FORBIDDEN");
  if (!kbImageType(req.headers["content-type"])) return fail("IMAGE_TYPE_UNSUPPORTED");
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > KB_IMAGE_MAX_BYTES) return fail("IMAGE_TOO_LARGE", { max: KB_IMAGE_MAX_MB });
  try {
    const image = await uploadKbImage(deps, session.actor, { filename: headerFilename(req.headers["x-filename"]), contentType: req.headers["content-type"], source: req });
    reply(res, 200, image);
  } catch (err) {
    if (err instanceof AppError) return fail(err.code, err.params);
    throw err;
  }
}

/** GET /api/kb/images/<id>: public, immutable (a new upload gets a new id), never sniffed as anything but the stored type. */
export async function serveKbImage(deps: KbImageDeps, id: string, req: IncomingMessage, res: ServerResponse) {
  const locale = resolveLocale(parseCookies(req.headers.cookie)[LOCALE_COOKIE], undefined);
  const notFound = () => {
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" });
    res.end(translate(locale, "errors.IMAGE_NOT_FOUND"));
  };
  let file: Awaited<ReturnType<typeof openKbImage>>;
  try {
    file = await openKbImage(deps, id);
  } catch (err) {
    if (err instanceof AppError) return notFound();
    throw err;
  }
  const etag = `"${file.sha256}"`;
  const headers = {
    "content-type": file.contentType,
    "x-content-type-options": "nosniff",
    "content-security-policy": "sandbox; default-src 'none'",
    "cache-control": "public, max-age=31536000, immutable",
    etag,
  };
  if (req.headers["if-none-match"] === etag) {
    file.stream.destroy();
    res.writeHead(304, headers);
    return void res.end();
  }
  const opened = await new Promise<Error | null>((resolve) => {
    file.stream.once("open", () => resolve(null));
    file.stream.once("error", (err) => resolve(err));
  });
  if (opened) {
    if ((opened as NodeJS.ErrnoException).code === "ENOENT") return notFound();
    throw opened;
  }
  res.writeHead(200, {
    ...headers,
    "content-length": String(file.size),
    "content-disposition": `inline; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
  });
  if (req.method === "HEAD") {
    file.stream.destroy();
    return void res.end();
  }
  file.stream.on("error", () => res.destroy()).pipe(res);
}
