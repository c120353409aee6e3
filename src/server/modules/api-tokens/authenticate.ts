import { isLocale } from "~/i18n";
import { sqlOf } from "~/server/db/client";
import { sql } from "~/server/db/sql";
import { isStaff, type Role } from "~/shared/enums";
import type { Actor } from "../actor";
import type { Deps } from "../deps";
import { TOKEN_PREFIX, hashToken } from "./manage-tokens";

export type TokenScope = "READ" | "WRITE";

/** Who a request with a valid token acts as, and what it may do. */
export interface TokenCaller {
  tokenId: string;
  scope: TokenScope;
  actor: Actor;
}

/** Why a token was refused; the HTTP answer is the same 401 for all, the reason goes to the log. */
export type TokenRefusal = "missing" | "malformed" | "unknown" | "revoked" | "expired" | "role";

interface Row {
  id: string;
  scope: TokenScope;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  userId: string;
  role: Role;
  locale: string;
  timeZone: string | null;
  deactivated: boolean;
}

/** "Bearer <token>" (RFC 6750), the scheme in any case. */
export function bearerToken(header: string | undefined): string | null {
  const m = /^Bearer[ ]+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(header ?? "");
  return m ? m[1]! : null;
}

const TOUCH_EVERY_MS = 60_000;

/**
 * Last use is shown to people, not used for decisions: written at most once a minute per token and
 * process (this map), off the request's path, so a busy integration costs no write per request.
 */
export class LastUseTracker {
  private readonly written = new Map<string, number>();

  constructor(private readonly deps: Pick<Deps, "db">) {}

  note(tokenId: string, stored: Date | null, now: Date): void {
    const last = Math.max(this.written.get(tokenId) ?? 0, stored?.getTime() ?? 0);
    if (now.getTime() - last < TOUCH_EVERY_MS) return;
    this.written.set(tokenId, now.getTime());
    if (this.written.size > 10_000) this.written.delete(this.written.keys().next().value!);
    void sqlOf(this.deps.db)
      .query(sql`UPDATE "ApiToken" SET "lastUsedAt" = ${now} WHERE id = ${tokenId} AND ("lastUsedAt" IS NULL OR "lastUsedAt" < ${now})`)
      .catch(() => this.written.delete(tokenId));
  }
}

/**
 * The token's caller, or why it is refused: unknown, revoked, expired, or its user is no longer
 * staff (a token acts with its user's role as it is now, so a demoted user's tokens stop working).
 */
export async function authenticateToken(
  deps: Pick<Deps, "db" | "clock">,
  authorization: string | undefined,
  lastUse?: LastUseTracker,
): Promise<{ ok: true; caller: TokenCaller } | { ok: false; reason: TokenRefusal }> {
  if (!authorization) return { ok: false, reason: "missing" };
  const secret = bearerToken(authorization);
  if (!secret || !secret.startsWith(TOKEN_PREFIX) || secret.length > 100) return { ok: false, reason: "malformed" };
  const { rows } = await sqlOf(deps.db).query<Row>(sql`SELECT t.id, t.scope::text AS scope, t."expiresAt", t."revokedAt", t."lastUsedAt",
      u.id AS "userId", u.role::text AS role, u.locale, u."timeZone", u."deactivatedAt" IS NOT NULL AS deactivated
    FROM "ApiToken" t JOIN "User" u ON u.id = t."userId" WHERE t."secretHash" = ${hashToken(secret)}`);
  const row = rows[0];
  if (!row) return { ok: false, reason: "unknown" };
  const now = deps.clock.now();
  if (row.revokedAt) return { ok: false, reason: "revoked" };
  if (row.expiresAt && row.expiresAt <= now) return { ok: false, reason: "expired" };
  // A deactivated person (/admin/personas) acts through no token either, as through no session.
  if (!isStaff(row.role) || row.deactivated) return { ok: false, reason: "role" };
  lastUse?.note(row.id, row.lastUsedAt, now);
  return {
    ok: true,
    caller: { tokenId: row.id, scope: row.scope, actor: { id: row.userId, role: row.role, locale: isLocale(row.locale) ? row.locale : "es", timeZone: row.timeZone } },
  };
}
