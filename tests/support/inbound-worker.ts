// The inbound-mail worker with short BullMQ lock and stall settings (with the 30 s defaults a job
// orphaned by a killed worker only comes back after up to a minute), for the tests that kill a worker
// mid-job, and a helper that runs one in a child OS process (tests/support/spawn-inbound-worker.ts).
import { spawn, type ChildProcess } from "node:child_process";
import { EventEmitter } from "node:events";
import path from "node:path";
import { createInterface } from "node:readline";
import type { WorkerOptions } from "bullmq";
import { startInboundWorker } from "../../workers/inbound-mail";
import type { Env } from "~/env";
import type { InboundDeps } from "~/server/modules/mail/process/process-inbound-mail";
import type { BlobStore } from "~/server/modules/storage/blob-store";
import { waitUntil, withTimeout } from "./wait";
import type { Logger } from "~/server/observability/logger";

export const FAST_STALL = { lockDuration: 2000, stalledInterval: 1000, maxStalledCount: 2 } satisfies Partial<WorkerOptions>;

/** The production inbound worker with short BullMQ lock/stall settings. */
export function startTunedInboundWorker(
  env: Pick<Env, "REDIS_URL" | "REDIS_PREFIX" | "MAIL_MAX_ATTACHMENT_BYTES">,
  deps: InboundDeps,
  log: Logger,
  settings: Pick<WorkerOptions, "lockDuration" | "stalledInterval" | "maxStalledCount"> = FAST_STALL,
) {
  return startInboundWorker(env, deps, log, settings);
}

/**
 * A store whose attachment writes never finish (the raw mail is still read normally): a job that
 * reaches an attachment hangs there, mid-processing, until its process is killed. `onBlocked` is
 * called when that happens.
 */
export function blockingAttachmentStore(store: BlobStore, onBlocked: (prefix: string) => void): BlobStore {
  return {
    ...store,
    put: (prefix, source) => {
      if (prefix !== "att") return store.put(prefix, source);
      onBlocked(prefix);
      return new Promise(() => {});
    },
  };
}

/** What the child prints, one JSON object per line on stdout. */
export type WorkerLine =
  | { ready: true; pid: number }
  | { active: string; inboundId?: string }
  | { blocked: string }
  | { completed: string; returnvalue: unknown }
  | { failed: string; error: string }
  | { log: string };

export interface InboundWorkerProcess {
  child: ChildProcess;
  pid: number;
  lines: WorkerLine[];
  stderr(): string;
  /** The first line (already printed or still to come) that `match` picks out. */
  next<T>(match: (l: WorkerLine) => T | undefined, what: string, timeoutMs?: number): Promise<T>;
  /** Resolves with how the process ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL to the whole process group: nothing in it gets to clean up, as with `kill -9` or an OOM kill. */
  kill9(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM (a graceful close), SIGKILL after 10 s; resolves when it is gone. For cleanup. */
  stop(): Promise<void>;
}

const repoRoot = path.resolve(import.meta.dirname, "..", "..");

/**
 * Runs tests/support/spawn-inbound-worker.ts as a separate OS process (plain node with tsx's loader,
 * so the pid is the worker itself), with this run's environment plus `env`. Resolves once its worker
 * is connected to Redis.
 */
export async function spawnInboundWorker(env: Record<string, string>): Promise<InboundWorkerProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join("tests", "support", "spawn-inbound-worker.ts")], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ["pipe", "pipe", "pipe"],
    detached: true, // its own process group
  });
  const lines: WorkerLine[] = [];
  const signal = new EventEmitter();
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  createInterface({ input: child.stdout! }).on("line", (line) => {
    try {
      lines.push(JSON.parse(line) as WorkerLine);
      signal.emit("line");
    } catch {
      stderr += `(stdout) ${line}\n`;
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, sig) => {
      signal.emit("line");
      resolve({ code, signal: sig });
    });
  });
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const killGroup = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      child.kill(sig);
    }
  };
  const next: InboundWorkerProcess["next"] = (match, what, timeoutMs = 15_000) =>
    waitUntil(
      signal,
      "line",
      () => {
        for (const l of lines) {
          const v = match(l);
          if (v !== undefined) return v;
        }
        if (gone()) throw new Error(`the worker process exited (${child.exitCode ?? child.signalCode}) before ${what}:\n${stderr}`);
        return undefined;
      },
      what,
      timeoutMs,
    );
  const proc: InboundWorkerProcess = {
    child,
    pid: child.pid!,
    lines,
    stderr: () => stderr,
    next,
    exited,
    async kill9() {
      killGroup("SIGKILL");
      return withTimeout(exited, "the killed worker process to exit");
    },
    async stop() {
      if (gone()) return;
      const timer = setTimeout(() => killGroup("SIGKILL"), 10_000);
      killGroup("SIGTERM");
      await exited;
      clearTimeout(timer);
    },
  };
  try {
    await next((l) => ("ready" in l ? l : undefined), "the worker process to be ready", 45_000);
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return proc;
}
