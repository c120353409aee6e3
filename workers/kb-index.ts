import { Worker } from "bullmq";
import type { Env } from "~/env";
import type { Deps } from "~/server/modules/deps";
import { indexArticle } from "~/server/modules/kb/index-article";
import { KB_INDEX_QUEUE, type KbIndexJob } from "~/server/adapters/bullmq/kb-index-queue";
import { reindexAll } from "~/server/modules/kb/reindex";
import type { SearchEngine } from "~/server/modules/kb/search/engine";
import { bullPrefix } from "~/server/adapters/bullmq/notifications-queue";
import { createRedis } from "~/server/redis";

/**
 * Keeps the knowledge-base index in step with the articles. One job at a time: each job reads the
 * article as it is when it runs, so running them in order (a full reindex included) cannot let an
 * older read overwrite a newer one.
 */
export function startKbIndexWorker(env: Env, deps: Pick<Deps, "db">, engine: SearchEngine, log: (l: string) => void) {
  const connection = createRedis("worker", env.REDIS_URL);
  const worker = new Worker<KbIndexJob>(
    KB_INDEX_QUEUE,
    async (job) => {
      if (job.data.kind === "article") return indexArticle(deps, engine, job.data.articleId);
      const result = await reindexAll(deps, engine, (p) => void job.updateProgress(p).catch(() => {}));
      log(`kb reindex: ${result.done} articles (${engine.name})`);
      return result;
    },
    { connection, prefix: bullPrefix(env.REDIS_PREFIX), concurrency: 1 },
  );
  worker.on("failed", (job, err) => log(`kb-index job ${job?.id} failed (attempt ${job?.attemptsMade}): ${err.message}`));
  worker.on("error", (err) => log(`kb-index worker error: ${err.message}`));
  return {
    worker,
    async close() {
      await worker.close();
      connection.disconnect();
    },
  };
}
