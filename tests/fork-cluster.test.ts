// WEB_PROCESSES and WORKER_PROCESSES fork with src/server/process/fork-cluster.ts: children share a
// port, one that dies once ready is replaced, one that dies before it is ready stops everything.
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "./support/private-redis";

const script = path.resolve(import.meta.dirname, "support/cluster-child.ts");
const running: ChildProcess[] = [];

function start(env: Record<string, string>): { proc: ChildProcess; first: Promise<{ pids?: number[]; error?: string }> } {
  const proc = spawn(process.execPath, ["--import", "tsx", script], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
  running.push(proc);
  const first = new Promise<{ pids?: number[]; error?: string }>((resolve) =>
    createInterface({ input: proc.stdout! }).once("line", (line) => resolve(JSON.parse(line) as { pids?: number[]; error?: string })),
  );
  return { proc, first };
}

const exited = (p: ChildProcess) => new Promise<number | null>((resolve) => (p.exitCode !== null ? resolve(p.exitCode) : p.once("exit", (code) => resolve(code))));

afterEach(async () => {
  for (const p of running.splice(0)) {
    if (p.exitCode === null) {
      p.kill("SIGTERM");
      await exited(p);
    }
  }
});

/** The pids that answered `tries` requests, each on a fresh connection (node:cluster hands connections to children in turn). */
async function pidsAnswering(port: number, tries = 40): Promise<Set<number>> {
  const seen = new Set<number>();
  for (let i = 0; i < tries; i++) {
    // A connection handed to a child at the moment it is killed is lost: that request counts for no one.
    const res = await fetch(`http://127.0.0.1:${port}/`, { headers: { connection: "close" }, signal: AbortSignal.timeout(2000) }).catch(() => null);
    const pid = res ? Number(await res.text().catch(() => "")) : 0;
    if (pid) seen.add(pid);
  }
  return seen;
}

describe("forkCluster", () => {
  it("children share one port; a child that dies is replaced and the port keeps answering", async () => {
    const port = await freePort();
    const { first } = start({ VT_CLUSTER_PORT: String(port) });
    const { pids } = await first;
    expect(pids).toHaveLength(2);
    expect(await pidsAnswering(port)).toEqual(new Set(pids));

    process.kill(pids![0]!, "SIGKILL");
    await expect
      .poll(async () => [...(await pidsAnswering(port, 20))].some((p) => !pids!.includes(p)), { timeout: 15_000, interval: 300 })
      .toBe(true);
    const after = await pidsAnswering(port);
    expect(after.has(pids![0]!)).toBe(false);
    expect(after.size).toBe(2);
  }, 30_000);

  it("once up, a replacement that fails to start is tried again while the healthy child keeps serving", async () => {
    const port = await freePort();
    const failFile = path.join(os.tmpdir(), `vt-cluster-fail-${process.pid}-${Date.now()}`);
    const { proc, first } = start({ VT_CLUSTER_PORT: String(port), VT_CLUSTER_FAIL_FILE: failFile });
    const { pids } = await first;
    writeFileSync(failFile, "");
    try {
      process.kill(pids![0]!, "SIGKILL");
      // Replacements die at start for a few seconds: the survivor answers everything, the primary stays.
      await new Promise((r) => setTimeout(r, 3000));
      expect(proc.exitCode).toBeNull();
      expect(await pidsAnswering(port, 10)).toEqual(new Set([pids![1]]));
    } finally {
      rmSync(failFile, { force: true });
    }
    await expect.poll(async () => (await pidsAnswering(port, 20)).size, { timeout: 20_000, interval: 500 }).toBe(2);
  }, 40_000);

  it("a child that dies before it is ready stops the others and fails the start", async () => {
    const { proc, first } = start({ VT_CLUSTER_PORT: String(await freePort()), VT_CLUSTER_FAIL: "1" });
    expect(await first).toEqual({ error: "a test child exited before it was ready" });
    expect(await exited(proc)).toBe(1);
  });
});
