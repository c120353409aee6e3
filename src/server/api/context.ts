import { resolveLocale, LOCALE_COOKIE, type Locale } from "~/i18n";
import { readSession, parseCookies } from "~/server/auth/session";
import type { Actor } from "~/server/modules/actor";
import type { Deps } from "~/server/modules/deps";
import type { SearchEngine } from "~/server/modules/kb/search/engine";
import type { EnqueueInbound } from "~/server/modules/mail/queue";

/** Queues and engines the web process may use, beyond the domain's own Deps. */
export interface Services {
  enqueueInbound: EnqueueInbound;
  /** Knowledge-base search (PostgreSQL or Meilisearch, see createSearchEngine). */
  search: SearchEngine;
  /** Seals and opens the IMAP mailbox passwords: mailSecretsKey(env), the workers' key too. */
  mailSecretsKey: Buffer;
}

export interface Context {
  deps: Deps;
  services: Services;
  actor: Actor | null;
  /** A session cookie was sent but no longer names a valid session. */
  staleSession: boolean;
  locale: Locale;
}

export interface RequestLike {
  headers: { cookie?: string | undefined };
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
  };
}
