import { Transform, type Readable } from "node:stream";
import { fileTypeFromBuffer } from "file-type";
import { sqlOf } from "~/server/db/client";
import { fragment, newId, sql, type SqlQuery } from "~/server/db/sql";
import { AppError } from "~/server/errors";
import { ATTACHMENTS_MAX_BYTES, ATTACHMENTS_MAX_FILES, ATTACHMENTS_MAX_MB, type StagedUploadView } from "~/shared/attachments";
import type { Deps } from "../deps";
import type { AlsoWrite, StoredAttachment } from "../tickets/ticket-writer";

/** Storage prefix of web uploads; the Attachment row a message makes keeps the same key. */
export const UPLOAD_PREFIX = "upl";
/** Enough for file-type to recognise every format it knows. */
const SNIFF_BYTES = 4100;
/** Types kept as the browser claimed them when the bytes are no binary format file-type knows. */
const TEXT_TYPES = new Set(["text/plain", "text/csv"]);

export type UploadDeps = Pick<Deps, "db" | "clock" | "store">;

/** A display name without path, control characters or characters that break headers and markup. */
export function cleanUploadFilename(name: string | undefined | null): string {
  const base = (name ?? "").split(/[\\/]/).pop() ?? "";
  const clean = base
    .normalize("NFC")
    .replace(/[\u0000-\u001f\u007f-\u009f"<>|*?:]/g, "")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^\.+/, "");
  // Long names keep their extension.
  if (clean.length <= 180) return clean || "archivo";
  const dot = clean.lastIndexOf(".");
  const ext = dot > 0 && clean.length - dot <= 12 ? clean.slice(dot) : "";
  return clean.slice(0, 180 - ext.length) + ext;
}

/** The type stored for a file: what its bytes are, else plain text or CSV as claimed, else a download. */
export async function sniffedType(head: Buffer, claimed: string | undefined | null): Promise<string> {
  const detected = await fileTypeFromBuffer(head);
  if (detected) return detected.mime;
  const type = (claimed ?? "").split(";")[0]!.trim().toLowerCase();
  return TEXT_TYPES.has(type) ? type : "application/octet-stream";
}

/**
 * A pass-through that keeps the first SNIFF_BYTES and counts every byte into `budget`, failing with
 * ATTACHMENTS_TOO_LARGE the moment the message's running total passes the limit.
 */
export function meteredSource(budget: { used: number; max?: number }) {
  const max = budget.max ?? ATTACHMENTS_MAX_BYTES;
  const chunks: Buffer[] = [];
  let kept = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      budget.used += chunk.length;
      if (budget.used > max) return cb(new AppError("ATTACHMENTS_TOO_LARGE", { max: ATTACHMENTS_MAX_MB }));
      if (kept < SNIFF_BYTES) {
        chunks.push(chunk.subarray(0, SNIFF_BYTES - kept));
        kept += Math.min(chunk.length, SNIFF_BYTES - kept);
      }
      cb(null, chunk);
    },
  });
  return { stream, head: () => Buffer.concat(chunks) };
}

export interface StoredUpload {
  key: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
}

/**
 * Streams one uploaded file to the store under UPLOAD_PREFIX (never whole in memory), counting it
 * into the message's budget. A file stopped midway (over the limit, the client gone) leaves nothing:
 * the store removes what it wrote when its source fails.
 */
export async function storeUpload(
  deps: Pick<Deps, "store">,
  input: { filename?: string | null; claimedType?: string | null; source: Readable; budget: { used: number; max?: number } },
): Promise<StoredUpload> {
  const metered = meteredSource(input.budget);
  input.source.on("error", (err) => metered.stream.destroy(err));
  const stored = await deps.store.put(UPLOAD_PREFIX, input.source.pipe(metered.stream));
  const filename = cleanUploadFilename(input.filename);
  if (stored.size === 0) {
    await deps.store.remove(stored.key);
    throw new AppError("UPLOAD_EMPTY", { name: filename });
  }
  return { key: stored.key, filename, contentType: await sniffedType(metered.head(), input.claimedType), size: stored.size, sha256: stored.sha256 };
}

