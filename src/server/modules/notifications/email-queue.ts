// How use-cases hand staged emails to the sending queue (BullMQ: src/server/adapters/bullmq/notifications-queue.ts).

export type EnqueueEmails = (emailIds: string[]) => Promise<void>;

export type RequeueEmail = (emailId: string) => Promise<void>;
