import { sqlOf } from "~/server/db/client";
import { sql } from "~/server/db/sql";
import { WEBHOOK_SIGNATURE_HEADER } from "~/shared/webhooks";
import type { Deps } from "../deps";
import { openSecret } from "../mail/admin/secret-box";
import type { WebhookSender } from "./sender";
import { signatureHeader } from "./signature";

export type DeliverDeps = Pick<Deps, "db" | "clock" | "secrets"> & { sender: WebhookSender };

export type DeliveryOutcome = "delivered" | "retry" | "failed" | "skipped";

/**
 * One attempt at one delivery, logged (status code, duration, the answer's first bytes). A 2xx
 * delivers it; anything else is retried by the queue ("retry": the job throws) until its last
 * attempt ("failed"). A target the SSRF guard refuses, or a webhook switched off, fails at once.
 * A delivery no longer pending (delivered, a duplicate job) is left alone.
 */
export async function deliverWebhook(deps: DeliverDeps, deliveryId: string, opts: { finalAttempt: boolean }): Promise<DeliveryOutcome> {
  const d = await deps.db.webhookDelivery.findUnique({
    where: { id: deliveryId },
    select: { status: true, attempts: true, payload: true, eventId: true, eventType: true, webhook: { select: { url: true, active: true, secretSealed: true } } },
  });
  if (!d || d.status !== "PENDING") return "skipped";
  if (!d.webhook.active) {
    await deps.db.webhookDelivery.update({ where: { id: deliveryId }, data: { status: "FAILED", lastError: "WEBHOOK_INACTIVE" } });
    return "failed";
  }
  const body = JSON.stringify(d.payload);
  const t = Math.floor(deps.clock.now().getTime() / 1000);
  const secret = openSecret(deps.secrets.mailKey, d.webhook.secretSealed);
  const res = await deps.sender.post(d.webhook.url, body, {
    [WEBHOOK_SIGNATURE_HEADER]: signatureHeader(secret, t, body),
    "Ventanilla-Event-Id": d.eventId,
    "Ventanilla-Event-Type": d.eventType,
    "Ventanilla-Delivery-Id": deliveryId,
  });
  const ok = res.statusCode !== null && res.statusCode >= 200 && res.statusCode < 300;
  const outcome: DeliveryOutcome = ok ? "delivered" : res.refused || opts.finalAttempt ? "failed" : "retry";
  const now = deps.clock.now();
  // The attempt's number is taken in the statement, so two runs of one job never log the same number.
  await sqlOf(deps.db).query(sql`WITH d AS (
      UPDATE "WebhookDelivery" SET attempts = attempts + 1, "lastStatusCode" = ${res.statusCode}::int, "lastError" = ${res.error},
        status = ${outcome === "delivered" ? "SUCCEEDED" : outcome === "failed" ? "FAILED" : "PENDING"}::"WebhookDeliveryStatus",
        "deliveredAt" = ${ok ? now : null}::timestamp(3)
      WHERE id = ${deliveryId} AND status = 'PENDING'
      RETURNING attempts)
    INSERT INTO "WebhookAttempt" (id, "deliveryId", number, "statusCode", "durationMs", "responseBody", error, "createdAt")
    SELECT ${"wa" + crypto.randomUUID().replaceAll("-", "")}, ${deliveryId}, d.attempts, ${res.statusCode}::int, ${res.durationMs}::int, ${res.body}, ${res.error}, ${now} FROM d`);
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
