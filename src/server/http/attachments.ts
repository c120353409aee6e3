import type { IncomingMessage, ServerResponse } from "node:http";
import { LOCALE_COOKIE, resolveLocale, translate } from "~/i18n";
import { parseCookies, readSession } from "~/server/auth/session";
import { AppError } from "~/server/errors";
import type { Deps } from "~/server/modules/deps";
import { openAttachment } from "~/server/modules/tickets/open-attachment";
import { GUEST_TICKET_COOKIE, verifyGuestTicket } from "~/server/modules/guest/capability";
import { openGuestAttachment } from "~/server/modules/guest/guest-ticket";
import { inlineType, INLINE_CLAIMS, normalizeType, readHead, SNIFF_BYTES } from "./sniff";

/** GET /api/attachments/<id>: streamed from storage, authorized like the ticket it belongs to. */
export async function serveAttachment(deps: Deps, id: string, req: IncomingMessage, res: ServerResponse) {
  const cookie = req.headers.cookie;
  const session = await readSession(deps.db, cookie, deps.secrets.session);
  const locale = resolveLocale(parseCookies(cookie)[LOCALE_COOKIE], session.actor?.locale);
  const fail = (status: number, code: "UNAUTHORIZED" | "ATTACHMENT_NOT_FOUND") => {
    res.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
    res.end(translate(locale, `errors.${code}`));
  };
  const guestTicket = session.actor ? null : verifyGuestTicket(deps, parseCookies(cookie)[GUEST_TICKET_COOKIE], deps.clock.now());
  if (!session.actor && !guestTicket) return fail(401, "UNAUTHORIZED");
  try {
    const file = session.actor ? await openAttachment(deps, session.actor, id) : await openGuestAttachment(deps, guestTicket!, id);
    // Headers only once the stored file is really there: a missing file is a 404, not a cut connection.
    const opened = await new Promise<Error | null>((resolve) => {
      file.stream.once("open", () => resolve(null));
      file.stream.once("error", (err) => resolve(err));
    });
    if (opened) {
      if ((opened as NodeJS.ErrnoException).code === "ENOENT") return fail(404, "ATTACHMENT_NOT_FOUND");
      throw opened;
    }
    // Shown in the browser only when the bytes are what the name claims; anything else downloads.
    const { head, ended } = await readHead(file.stream, SNIFF_BYTES);
    const shown = await inlineType(file.contentType, head.subarray(0, SNIFF_BYTES));
    const disposition = shown ? "inline" : "attachment";
    res.writeHead(200, {
      "content-type": shown ?? (INLINE_CLAIMS.has(normalizeType(file.contentType)) ? "application/octet-stream" : file.contentType),
      "content-length": String(file.size),
      "content-disposition": `${disposition}; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
      "x-content-type-options": "nosniff",
      "content-security-policy": "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
      "cache-control": "private, max-age=300",
    });
    res.write(head);
    if (ended) res.end();
    else file.stream.on("error", () => res.destroy()).pipe(res);
  } catch (err) {
    if (err instanceof AppError) return fail(404, "ATTACHMENT_NOT_FOUND");
    throw err;
  }
}
