import { resolveLocale, LOCALE_COOKIE, type Locale } from "~/i18n";
import { readSession, parseCookies } from "~/server/auth/session";
import type { Actor } from "~/server/modules/actor";
import type { Deps } from "~/server/modules/deps";
import { CLIENT_IP_HEADER, clientIpFromHeaders } from "~/server/http/client-ip";
import type { Logger } from "~/server/observability/logger";
import { processLogger } from "~/server/observability/process-logger";

export interface Context {
  deps: Deps;
  actor: Actor | null;
  /** A session cookie was sent but no longer names a valid session. */
  staleSession: boolean;
  locale: Locale;
  /** The caller's address as the HTTP server decided it (src/server/http/client-ip.ts), for the rate limits. */
  ip: string;
  /** The request's cookies (the guest pages' signed cookies, modules/guest/capability.ts). */
  cookies: Record<string, string>;
  /** Adds a Set-Cookie header to the answer (a no-op where there is no HTTP answer: server components). */
  setCookie: (header: string) => void;
  /** The request's logger: for work a procedure leaves running after its answer (a failure there has no caller to reach). */
  log: Logger;
}


/** Where a context may set cookies: the HTTP response. */
export interface ResponseLike {
  appendHeader(name: string, value: string): unknown;
}

export interface RequestLike {
  headers: { cookie?: string | undefined; [CLIENT_IP_HEADER]?: string | string[] | undefined };
}

export async function createContext(deps: Deps, req: RequestLike, res?: ResponseLike, log: Logger = processLogger("web")): Promise<Context> {
  const cookie = req.headers.cookie;
  // The admins' settings as they are now (deps.mail follows them): cached while changes are heard.
  const [session, live] = await Promise.all([readSession(deps.db, cookie, deps.secrets.session), deps.settings.current()]);
  return {
    deps,
    actor: session.actor,
    staleSession: session.actor ? false : session.stale,
    locale: resolveLocale(parseCookies(cookie)[LOCALE_COOKIE], session.actor?.locale, live.site.defaultLocale),
    ip: clientIpFromHeaders(req.headers),
    cookies: parseCookies(cookie),
    setCookie: (header) => void res?.appendHeader("set-cookie", header),
    log,
  };
}
