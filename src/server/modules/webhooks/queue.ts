// How use-cases hand deliveries to the sending queue (BullMQ: src/server/adapters/bullmq/webhooks-queue.ts).

/** Staged deliveries to send, retried with backoff; `manual` (an admin's redelivery) is tried once. */
export type EnqueueWebhookDeliveries = (deliveryIds: string[], opts?: { manual?: boolean }) => Promise<void>;
