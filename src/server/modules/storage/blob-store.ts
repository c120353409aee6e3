import type { Readable } from "node:stream";

export interface StoredBlob {
  key: string;
  size: number;
  sha256: string;
}

/** Where raw mail and attachments live. Local directory here; an S3-compatible store fits the same shape. */
export interface BlobStore {
  /**
   * Streams `source` to durable storage (fsynced before it resolves); never buffers it whole.
   * `sha256`: a source that hashes itself on the way (the mail parser does) says so, and the store
   * skips its own pass over the bytes; it is read once the source has ended.
   */
  put(prefix: string, source: Readable | Buffer, opts?: { sha256?: () => string | undefined }): Promise<StoredBlob>;
  read(key: string): Readable;
  readBuffer(key: string): Promise<Buffer>;
  remove(key: string): Promise<void>;
  /** Keys under `prefix` last written in [since, before), in batches (for the orphan sweep). */
  keysOlderThan?(prefix: string, range: { since: Date; before: Date }, batchSize: number): AsyncIterable<string[]>;
}
