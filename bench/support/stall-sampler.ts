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
  /**
   * CPU used since the start: by the database's backends (read from /proc at each sample, so a
   * backend that exits loses at most its last interval) and by this process (timers, BullMQ, the bench).
   */
  cpu(): { postgresMs: number; nodeMs: number };
}

/** CPU time (ms) a process has used so far, from /proc (Linux; null elsewhere or once it has exited). */
function procCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime, fields 14 and 15 of stat(5), in clock ticks (100 a second here).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

/** Samples until stopped; one extra connection (`client`) reads pg_stat_activity for `database`. */
export function startStallSampler(client: pg.Client, database: string, inFlight: () => number, everyMs = 250): StallSampler {
  const samples: StallSample[] = [];
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  let running = true;
  // CPU of the database's backends (but the sampler's own): per pid, its first and latest reading.
  const backendCpu = new Map<number, { first: number; last: number }>();
  const nodeCpuStart = process.cpuUsage();
  let sampledFirst = false;
  const done = (async () => {
    while (running) {
      const { rows } = await client.query<{ key: string; n: string; pids: number[] }>(
        `SELECT state || COALESCE(':' || wait_event_type || ':' || wait_event, '') AS key, count(*) AS n, array_agg(pid) AS pids
         FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() GROUP BY 1`,
        [database],
      );
      for (const pid of rows.flatMap((r) => r.pids)) {
        const ms = procCpuMs(pid);
        if (ms === null) continue;
        const seen = backendCpu.get(pid);
        // A backend already there at the first sample counts from then; a later one from its start.
        if (!seen) backendCpu.set(pid, { first: sampledFirst ? 0 : ms, last: ms });
        else seen.last = ms;
      }
      sampledFirst = true;
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
    cpu() {
      const node = process.cpuUsage(nodeCpuStart);
      return {
        postgresMs: Math.round([...backendCpu.values()].reduce((sum, b) => sum + b.last - b.first, 0)),
        nodeMs: Math.round((node.user + node.system) / 1000),
      };
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
