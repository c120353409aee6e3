// Messages exchanged over IPC between bench/live.ts (the orchestrator and driver) and its children:
// bench/support/server.ts (the web process) and bench/support/clients.ts (socket.io clients).

/** Wall-clock time in ms with sub-ms resolution; comparable across processes on one machine. */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * How far now() has drifted from Date.now() in this process (ms; ~0 when the system clock was not
 * stepped or slewed during the run). Date.now() truncates to whole ms, hence the 0.5 correction.
 */
export function clockSkewMs(): number {
  let sum = 0;
  for (let i = 0; i < 50; i++) sum += now() - Date.now();
  return Math.round((sum / 50 - 0.5) * 100) / 100;
}

export interface BroadcastStats {
  /** Broadcasts (io.to(rooms).emit) in the window and the synchronous time each took on the event loop. */
  n: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface ProcessStats {
  /** Resident set size when the stats were taken. */
  rssMb: number;
  /** Highest RSS sampled (every 100 ms) since the previous mark. */
  peakWindowMb: number;
  /** Highest RSS sampled since the process started. */
  peakMb: number;
  /** The kernel's own high-water mark (getrusage ru_maxrss): catches peaks between samples. */
  maxRssMb: number;
  heapUsedMb: number;
  /** CPU time used since the previous mark, and the wall time it was spread over. */
  cpuUserMs: number;
  cpuSystemMs: number;
  wallMs: number;
  /** Event-loop delay since the previous mark (perf_hooks histogram, 10 ms resolution floor). */
  eventLoop: { p50Ms: number; p99Ms: number; maxMs: number };
}

// ── web process ───────────────────────────────────────────────────────────────────────────────
export type ToServer = { type: "mark"; label: string } | { type: "stop" };
export type FromServer =
  | { type: "ready"; port: number; url: string; stats: ProcessStats }
  | { type: "mark"; label: string; stats: ProcessStats; sockets: number; broadcast: BroadcastStats; clockSkewMs: number }
  | { type: "stopped"; stats: ProcessStats }
  | { type: "error"; message: string };

// ── socket.io client processes ───────────────────────────────────────────────────────────────
export interface SocketSpec {
  userId: string;
  cookie: string;
  kind: "agent" | "customer";
}

export type ToClients =
  | { type: "connect"; url: string; sockets: SocketSpec[]; concurrency: number }
  | { type: "join"; joins: { userId: string; ticketId: string }[] }
  | { type: "collect" }
  | { type: "close" };

/** Every delivery of one event (key `event|id`) in one client process. */
export interface Deliveries {
  /** How many agent sockets received it. */
  agents: number;
  /** Customer user ids whose socket received it. */
  customers: string[];
  /** Arrival times (see now()), one per receiving socket. */
  t: number[];
  /** The `at` the server stamped on the event. */
  at: number;
}

export type FromClients =
  | { type: "connected"; ok: number; failed: number; errors: string[]; ms: number }
  | { type: "joined"; ok: number; failed: number; errors: string[] }
  | {
      type: "report";
      deliveries: Record<string, Deliveries>;
      /** Events of other kinds (e.g. ticket:updated), which this workload should not cause. */
      other: Record<string, number>;
      disconnects: number;
      stats: ProcessStats;
      clockSkewMs: number;
    }
  | { type: "error"; message: string };
