// A blob store in a fresh temporary directory for one test file, removed afterwards.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { localBlobStore } from "~/server/adapters/local-disk/local-blob-store";
import type { BlobStore } from "~/server/modules/storage/blob-store";

export function useTempStore(name: string): { readonly dir: string; readonly store: BlobStore } {
  const state = { dir: "", store: null as unknown as BlobStore };
  beforeAll(async () => {
    state.dir = await mkdtemp(path.join(os.tmpdir(), `vt-${name}-`));
    state.store = localBlobStore(state.dir);
  });
  afterAll(async () => {
    if (state.dir) await rm(state.dir, { recursive: true, force: true });
  });
  return state;
}
