import type { Clock } from "~/server/clock";
import { sqlOf, type Db } from "~/server/db/client";
import { fragment, sql } from "~/server/db/sql";
import { sweepStagedUploads, UPLOAD_PREFIX } from "../attachments/staged-uploads";
import type { BlobStore } from "./blob-store";

/**
 * Which tables name the files under each prefix. A file no row names is an orphan: a mail whose
 * row insert failed after its bytes were stored, attachments of a run that crashed before its
 * commit, a web upload whose request failed after its files were stored. Knowledge-base images
 * are left alone (their editor uploads before the article is saved).
 */
const OWNERS = [
  { prefix: "raw", names: ['"InboundMail"."storageKey"'] },
  { prefix: "att", names: ['"Attachment"."storageKey"'] },
  // A web upload is named by its staged row until a message takes it, then by its Attachment row.
  { prefix: UPLOAD_PREFIX, names: ['"Attachment"."storageKey"', '"StagedUpload".key'] },
] as const;

export const ORPHAN_AGE_HOURS = 24;
/** How far back each sweep looks: it runs every few hours, so each file is seen several times. */
export const SWEEP_WINDOW_DAYS = 7;

/**
 * Removes web uploads no message took within a day (their rows and files), then stored files no row
 * points to, once they are a day old (a mail is processed within minutes, retries included, so a
 * younger file may still be about to get its row). Only the last SWEEP_WINDOW_DAYS are listed, so a
 * sweep costs a week of files, not the whole history.
 */
export async function sweepOrphanBlobs(deps: { db: Db; clock: Clock; store: BlobStore }, opts: { olderThanHours?: number; batchSize?: number } = {}) {
  const olderThanHours = opts.olderThanHours ?? ORPHAN_AGE_HOURS;
  const result = { checked: 0, removed: [] as string[], abandonedUploads: [] as string[] };
  result.abandonedUploads = await sweepStagedUploads(deps, { olderThanHours, batchSize: opts.batchSize });
  if (!deps.store.keysOlderThan) return result;
  const before = new Date(deps.clock.now().getTime() - olderThanHours * 3600_000);
  const pool = sqlOf(deps.db);
  for (const { prefix, names } of OWNERS) {
    const since = new Date(before.getTime() - SWEEP_WINDOW_DAYS * 24 * 3600_000);
    for await (const keys of deps.store.keysOlderThan(prefix, { since, before }, opts.batchSize ?? 500)) {
      result.checked += keys.length;
      const { rows } = await pool.query<{ key: string }>(
        sql`SELECT k AS key FROM unnest(${keys}::text[]) k WHERE ${fragment(names.map((n) => `NOT EXISTS (SELECT 1 FROM ${n.split(".")[0]} WHERE ${n} = k)`).join(" AND "))}`,
      );
      for (const { key } of rows) {
        await deps.store.remove(key);
        result.removed.push(key);
      }
    }
  }
  return result;
}
