import { sqlOf } from "~/server/db/client";
import { sql } from "~/server/db/sql";
import { WEBHOOK_SIGNATURE_HEADER } from "~/shared/webhooks";
import type { Deps } from "../deps";
import { openSecret } from "../mail/admin/secret-box";
import type { WebhookSender } from "./sender";
import { createDeliveryStore, type DeliveryStore } from "./delivery-store";
import { signatureHeader } from "./signature";

export type DeliverDeps = Pick<Deps, "db" | "clock" | "secrets"> & {
  sender: WebhookSender;
  /** The worker's, which groups the reads and writes of concurrent jobs; one is made otherwise. */
  deliveries?: DeliveryStore;
};

export type DeliveryOutcome = "delivered" | "retry" | "failed" | "skipped";

/**
 * One attempt at one delivery, logged (status code, duration, the answer's first bytes). A 2xx
 * delivers it; anything else is retried by the queue ("retry": the job throws) until its last
 * attempt ("failed"). A target the SSRF guard refuses, or a webhook switched off, fails at once.
 * A delivery no longer pending (delivered, a duplicate job) is left alone. Two statements: the
 * delivery with its webhook, then the attempt counted and logged (delivery-store.ts).
 */
export async function deliverWebhook(deps: DeliverDeps, deliveryId: string, opts: { finalAttempt: boolean }): Promise<DeliveryOutcome> {
  const store = deps.deliveries ?? createDeliveryStore(deps);
  const d = await store.load(deliveryId);
  if (!d || d.status !== "PENDING") return "skipped";
  if (!d.active) {
    await store.failInactive(deliveryId);
    return "failed";
  }
  const body = JSON.stringify(d.payload);
  const t = Math.floor(deps.clock.now().getTime() / 1000);
  const secret = openSecret(deps.secrets.mailKey, d.secretSealed);
  const res = await deps.sender.post(d.url, body, {
    [WEBHOOK_SIGNATURE_HEADER]: signatureHeader(secret, t, body),
    "Ventanilla-Event-Id": d.eventId,
    "Ventanilla-Event-Type": d.eventType,
    "Ventanilla-Delivery-Id": deliveryId,
  });
  const ok = res.statusCode !== null && res.statusCode >= 200 && res.statusCode < 300;
  const outcome: DeliveryOutcome = ok ? "delivered" : res.refused || opts.finalAttempt ? "failed" : "retry";
  const now = deps.clock.now();
  await store.record({
    deliveryId,
    status: outcome === "delivered" ? "SUCCEEDED" : outcome === "failed" ? "FAILED" : "PENDING",
    statusCode: res.statusCode,
    durationMs: res.durationMs,
    responseBody: res.body,
    error: res.error,
    deliveredAt: ok ? now : null,
    at: now,
  });
  return outcome;
}

/**
 * Re-enqueues deliveries still pending that the queue may never have heard of (a NOTIFY missed while
 * the listener was down, Redis lost). Job ids are delivery ids, so one already queued is not queued twice.
 */
export async function reconcileWebhookDeliveries(deps: Pick<Deps, "db" | "queues">, olderThanMs = 30_000, batch = 1000): Promise<number> {
  const { rows } = await sqlOf(deps.db).query<{ id: string; manual: boolean }>(sql`SELECT id, manual FROM "WebhookDelivery"
    WHERE status = 'PENDING' AND "createdAt" < (clock_timestamp() AT TIME ZONE 'UTC') - make_interval(secs => ${olderThanMs / 1000}::float8)
    ORDER BY "createdAt" LIMIT ${batch}::int`);
  const auto = rows.filter((r) => !r.manual).map((r) => r.id);
  const manual = rows.filter((r) => r.manual).map((r) => r.id);
  await deps.queues.enqueueWebhookDeliveries(auto);
  await deps.queues.enqueueWebhookDeliveries(manual, { manual: true });
  return rows.length;
}
