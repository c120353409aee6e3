// How intake hands a stored mail to processing (BullMQ: src/server/adapters/bullmq/inbound-queue.ts).

/** `revive`: a job that used up its attempts (storage or database down for a while) is retried. */
export type EnqueueInbound = (inboundIds: string[], opts?: { release?: boolean; revive?: boolean }) => Promise<void>;
