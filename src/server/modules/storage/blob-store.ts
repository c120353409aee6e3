import { createHash, randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";

export interface StoredBlob {
  key: string;
  size: number;
  sha256: string;
}

/** Where raw mail and attachments live. Local directory here; an S3-compatible store fits the same shape. */
export interface BlobStore {
  /** Streams `source` to durable storage (fsynced before it resolves); never buffers it whole. */
  put(prefix: string, source: Readable | Buffer): Promise<StoredBlob>;
  read(key: string): Readable;
  readBuffer(key: string): Promise<Buffer>;
  remove(key: string): Promise<void>;
}

export function localBlobStore(root: string): BlobStore {
  const abs = path.resolve(root);
  const full = (key: string) => {
    const p = path.resolve(abs, key);
    if (!p.startsWith(abs + path.sep)) throw new Error(`invalid storage key: ${key}`);
    return p;
  };
  return {
    async put(prefix, source) {
      const day = new Date().toISOString().slice(0, 10);
      const key = path.posix.join(prefix, day, randomUUID());
      const target = full(key);
      await mkdir(path.dirname(target), { recursive: true });
      const tmp = `${target}.part`;
      const hash = createHash("sha256");
      let size = 0;
      const meter = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          hash.update(chunk);
          size += chunk.length;
          cb(null, chunk);
        },
      });
      try {
        const input = Buffer.isBuffer(source) ? Readable.from([source]) : source;
        await pipeline(input, meter, createWriteStream(tmp));
        const fh = await open(tmp, "r");
        await fh.sync();
        await fh.close();
        await rename(tmp, target);
      } catch (err) {
        await rm(tmp, { force: true });
        throw err;
      }
      return { key, size, sha256: hash.digest("hex") };
    },
    read: (key) => createReadStream(full(key)),
    readBuffer: (key) => readFile(full(key)),
    remove: (key) => rm(full(key), { force: true }),
  };
}
