import { z } from "zod";
import { AppError } from "~/server/errors";
import { WEBHOOK_EVENT_TYPES } from "~/shared/webhooks";
import { recordAudit, changedFields } from "../audit/record-audit";
import type { Deps } from "../deps";
import { sealSecret } from "../mail/admin/secret-box";
import { newWebhookSecret } from "./signature";
import { checkWebhookTarget } from "./target-guard";

// Admins' webhooks (/admin/webhooks). The secret is returned once, by create and rotateSecret;
// every other answer carries no secret. Every change is audited without it.

type WebhookDeps = Pick<Deps, "db" | "secrets" | "webhooks" | "queues">;

export const webhookId = z.string().min(1).max(64);
const url = z.string().trim().min(1, "WEBHOOK_URL_INVALID").max(2000, "WEBHOOK_URL_INVALID");
const events = z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1, "WEBHOOK_EVENTS_REQUIRED").max(WEBHOOK_EVENT_TYPES.length);

export const createWebhookInput = z.strictObject({
  url,
  description: z.string().trim().max(200).default(""),
  events,
  includeInternalNotes: z.boolean().default(false),
  active: z.boolean().default(true),
});

export const updateWebhookInput = z.strictObject({
  id: webhookId,
  url: url.optional(),
  description: z.string().trim().max(200).optional(),
  events: events.optional(),
  includeInternalNotes: z.boolean().optional(),
  active: z.boolean().optional(),
});

const view = { id: true, url: true, description: true, events: true, includeInternalNotes: true, active: true, secretRotatedAt: true, createdAt: true, updatedAt: true } as const;

