import type { Env } from "~/env";
import type { Deps } from "~/server/modules/deps";
import { indexArticle } from "~/server/modules/kb/index-article";
import { KB_INDEX_QUEUE, type KbIndexJob } from "~/server/adapters/bullmq/kb-index-queue";
import { reindexAll } from "~/server/modules/kb/reindex";
import { startQueueWorker } from "~/server/adapters/bullmq/queue-worker";
import type { Logger } from "~/server/observability/logger";

/**
 * Keeps the knowledge-base index in step with the articles. One job at a time: each job reads the
 * article as it is when it runs, so running them in order (a full reindex included) cannot let an
 * older read overwrite a newer one.
 */
export function startKbIndexWorker(env: Env, deps: Pick<Deps, "db" | "search">, log: Logger) {
  return startQueueWorker<KbIndexJob>(
    { redisUrl: env.REDIS_URL, redisPrefix: env.REDIS_PREFIX, queue: KB_INDEX_QUEUE, concurrency: 1, log },
    async (job) => {
      if (job.data.kind === "article") return indexArticle(deps, job.data.articleId);
      const result = await reindexAll(deps, (p) => void job.updateProgress(p).catch(() => {}));
      log.info({ articles: result.done, engine: deps.search.name }, "kb reindex done");
      return result;
    },
  );
}
