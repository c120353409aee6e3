import type { Deps } from "../deps";
import { INDEXED_FIELDS, indexArticle, searchDocumentOf } from "./index-article";

export interface ReindexProgress {
  done: number;
  total: number;
}

export interface ReindexOptions {
  /** Articles read per query. */
  batchSize?: number;
  /** Upserts in flight at once within a batch. */
  concurrency?: number;
}

/**
 * Empties the index and indexes every published article again, in batches (the `kb:reindex`
 * command and the "reindex-all" job). Synonyms are pushed again from "SearchSynonym".
 *
 * Articles may change while it runs, and their own index jobs may run in between. So after each
 * batch is written, its articles are read again: any that changed since (edited, unpublished,
 * deleted) is indexed once more from its current state, and a draft or deleted article never stays
 * in the index because a batch read it a moment before.
 */
export async function reindexAll(
  deps: Pick<Deps, "db" | "search">,
  onProgress: (p: ReindexProgress) => void = () => {},
  opts: ReindexOptions = {},
): Promise<ReindexProgress & { corrected: number }> {
  const batchSize = opts.batchSize ?? 200;
  const concurrency = Math.max(1, opts.concurrency ?? 4);
  const engine = deps.search;
  const total = await deps.db.article.count({ where: { state: "PUBLISHED" } });
  await engine.clear();
  const synonyms = await deps.db.searchSynonym.findMany({ select: { language: true, terms: true } });
  for (const language of ["es", "en"] as const) {
    const groups = synonyms.filter((s) => s.language === language).map((s) => s.terms);
    if (groups.length) await engine.setSynonyms(language, groups);
  }
  onProgress({ done: 0, total });

  let done = 0;
  let corrected = 0;
  let cursor: string | undefined;
  for (;;) {
    const batch = await deps.db.article.findMany({
      where: { state: "PUBLISHED" },
      orderBy: { id: "asc" },
      take: batchSize,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      select: { ...INDEXED_FIELDS, updatedAt: true },
    });
    if (!batch.length) break;
    cursor = batch[batch.length - 1]!.id;

    let next = 0;
    const failed = new Set<string>();
    const worker = async () => {
      while (next < batch.length) {
        const article = batch[next++]!;
        // A refused write (say, PostgreSQL's foreign key: the article was deleted meanwhile) is
        // retried below from the article's current state; an engine that is down fails there.
        await engine.upsert(searchDocumentOf(article)).catch(() => failed.add(article.id));
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, batch.length) }, worker));

    const now = await deps.db.article.findMany({ where: { id: { in: batch.map((a) => a.id) } }, select: { id: true, state: true, updatedAt: true } });
    const current = new Map(now.map((a) => [a.id, a]));
    for (const a of batch) {
      const c = current.get(a.id);
      if (failed.has(a.id) || !c || c.state !== "PUBLISHED" || c.updatedAt.getTime() !== a.updatedAt.getTime()) {
        await indexArticle(deps, a.id);
        corrected++;
      }
    }
    done += batch.length;
    onProgress({ done, total: Math.max(total, done) });
  }
  return { done, total: Math.max(total, done), corrected };
}
