import { Worker } from "bullmq";
import type { Env } from "~/env";
import type { Deps } from "~/server/modules/deps";
import { indexArticle } from "~/server/modules/kb/index-article";
import { KB_INDEX_QUEUE, type KbIndexJob } from "~/server/adapters/bullmq/kb-index-queue";
import { reindexAll } from "~/server/modules/kb/reindex";
import { bullPrefix } from "~/server/adapters/bullmq/notifications-queue";
import { logJobFailure, type Logger } from "~/server/observability/logger";
import { createRedis } from "~/server/redis";

/**
 * Keeps the knowledge-base index in step with the articles. One job at a time: each job reads the
 * article as it is when it runs, so running them in order (a full reindex included) cannot let an
 * older read overwrite a newer one.
 */
export function startKbIndexWorker(env: Env, deps: Pick<Deps, "db" | "search">, log: Logger) {
  const connection = createRedis("worker", env.REDIS_URL);
  const worker = new Worker<KbIndexJob>(
    KB_INDEX_QUEUE,
    async (job) => {
      if (job.data.kind === "article") return indexArticle(deps, job.data.articleId);
      const result = await reindexAll(deps, (p) => void job.updateProgress(p).catch(() => {}));
      log.info({ articles: result.done, engine: deps.search.name }, "kb reindex done");
      return result;
    },
    { connection, prefix: bullPrefix(env.REDIS_PREFIX), concurrency: 1 },
  );
  worker.on("failed", (job, err) => logJobFailure(log, KB_INDEX_QUEUE, job, err));
  worker.on("error", (err) => log.error({ err, queue: KB_INDEX_QUEUE }, "worker error"));
  return {
    worker,
    async close() {
      await worker.close();
      connection.disconnect();
    },
  };
}
