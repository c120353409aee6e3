import { decode, type JWT } from "next-auth/jwt";
import { sqlOf, type Db } from "~/server/db/client";
import { sql } from "~/server/db/sql";
import type { Role } from "~/shared/enums";
import { isLocale, type Locale } from "~/i18n";
import type { Actor } from "~/server/modules/actor";

export const SESSION_COOKIES = ["__Secure-next-auth.session-token", "next-auth.session-token"] as const;

export function parseCookies(header: string | undefined | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i < 0) continue;
    const key = part.slice(0, i).trim();
    if (!key || key in out) continue;
    try {
      out[key] = decodeURIComponent(part.slice(i + 1).trim());
    } catch {
      out[key] = part.slice(i + 1).trim();
    }
  }
  return out;
}

/** next-auth splits large JWTs into `.0`, `.1`… cookies; joins them back. */
function sessionToken(cookies: Record<string, string>): string | undefined {
  for (const name of SESSION_COOKIES) {
    if (cookies[name]) return cookies[name];
    const chunks = Object.keys(cookies)
      .filter((k) => k.startsWith(`${name}.`))
      .sort((a, b) => Number(a.split(".").pop()) - Number(b.split(".").pop()));
    if (chunks.length) return chunks.map((k) => cookies[k]).join("");
  }
  return undefined;
}

export type SessionResult = { actor: Actor; stale?: never; startedAt: number } | { actor: null; stale: boolean; startedAt?: never };

/**
 * When the session began, in milliseconds: `authTime`, written once at sign-in by the jwt callback
 * (src/server/auth/options.ts) and carried unchanged when next-auth re-issues the cookie, or else
 * `iat`. `iat` alone is not enough: /api/auth/session re-encodes the token with a fresh `iat` every
 * time it is polled, so an old session would look new.
 */
export function sessionStartedAt(token: Record<string, unknown>): number {
  if (typeof token.authTime === "number" && Number.isFinite(token.authTime)) return token.authTime;
  return typeof token.iat === "number" && Number.isFinite(token.iat) ? token.iat * 1000 : 0;
}

/** A session that began before the user's `sessionsValidAfter` (password cleared on an OAuth link…) is over. */
export function isSessionRevoked(token: Record<string, unknown>, sessionsValidAfter: Date | null | undefined): boolean {
  return !!sessionsValidAfter && sessionStartedAt(token) < sessionsValidAfter.getTime();
}

/** Decoded session tokens by secret, then token: a bounded map, oldest entries evicted first. */
const decodedTokens = new Map<string, Map<string, { jwt: JWT; until: number }>>();
const DECODED_MAX = 10_000;
const DECODED_TTL_MS = 60_000;

/**
 * next-auth's decode (HKDF key derivation, then JWE decryption) on every request and socket
 * handshake was a visible share of the request path; a token's content never changes, so a decoded
 * token is kept for a minute (never past its own expiry). Revocation is not cached: the user row,
 * read on every request, decides that.
 */
async function decodeToken(token: string, secret: string): Promise<JWT | null> {
  let bySecret = decodedTokens.get(secret);
  if (!bySecret) decodedTokens.set(secret, (bySecret = new Map()));
  const now = Date.now();
  const hit = bySecret.get(token);
  if (hit && hit.until > now) return hit.jwt;
  if (hit) bySecret.delete(token);
  const jwt = await decode({ token, secret }).catch(() => null);
  if (!jwt) return null;
  const expiresAt = typeof jwt.exp === "number" ? jwt.exp * 1000 : now;
  if (expiresAt > now) {
    if (bySecret.size >= DECODED_MAX) bySecret.delete(bySecret.keys().next().value!);
    bySecret.set(token, { jwt, until: Math.min(now + DECODED_TTL_MS, expiresAt) });
  }
  return jwt;
}

/**
 * Reads the next-auth session from a Cookie header (HTTP requests and socket handshakes alike).
 * `stale` is true when a cookie was sent but is expired, forged, names a user who is gone or
 * deactivated, or began before that user's sessions were revoked (`sessionsValidAfter`).
 */
export async function readSession(db: Db, cookieHeader: string | undefined | null, secret: string): Promise<SessionResult> {
  const token = sessionToken(parseCookies(cookieHeader));
  if (!token) return { actor: null, stale: false };
  const jwt = await decodeToken(token, secret);
  if (!jwt?.sub) return { actor: null, stale: true };
  // Every request and socket handshake reads this row: plain SQL, not Prisma's query compiler.
  const { rows } = await sqlOf(db).query<{ id: string; role: Role; locale: string; timeZone: string | null; sessionsValidAfter: Date | null; deactivated: boolean }>(
    sql`SELECT id, role::text AS role, locale, "timeZone", "sessionsValidAfter", "deactivatedAt" IS NOT NULL AS deactivated FROM "User" WHERE id = ${jwt.sub}`,
  );
  const user = rows[0];
  // A deactivated person (people/staff.ts) has no session at all, whenever it began.
  if (!user || user.deactivated || isSessionRevoked(jwt, user.sessionsValidAfter)) return { actor: null, stale: true };
  const locale: Locale = isLocale(user.locale) ? user.locale : "es";
  return { actor: { id: user.id, role: user.role, locale, timeZone: user.timeZone }, startedAt: sessionStartedAt(jwt) };
}
