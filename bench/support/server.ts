// The web process of the benchmark: the real startServer (tRPC + socket.io with the Redis adapter,
// no Next.js), configured only through the environment bench/live.ts passes in (its own database,
// Redis prefix, loopback host, port 0). It reports its port and its own memory/CPU, over IPC when
// forked by bench/live.ts, and as JSON lines on stdout when run by hand:
//   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/ventanilla_bench REDIS_PREFIX=vt-bench \
//   HOST=127.0.0.1 PORT=0 npx tsx bench/support/server.ts
import { env } from "~/env";
import { startServer, type RunningServer } from "~/server/http/create-server";
import { createLogger } from "~/server/observability/logger";
import { processStatsSampler } from "./process-stats";
import { clockSkewMs, type BroadcastStats, type FromServer, type ToServer } from "./protocol";
import { percentile } from "./stats";

const sampler = processStatsSampler(100);

function report(msg: FromServer) {
  if (process.send) process.send(msg);
  else process.stdout.write(`${JSON.stringify(msg)}\n`);
}

let server: RunningServer | undefined;
let broadcasts: number[] = [];

/**
 * Times every `io.to(rooms).emit(…)` the dispatcher makes (it calls io.to at each event, so
 * wrapping the instance's method sees them all). The emit is synchronous up to the socket
 * writes: encode once, write a frame to each local socket, publish to Redis for other nodes.
 */
function timeBroadcasts(running: RunningServer) {
  const io = running.io as unknown as { to(rooms: string | string[]): { emit(ev: string, ...args: unknown[]): unknown } };
  const to = io.to.bind(io);
  io.to = (rooms) => {
    const op = to(rooms);
    const emit = op.emit.bind(op);
    op.emit = (ev, ...args) => {
      const t = performance.now();
      try {
        return emit(ev, ...args);
      } finally {
        broadcasts.push(performance.now() - t);
      }
    };
    return op;
  };
}

function broadcastStats(): BroadcastStats {
  const sorted = broadcasts.sort((a, b) => a - b);
  broadcasts = [];
  const r = (n: number) => (Number.isFinite(n) ? Math.round(n * 100) / 100 : 0);
  return { n: sorted.length, p50Ms: r(percentile(sorted, 50)), p95Ms: r(percentile(sorted, 95)), p99Ms: r(percentile(sorted, 99)), maxMs: r(sorted[sorted.length - 1] ?? 0) };
}
let stopping = false;

async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  // Never outlive a hung close: the benchmark must end by itself.
  setTimeout(() => process.exit(code), 5000).unref();
  const stats = sampler.mark();
  try {
    await server?.close();
  } catch (err) {
    process.stderr.write(`[bench-web] close failed: ${(err as Error).message}\n`);
  }
  sampler.stop();
  if (process.send && process.connected) {
    process.send({ type: "stopped", stats } satisfies FromServer, () => process.exit(code));
  } else {
    report({ type: "stopped", stats });
    process.exit(code);
  }
}

async function main() {
  if (!/127\.0\.0\.1|localhost|::1/.test(env.HOST)) throw new Error(`bench server must listen on loopback, not ${env.HOST}`);
  // Problems only: a line per request would be measured along with the server.
  const log = createLogger({ ...env, LOG_LEVEL: env.LOG_LEVEL ?? "warn" }, { name: "bench-web", destination: process.stderr });
  server = await startServer({ env, log });
  timeBroadcasts(server);
  report({ type: "ready", port: server.port, url: server.url, stats: sampler.mark() });

  process.on("message", (raw: ToServer) => {
    if (raw.type === "mark") {
      report({
        type: "mark",
        label: raw.label,
        stats: sampler.mark(),
        sockets: server?.io.engine.clientsCount ?? 0,
        broadcast: broadcastStats(),
        clockSkewMs: clockSkewMs(),
      });
    } else if (raw.type === "stop") {
      void stop(0);
    }
  });
  // The orchestrator died or closed the channel: nothing left to serve.
  process.on("disconnect", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
  process.on("SIGINT", () => void stop(0));
}

main().catch((err: Error) => {
  report({ type: "error", message: err.stack ?? err.message });
  process.exit(1);
});
