// Reading other processes from the outside (Linux /proc): memory and CPU of the workers process,
// which bench/mail.ts runs unmodified and so cannot ask to report on itself.
import { readFileSync, readdirSync, writeFileSync } from "node:fs";

/** /proc reports CPU in USER_HZ ticks, which Linux fixes at 100 per second for user space. */
const TICK_MS = 10;
const KB = 1024;
const MB = 1024 * 1024;

export interface MemSample {
  /** Resident set size now (VmRSS), MB. */
  rssMb: number;
  /** The kernel's high-water mark of the RSS (VmHWM), MB; reset by resetPeakRss. */
  hwmMb: number;
}

export function readMem(pid: number): MemSample | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
    return { rssMb: (kb("VmRSS") * KB) / MB, hwmMb: (kb("VmHWM") * KB) / MB };
  } catch {
    return null;
  }
}

/** user + system CPU time the process has used, ms (its threads included, children not). */
export function readCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may contain spaces and parentheses: fields start after the last ")".
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(rest[11]) + Number(rest[12])) * TICK_MS;
  } catch {
    return null;
  }
}

/**
 * Whole-machine CPU since boot (all cores), ms: busy, total, and the part spent in interrupts
 * (softirq carries loopback TCP between the processes; no process is charged for it).
 */
export function readSystemCpu(): { busyMs: number; totalMs: number; irqMs: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n", 1)[0]!;
  // user nice system idle iowait irq softirq steal guest guest_nice (guest time is already in user)
  const v = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = v.reduce((a, b) => a + b, 0);
  const idle = (v[3] ?? 0) + (v[4] ?? 0); // idle + iowait
  return { busyMs: (total - idle) * TICK_MS, totalMs: total * TICK_MS, irqMs: ((v[5] ?? 0) + (v[6] ?? 0)) * TICK_MS };
}

/** Summed CPU (ms) of the live processes whose command name is one of `names` (e.g. postgres, redis-server). */
export function cpuByCommand(names: string[]): Record<string, number> {
  const out: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((d) => /^\d+$/.test(d));
  } catch {
    return out;
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      if (!(comm in out)) continue;
      const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      out[comm]! += (Number(rest[11]) + Number(rest[12])) * TICK_MS;
    } catch {
      // the process ended between the listing and the read
    }
  }
  return out;
}

/** Resets the kernel's VmHWM of `pid` to its current RSS (`echo 5 > /proc/<pid>/clear_refs`). */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

/** The live direct children of `pid` (a cluster's workers). */
export function childPids(pid: number): number[] {
  const out: number[] = [];
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid) out.push(Number(d));
    } catch {
      // ended between the listing and the read
    }
  }
  return out;
}
