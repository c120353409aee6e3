import { sqlOf } from "~/server/db/client";
import { sql } from "~/server/db/sql";
import type { Deps } from "../deps";

// The rows one delivery attempt reads and writes, in plain SQL and grouped: every load (and every
// attempt's record) asked for while one statement is running goes in the next statement, one round
// trip for all of them (group commit). An attempt alone costs no wait (it goes at once); under
// load the workers' concurrent jobs share statements. Each caller still waits for its own row to be
// committed, so a job completes only once its attempt is logged.

export interface PendingDelivery {
  status: string;
  payload: unknown;
  eventId: string;
  eventType: string;
  url: string;
  active: boolean;
  secretSealed: string;
}

export interface AttemptRecord {
  deliveryId: string;
  status: "SUCCEEDED" | "FAILED" | "PENDING";
  statusCode: number | null;
  durationMs: number;
  responseBody: string | null;
  error: string | null;
  deliveredAt: Date | null;
  at: Date;
}

export interface DeliveryStore {
  load(deliveryId: string): Promise<PendingDelivery | null>;
  /** Counts the attempt on a delivery still pending and logs it under its number; false when it was no longer pending. */
  record(attempt: AttemptRecord): Promise<boolean>;
  /** A webhook switched off: the pending delivery fails without an attempt. */
  failInactive(deliveryId: string): Promise<void>;
}

const MAX_BATCH = 200;

/** Runs `run` over the keys asked for while the previous run was in flight (at most MAX_BATCH at a time). */
function groupBy<K, R>(run: (keys: K[]) => Promise<R[]>, sameKey: (a: K, b: K) => boolean = () => false) {
  let waiting: Array<{ key: K; resolve: (r: R) => void; reject: (e: unknown) => void }> = [];
  let running = false;
  const next = () => {
    if (running || waiting.length === 0) return;
    // A key at most once per statement (one delivery's two runs are counted one after the other).
    const batch: typeof waiting = [];
    const later: typeof waiting = [];
    for (const w of waiting) (batch.length < MAX_BATCH && !batch.some((b) => sameKey(b.key, w.key)) ? batch : later).push(w);
    waiting = later;
    running = true;
    run(batch.map((b) => b.key))
      .then(
        (results) => batch.forEach((b, i) => b.resolve(results[i]!)),
        // A statement that fails is tried again one key at a time: one bad row fails its own caller only.
        async (err: unknown) => {
          if (batch.length === 1) return batch[0]!.reject(err);
          for (const b of batch) await run([b.key]).then((r) => b.resolve(r[0]!), b.reject);
        },
      )
      .finally(() => {
      running = false;
      next();
    });
  };
  return (key: K) =>
    new Promise<R>((resolve, reject) => {
      waiting.push({ key, resolve, reject });
      next();
    });
}

/** PostgreSQL text holds no NUL character; a receiver's answer may. */
const noNul = (text: string | null) => text?.replaceAll("\u0000", "\uFFFD") ?? null;

export function createDeliveryStore(deps: Pick<Deps, "db">): DeliveryStore {
  const pool = sqlOf(deps.db);
  const load = groupBy<string, PendingDelivery | null>(async (ids) => {
    const { rows } = await pool.query<PendingDelivery & { id: string }>(
      sql`SELECT d.id, d.status::text AS status, d.payload, d."eventId", d."eventType", w.url, w.active, w."secretSealed"
        FROM "WebhookDelivery" d JOIN "Webhook" w ON w.id = d."webhookId" WHERE d.id = ANY(${ids}::text[])`,
    );
    const byId = new Map(rows.map(({ id, ...r }) => [id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  });
  const record = groupBy<AttemptRecord, boolean>(
    async (attempts) => {
      // The attempt's number is taken in the statement, so two runs of one job never log the same number.
      const { rows } = await pool.query<{ id: string }>(sql`WITH a AS (
          SELECT * FROM unnest(${attempts.map((a) => a.deliveryId)}::text[], ${attempts.map(() => "wa" + crypto.randomUUID().replaceAll("-", ""))}::text[],
            ${attempts.map((a) => a.status)}::"WebhookDeliveryStatus"[], ${attempts.map((a) => a.statusCode)}::int[], ${attempts.map((a) => a.durationMs)}::int[],
            ${attempts.map((a) => noNul(a.responseBody))}::text[], ${attempts.map((a) => noNul(a.error))}::text[],
            ${attempts.map((a) => a.deliveredAt?.toISOString() ?? null)}::timestamp(3)[], ${attempts.map((a) => a.at.toISOString())}::timestamp(3)[])
            AS a(delivery_id, attempt_id, status, status_code, duration_ms, response_body, error, delivered_at, at)),
        d AS (
          UPDATE "WebhookDelivery" w SET attempts = w.attempts + 1, "lastStatusCode" = a.status_code, "lastError" = a.error, status = a.status, "deliveredAt" = a.delivered_at
          FROM a WHERE w.id = a.delivery_id AND w.status = 'PENDING'
          RETURNING w.id, w.attempts)
        INSERT INTO "WebhookAttempt" (id, "deliveryId", number, "statusCode", "durationMs", "responseBody", error, "createdAt")
        SELECT a.attempt_id, a.delivery_id, d.attempts, a.status_code, a.duration_ms, a.response_body, a.error, a.at FROM a JOIN d ON d.id = a.delivery_id
        RETURNING "deliveryId" AS id`);
      const logged = new Set(rows.map((r) => r.id));
      return attempts.map((a) => logged.has(a.deliveryId));
    },
    (x, y) => x.deliveryId === y.deliveryId,
  );
  return {
    load,
    record,
    async failInactive(deliveryId) {
      await pool.query(sql`UPDATE "WebhookDelivery" SET status = 'FAILED', "lastError" = 'WEBHOOK_INACTIVE' WHERE id = ${deliveryId} AND status = 'PENDING'`);
    },
  };
}
