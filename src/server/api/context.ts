import { resolveLocale, LOCALE_COOKIE, type Locale } from "~/i18n";
import { readSession, parseCookies } from "~/server/auth/session";
import type { Actor } from "~/server/modules/actor";
import type { Deps } from "~/server/modules/deps";
import type { SearchEngine } from "~/server/modules/kb/search/engine";
import type { EnqueueInbound } from "~/server/modules/mail/intake/enqueue-inbound";
import type { RequeueEmail } from "~/server/modules/notifications/email-queue";
import type { RateLimits } from "~/server/modules/security/rate-limit";
import { CLIENT_IP_HEADER, clientIpFromHeaders } from "~/server/http/client-ip";

/** Queues and engines the web process may use, beyond the domain's own Deps. */
export interface Services {
  enqueueInbound: EnqueueInbound;
  /** Sends a released HELD mail: its finished job is replaced by a new one (adapters/bullmq/notifications-queue.ts). */
  requeueEmail: RequeueEmail;
  /** Knowledge-base search (PostgreSQL or Meilisearch, see createSearchEngine). */
  search: SearchEngine;
  /** Seals and opens the IMAP mailbox passwords: mailSecretsKey(env), the workers' key too. */
  mailSecretsKey: Buffer;
  /** Failure budgets for every check of a secret reachable without a session (modules/security/rate-limit.ts). */
  limits: RateLimits;
}

export interface Context {
  deps: Deps;
  services: Services;
  actor: Actor | null;
  /** A session cookie was sent but no longer names a valid session. */
  staleSession: boolean;
  locale: Locale;
  /** The caller's address as the HTTP server decided it (src/server/http/client-ip.ts), for the rate limits. */
  ip: string;
}

export interface RequestLike {
  headers: { cookie?: string | undefined; [CLIENT_IP_HEADER]?: string | string[] | undefined };
}

export async function createContext(deps: Deps, secret: string, req: RequestLike, services: Services): Promise<Context> {
  const cookie = req.headers.cookie;
  const session = await readSession(deps.db, cookie, secret);
  return {
    deps,
    services,
    actor: session.actor,
    staleSession: session.actor ? false : session.stale,
    locale: resolveLocale(parseCookies(cookie)[LOCALE_COOKIE], session.actor?.locale),
    ip: clientIpFromHeaders(req.headers),
  };
}
