// A private redis-server for the tests that stop and restart Redis. The machine's shared Redis (6379)
// is never touched: this one is a child of the test process on a free port of 127.0.0.1, with no
// persistence at all (`--save "" --appendonly no`), so after a stop it comes back EMPTY, as a Redis
// that lost its memory (crash, OOM kill, failover to an empty replica) would.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { Redis } from "ioredis";
import { withTimeout } from "./wait";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface PrivateRedis {
  port: number;
  url: string;
  /** The running redis-server's pid, or null while it is stopped. */
  readonly pid: number | null;
  /** (Re)starts it on the same port; resolves once it accepts connections and answers PING. */
  start(): Promise<void>;
  /** SIGTERM, which with no persistence configured saves nothing; resolves once the process has exited. */
  stop(): Promise<void>;
  /** Number of keys, through a short-lived connection of its own. */
  dbsize(): Promise<number>;
  /** Stops it (SIGKILL if SIGTERM is not enough) and removes its working directory. */
  dispose(): Promise<void>;
}

const running = new Set<ChildProcess>();
// Should the test process die without its afterAll, no redis-server is left behind.
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = await mkdtemp(path.join(os.tmpdir(), "vt-redis-"));
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;

  const exited = (c: ChildProcess) =>
    c.exitCode !== null || c.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => c.once("exit", () => resolve()));

  const ping = async () => {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
    client.on("error", () => {});
    try {
      await client.connect();
      return await client.ping();
    } finally {
      client.disconnect();
    }
  };

  async function start() {
    if (child) throw new Error(`private redis on ${port} is already running`);
    const c = spawn(
      "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir, "--loglevel", "notice"],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    child = c;
    running.add(c);
    c.once("exit", () => {
      running.delete(c);
      if (child === c) child = null;
    });
    let output = "";
    const lines = createInterface({ input: c.stdout! });
    c.stderr!.on("data", (d: Buffer) => (output += d.toString()));
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        lines.on("line", (line) => {
          output += `${line}\n`;
          if (line.includes("Ready to accept connections")) resolve();
        });
        c.once("error", reject);
        c.once("exit", (code, signal) => reject(new Error(`redis-server on ${port} exited (${code ?? signal}) before it was ready:\n${output}`)));
      }),
      `redis-server on port ${port} to be ready`,
    );
    if ((await ping()) !== "PONG") throw new Error(`redis-server on ${port} did not answer PING`);
  }

  async function stop() {
    const c = child;
    if (!c) return;
    c.kill("SIGTERM");
    await withTimeout(exited(c), `redis-server on ${port} to exit after SIGTERM`);
  }

  await start();
  return {
    port,
    url,
    get pid() {
      return child?.pid ?? null;
    },
    start,
    stop,
    async dbsize() {
      const client = new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
      client.on("error", () => {});
      try {
        return await client.dbsize();
      } finally {
        client.disconnect();
      }
    },
    async dispose() {
      const c = child;
      if (c) {
        await stop().catch(async () => {
          c.kill("SIGKILL");
          await exited(c);
        });
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
