import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";

// Each run gets its own database and Redis key prefix, so a running demo or a second run never collides.
const runId = process.env.VT_TEST_RUN ?? `${process.pid}`;
process.env.VT_TEST_RUN = runId;
// Drawn per run, never written down: a secret that stood in the repository is refused (src/env.ts).
const sessionSecret = (process.env.VT_TEST_SECRET ??= randomBytes(32).toString("base64url"));

export default defineConfig({
  resolve: { alias: { "~": path.resolve(import.meta.dirname, "src") } },
  test: {
    include: ["tests/**/*.test.ts"],
    globalSetup: ["tests/support/global-setup.ts"],
    env: {
      NODE_ENV: "test",
      DATABASE_URL: process.env.TEST_DATABASE_URL ?? `postgresql://postgres@127.0.0.1:5432/ventanilla_test_${runId}`,
      REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
      REDIS_PREFIX: `vt-test-${runId}`,
      PORT: "0",
      SMTP_INBOUND_PORT: "0",
      SMTP_INBOUND_HOST: "127.0.0.1",
      STORAGE_DIR: path.join(os.tmpdir(), `ventanilla-test-${runId}`),
      HOST: "127.0.0.1",
      NEXTAUTH_SECRET: sessionSecret,
    },
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