/** The rows of a request's files, once all of them are stored; on failure the files go too. */
export async function recordUploads(deps: UploadDeps, ownerId: string, files: StoredUpload[]): Promise<StagedUploadView[]> {
  const now = deps.clock.now();
  const rows = files.map((f) => ({ id: newId(), ownerId, key: f.key, filename: f.filename, contentType: f.contentType, size: f.size, sha256: f.sha256, createdAt: now }));
  try {
    await deps.db.stagedUpload.createMany({ data: rows });
  } catch (err) {
    await removeStored(deps, files);
    throw err;
  }
  return rows.map(({ id, filename, contentType, size }) => ({ id, filename, contentType, size }));
}

export async function removeStored(deps: Pick<Deps, "store">, files: { key: string }[]) {
  await Promise.all(files.map((f) => deps.store.remove(f.key).catch(() => {})));
}

/**
 * The staged uploads a message takes: each the owner's own and not yet used, at most
 * ATTACHMENTS_MAX_FILES, together within the limit. They become the message's Attachment rows with
 * the same ids (so the same upload can never become two attachments: a second write with it is a
 * unique violation and writes nothing), and `consume` marks them used in the same statement.
 */
export async function claimUploads(deps: Pick<Deps, "db">, ownerId: string, ids: readonly string[] | undefined): Promise<{ attachments: StoredAttachment[]; consume: AlsoWrite[] }> {
  const unique = [...new Set(ids ?? [])];
  if (!unique.length) return { attachments: [], consume: [] };
  if (unique.length > ATTACHMENTS_MAX_FILES) throw new AppError("ATTACHMENTS_TOO_MANY", { max: ATTACHMENTS_MAX_FILES });
  const { rows } = await sqlOf(deps.db).query<{ id: string; filename: string; contentType: string; size: number; sha256: string; key: string }>(
    sql`SELECT id, filename, "contentType", size, sha256, key FROM "StagedUpload" WHERE id = ANY(${unique}::text[]) AND "ownerId" = ${ownerId} AND NOT consumed`,
  );
  if (rows.length !== unique.length) throw new AppError("UPLOAD_NOT_FOUND");
  if (rows.reduce((sum, r) => sum + r.size, 0) > ATTACHMENTS_MAX_BYTES) throw new AppError("ATTACHMENTS_TOO_LARGE", { max: ATTACHMENTS_MAX_MB });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const attachments = unique.map((id) => {
    const r = byId.get(id)!;
    return { id: r.id, filename: r.filename, contentType: r.contentType, size: r.size, sha256: r.sha256, storageKey: r.key };
  });
  const consume: AlsoWrite = (name: string, guard: SqlQuery) =>
    sql`${fragment(name)} AS (UPDATE "StagedUpload" SET consumed = true WHERE id = ANY(${unique}::text[]) AND "ownerId" = ${ownerId} AND ${guard})`;
  return { attachments, consume: [consume] };
}

/** Day-old uploads no message took: their files and rows are removed (called by the storage sweep). */
export async function sweepStagedUploads(deps: UploadDeps, opts: { olderThanHours: number; batchSize?: number }) {
  const before = new Date(deps.clock.now().getTime() - opts.olderThanHours * 3600_000);
  const removed: string[] = [];
  for (;;) {
    const batch = await deps.db.stagedUpload.findMany({
      where: { consumed: false, createdAt: { lt: before } },
      select: { id: true, key: true },
      take: opts.batchSize ?? 500,
      orderBy: { createdAt: "asc" },
    });
    if (!batch.length) break;
    // The file first: a row left behind is tried again next time, a file left behind by its row would be lost to the sweep.
    await removeStored(deps, batch);
    await deps.db.stagedUpload.deleteMany({ where: { id: { in: batch.map((b) => b.id) }, consumed: false } });
    removed.push(...batch.map((b) => b.key));
    if (batch.length < (opts.batchSize ?? 500)) break;
  }
  return removed;
}
