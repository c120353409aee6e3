import { readFileSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";
import type pg from "pg";

/** One look at what could hold a worker back, every `everyMs`: our process's event loop, our database's backends. */
export interface StallSample {
  at: number;
  /** Longest event-loop delay of this process since the previous sample (ms). */
  loopDelayMaxMs: number;
  /** Backends of the database by what they wait on ("active:IO:WALSync", "idle", …). */
  backends: Record<string, number>;
  /** Handlers started and not yet finished (the caller's counter). */
  inFlight: number;
}

export interface StallSampler {
  stop(): Promise<StallSample[]>;
}

/** Samples until stopped; one extra connection (`client`) reads pg_stat_activity for `database`. */
export function startStallSampler(client: pg.Client, database: string, inFlight: () => number, everyMs = 250): StallSampler {
  const samples: StallSample[] = [];
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  let running = true;
  const done = (async () => {
    while (running) {
      const { rows } = await client.query<{ key: string; n: string }>(
        `SELECT state || COALESCE(':' || wait_event_type || ':' || wait_event, '') AS key, count(*) AS n
         FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() GROUP BY 1`,
        [database],
      );
      samples.push({ at: Date.now(), loopDelayMaxMs: Math.round(loop.max / 1e6), backends: Object.fromEntries(rows.map((r) => [r.key, Number(r.n)])), inFlight: inFlight() });
      loop.reset();
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await done;
      loop.disable();
      return samples;
    },
  };
}

/** PostgreSQL's own log lines (checkpoints, autovacuum) between two instants, when the log is readable here. */
export function postgresLogBetween(fromMs: number, toMs: number, file = process.env.BENCH_PG_LOG ?? "/var/log/postgresql/postgresql-15-main.log"): string[] {
  try {
    return readFileSync(file, "utf8")
      .split("\n")
      .filter((line) => {
        const at = Date.parse(line.slice(0, 23).replace(" ", "T") + "Z");
        return Number.isFinite(at) && at >= fromMs && at <= toMs;
      });
  } catch {
    return [];
  }
}