export interface WebhookView {
  id: string;
  url: string;
  description: string;
  events: string[];
  includeInternalNotes: boolean;
  active: boolean;
  secretRotatedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

function audited(w: WebhookView) {
  return { url: w.url, description: w.description, events: w.events, includeInternalNotes: w.includeInternalNotes, active: w.active };
}

export async function listWebhooks(deps: Pick<Deps, "db">): Promise<Array<WebhookView & { pending: number; failed: number }>> {
  const rows = await deps.db.webhook.findMany({ select: view, orderBy: { createdAt: "asc" } });
  const counts = await deps.db.webhookDelivery.groupBy({ by: ["webhookId", "status"], where: { status: { in: ["PENDING", "FAILED"] } }, _count: true });
  const count = (id: string, status: string) => counts.find((c) => c.webhookId === id && c.status === status)?._count ?? 0;
  return rows.map((w) => ({ ...w, pending: count(w.id, "PENDING"), failed: count(w.id, "FAILED") }));
}

export async function createWebhook(deps: WebhookDeps, actorId: string, raw: z.input<typeof createWebhookInput>): Promise<{ webhook: WebhookView; secret: string }> {
  const input = createWebhookInput.parse(raw);
  const target = await checkWebhookTarget(input.url, deps.webhooks.targets);
  const secret = newWebhookSecret();
  const webhook = await deps.db.$transaction(async (tx) => {
    const created = await tx.webhook.create({
      data: { ...input, url: target.toString(), secretSealed: sealSecret(deps.secrets.mailKey, secret) },
      select: view,
    });
    await recordAudit(tx, { actorId, action: "webhook.create", entityType: "webhook", entityId: created.id, after: audited(created) });
    return created;
  });
  return { webhook, secret };
}

export async function updateWebhook(deps: WebhookDeps, actorId: string, raw: z.input<typeof updateWebhookInput>): Promise<WebhookView> {
  const { id, ...input } = updateWebhookInput.parse(raw);
  const changes = { ...input, ...(input.url !== undefined ? { url: (await checkWebhookTarget(input.url, deps.webhooks.targets)).toString() } : {}) };
  return deps.db.$transaction(async (tx) => {
    const before = await tx.webhook.findUnique({ where: { id }, select: view });
    if (!before) throw new AppError("WEBHOOK_NOT_FOUND");
    const diff = changedFields(audited(before), changes);
    if (!diff) return before;
    const after = await tx.webhook.update({ where: { id }, data: changes, select: view });
    await recordAudit(tx, { actorId, action: "webhook.update", entityType: "webhook", entityId: id, ...diff });
    return after;
  });
}

/** A new secret, returned once; the old one stops signing at once. */
export async function rotateWebhookSecret(deps: WebhookDeps, actorId: string, id: string, now: Date): Promise<{ webhook: WebhookView; secret: string }> {
  const secret = newWebhookSecret();
  const webhook = await deps.db.$transaction(async (tx) => {
    const found = await tx.webhook.findUnique({ where: { id }, select: { id: true } });
    if (!found) throw new AppError("WEBHOOK_NOT_FOUND");
    const updated = await tx.webhook.update({ where: { id }, data: { secretSealed: sealSecret(deps.secrets.mailKey, secret), secretRotatedAt: now }, select: view });
    await recordAudit(tx, { actorId, action: "webhook.rotate_secret", entityType: "webhook", entityId: id, after: { secret: "rotated" } });
    return updated;
  });
  return { webhook, secret };
}

/** Its deliveries and their log go with it. */
export async function deleteWebhook(deps: WebhookDeps, actorId: string, id: string): Promise<void> {
  await deps.db.$transaction(async (tx) => {
    const before = await tx.webhook.findUnique({ where: { id }, select: view });
    if (!before) throw new AppError("WEBHOOK_NOT_FOUND");
    await tx.webhook.delete({ where: { id } });
    await recordAudit(tx, { actorId, action: "webhook.delete", entityType: "webhook", entityId: id, before: audited(before) });
  });
}

export const listDeliveriesInput = z.strictObject({ webhookId, limit: z.number().int().min(1).max(100).default(25) });

/** The latest deliveries of a webhook, each with its attempts (status code, duration, the answer's first bytes). */
export async function listDeliveries(deps: Pick<Deps, "db">, raw: z.input<typeof listDeliveriesInput>) {
  const input = listDeliveriesInput.parse(raw);
  const exists = await deps.db.webhook.findUnique({ where: { id: input.webhookId }, select: { id: true } });
  if (!exists) throw new AppError("WEBHOOK_NOT_FOUND");
  return deps.db.webhookDelivery.findMany({
    where: { webhookId: input.webhookId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: input.limit,
    select: {
      id: true, eventId: true, eventType: true, status: true, attempts: true, manual: true, lastStatusCode: true, lastError: true, deliveredAt: true, createdAt: true,
      log: { orderBy: { number: "asc" }, select: { id: true, number: true, statusCode: true, durationMs: true, responseBody: true, error: true, createdAt: true } },
    },
  });
}

/**
 * An admin sends one delivery's event again, by hand: a new delivery of the same event (same event
 * id and body, so the receiver can tell it is a repeat), tried once and logged like any other.
 */
export async function redeliver(deps: WebhookDeps, actorId: string, deliveryId: string): Promise<{ id: string }> {
  const created = await deps.db.$transaction(async (tx) => {
    const original = await tx.webhookDelivery.findUnique({ where: { id: deliveryId }, select: { webhookId: true, eventId: true, eventType: true, payload: true } });
    if (!original) throw new AppError("WEBHOOK_DELIVERY_NOT_FOUND");
    const copy = await tx.webhookDelivery.create({
      data: { webhookId: original.webhookId, eventId: original.eventId, eventType: original.eventType, payload: original.payload ?? {}, manual: true },
      select: { id: true },
    });
    await recordAudit(tx, { actorId, action: "webhook.redeliver", entityType: "webhook", entityId: original.webhookId, after: { eventId: original.eventId, deliveryId: copy.id } });
    return copy;
  });
  await deps.queues.enqueueWebhookDeliveries([created.id], { manual: true });
  return created;
}
