// The BlobStore (src/server/modules/storage/blob-store.ts) on a local directory: one file per blob,
// fsynced before a database row may name it.
import { createHash, randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, open, readdir, readFile, rm, stat, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { BlobStore } from "~/server/modules/storage/blob-store";

/**
 * Writes are gathered into runs of this many bytes: parsers hand over 20–60 KB pieces, and each
 * `write` call costs the event loop far more than the copy that batches them.
 */
const WRITE_RUN_BYTES = 1 << 20;

/** Streams `source` into `fh`, hashing (unless the source does) and counting it on the way, in runs of WRITE_RUN_BYTES. */
async function writeAllHashed(
  fh: FileHandle,
  source: Readable | Buffer,
  knownSha256?: () => string | undefined,
): Promise<{ size: number; sha256: string }> {
  const hash = knownSha256 ? null : createHash("sha256");
  let size = 0;
  let run: Buffer[] = [];
  let runBytes = 0;
  const flush = async () => {
    if (!runBytes) return;
    const data = run.length === 1 ? run[0]! : Buffer.concat(run, runBytes);
    run = [];
    runBytes = 0;
    hash?.update(data);
    size += data.length;
    for (let offset = 0; offset < data.length; ) offset += (await fh.write(data, offset)).bytesWritten;
  };
  const sink = new Writable({
    highWaterMark: WRITE_RUN_BYTES,
    write(chunk: Buffer, _enc, cb) {
      run.push(chunk);
      runBytes += chunk.length;
      if (runBytes < WRITE_RUN_BYTES) return cb();
      flush().then(() => cb(), cb);
    },
    final(cb) {
      flush().then(() => cb(), cb);
    },
  });
  await pipeline(Buffer.isBuffer(source) ? Readable.from([source]) : source, sink);
  const sha256 = hash ? hash.digest("hex") : knownSha256!();
  if (!sha256) throw new Error("the source ended without reporting its SHA-256");
  return { size, sha256 };
}

export function localBlobStore(root: string): BlobStore {
  const abs = path.resolve(root);
  const full = (key: string) => {
    const p = path.resolve(abs, key);
    if (!p.startsWith(abs + path.sep)) throw new Error(`invalid storage key: ${key}`);
    return p;
  };
  const madeDirs = new Set<string>();
  return {
    async put(prefix, source, opts = {}) {
      const day = new Date().toISOString().slice(0, 10);
      const key = path.posix.join(prefix, day, randomUUID());
      const target = full(key);
      const dir = path.dirname(target);
      if (!madeDirs.has(dir)) {
        await mkdir(dir, { recursive: true });
        madeDirs.add(dir);
      }
      // Written in place: a key is only ever read once a database row names it, and rows are
      // written after this resolves (fsynced); a crash leaves a file no row points to.
      let fh: FileHandle | null = null;
      try {
        fh = await open(target, "w");
        const written = await writeAllHashed(fh, source, opts.sha256);
        await fh.sync();
        await fh.close();
        fh = null;
        return { key, ...written };
      } catch (err) {
        await fh?.close().catch(() => {});
        await rm(target, { force: true });
        // A directory removed under us (storage wiped) is made again next time.
        madeDirs.delete(dir);
        throw err;
      }
    },
    read: (key) => createReadStream(full(key), { highWaterMark: 256 * 1024 }),
    readBuffer: (key) => readFile(full(key)),
    remove: (key) => rm(full(key), { force: true }),
    async *keysOlderThan(prefix, { since, before }, batchSize) {
      const base = full(prefix);
      const days = await readdir(base).catch((err: NodeJS.ErrnoException) => (err.code === "ENOENT" ? [] : Promise.reject(err)));
      // Keys are <prefix>/<UTC day written>/<uuid>: older days are not listed at all.
      const firstDay = since.toISOString().slice(0, 10);
      let batch: string[] = [];
      for (const day of days.filter((d) => d >= firstDay).sort()) {
        for (const name of await readdir(path.join(base, day)).catch(() => [] as string[])) {
          const key = path.posix.join(prefix, day, name);
          const info = await stat(full(key)).catch(() => null);
          if (!info?.isFile() || info.mtime >= before || info.mtime < since) continue;
          batch.push(key);
          if (batch.length >= batchSize) {
            yield batch;
            batch = [];
          }
        }
      }
      if (batch.length) yield batch;
    },
  };
}
