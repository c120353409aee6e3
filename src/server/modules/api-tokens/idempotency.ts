import { createHash } from "node:crypto";
import { sqlOf } from "~/server/db/client";
import { newId, sql } from "~/server/db/sql";
import type { Deps } from "../deps";

/** How long a key's first answer is kept and replayed (Stripe keeps 24 hours too). */
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;
/** A first request still unanswered after this long died with its process: its key is claimed anew. */
const ABANDONED_MS = 5 * 60_000;
/** What a client may send as Idempotency-Key: a UUID or any printable token up to 255 characters. */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

export type IdempotencyStart =
  /** First use of the key: run the request, then `finish` it. */
  | { kind: "new"; id: string }
  /** The first request's answer, to send again. */
  | { kind: "replay"; status: number; body: unknown }
  /** The first request is still running. */
  | { kind: "in-progress" }
  /** The key was used with another method, path or body. */
  | { kind: "mismatch" };

export function requestHash(route: string, body: string): string {
  return createHash("sha256").update(route).update("\0").update(body).digest("hex");
}

interface KeyRow {
  id: string;
  route: string;
  requestHash: string;
  status: number | null;
  body: unknown;
  createdAt: Date;
  expiresAt: Date;
}

/**
 * Claims the key for this token (a unique row: of two concurrent first requests one wins, the other
 * is told the first is in progress). An expired key is forgotten and claimed anew.
 */
export async function startIdempotent(deps: Pick<Deps, "db" | "clock">, tokenId: string, key: string, route: string, hash: string): Promise<IdempotencyStart> {
  const pool = sqlOf(deps.db);
  const now = deps.clock.now();
  for (let attempt = 0; attempt < 2; attempt++) {
    const id = newId();
    const inserted = await pool.query<{ id: string }>(sql`INSERT INTO "ApiIdempotencyKey" (id, "tokenId", key, route, "requestHash", "createdAt", "expiresAt")
      VALUES (${id}, ${tokenId}, ${key}, ${route}, ${hash}, ${now}, ${new Date(now.getTime() + IDEMPOTENCY_TTL_MS)})
      ON CONFLICT ("tokenId", key) DO NOTHING RETURNING id`);
    if (inserted.rows.length) return { kind: "new", id };
    const { rows } = await pool.query<KeyRow>(sql`SELECT id, route, "requestHash", status, body, "createdAt", "expiresAt" FROM "ApiIdempotencyKey" WHERE "tokenId" = ${tokenId} AND key = ${key}`);
    const row = rows[0];
    if (!row) continue; // deleted in between (a failed first request): claim it now
    const abandoned = row.status === null && row.createdAt.getTime() <= now.getTime() - ABANDONED_MS;
    if (row.expiresAt <= now || abandoned) {
      await pool.query(sql`DELETE FROM "ApiIdempotencyKey" WHERE id = ${row.id}`);
      continue;
    }
    if (row.route !== route || row.requestHash !== hash) return { kind: "mismatch" };
    if (row.status === null) return { kind: "in-progress" };
    return { kind: "replay", status: row.status, body: row.body };
  }
  return { kind: "in-progress" };
}

/**
 * Stores the first answer. A server error (or a refusal by the rate limit) is not an answer to keep:
 * the key is released so the retry runs the request again.
 */
export async function finishIdempotent(deps: Pick<Deps, "db">, id: string, status: number, body: unknown): Promise<void> {
  const pool = sqlOf(deps.db);
  if (status >= 500 || status === 429) {
    await pool.query(sql`DELETE FROM "ApiIdempotencyKey" WHERE id = ${id}`);
    return;
  }
  await pool.query(sql`UPDATE "ApiIdempotencyKey" SET status = ${status}, body = ${JSON.stringify(body ?? null)}::jsonb WHERE id = ${id}`);
}

/** Forgets expired keys (the web process runs it now and then). */
export async function sweepIdempotencyKeys(deps: Pick<Deps, "db" | "clock">): Promise<number> {
  const { rowCount } = await sqlOf(deps.db).query(sql`DELETE FROM "ApiIdempotencyKey" WHERE "expiresAt" <= ${deps.clock.now()}`);
  return rowCount ?? 0;
}
