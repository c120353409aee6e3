import { Queue, type ConnectionOptions } from "bullmq";
import { bullPrefix } from "./notifications-queue";

export const KB_INDEX_QUEUE = "kb-index";

export type KbIndexJob = { kind: "article"; articleId: string } | { kind: "reindex-all" };

export function createKbIndexQueue(connection: ConnectionOptions, redisPrefix: string) {
  return new Queue<KbIndexJob>(KB_INDEX_QUEUE, { connection, prefix: bullPrefix(redisPrefix) });
}

/** Indexing reads the article's current state, so repeated or reordered jobs converge. */
export function kbIndexEnqueuer(queue: Queue<KbIndexJob>) {
  return async (articleIds: string[]) => {
    if (!articleIds.length) return;
    await queue.addBulk(
      articleIds.map((articleId) => ({
        name: "article",
        data: { kind: "article" as const, articleId },
        opts: { attempts: 5, backoff: { type: "exponential", delay: 1000 }, removeOnComplete: { age: 600, count: 1000 }, removeOnFail: { age: 7 * 24 * 3600 } },
      })),
    );
  };
}
