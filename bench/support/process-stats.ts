import { monitorEventLoopDelay } from "node:perf_hooks";
import type { ProcessStats } from "./protocol";

const MB = 1024 * 1024;
const round = (n: number) => Math.round(n * 10) / 10;

/** Samples this process's RSS every 100 ms and keeps CPU and event-loop delay per window. */
export function processStatsSampler(intervalMs = 100) {
  let peak = process.memoryUsage.rss();
  let peakWindow = peak;
  let cpu = process.cpuUsage();
  let wall = performance.now();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const timer = setInterval(() => {
    const rss = process.memoryUsage.rss();
    if (rss > peak) peak = rss;
    if (rss > peakWindow) peakWindow = rss;
  }, intervalMs);
  timer.unref();

  return {
    /** Stats since the previous mark; starts a new window. */
    mark(): ProcessStats {
      const rss = process.memoryUsage.rss();
      peak = Math.max(peak, rss);
      peakWindow = Math.max(peakWindow, rss);
      const used = process.cpuUsage(cpu);
      const t = performance.now();
      const stats: ProcessStats = {
        rssMb: round(rss / MB),
        peakWindowMb: round(peakWindow / MB),
        peakMb: round(peak / MB),
        maxRssMb: round((process.resourceUsage().maxRSS * 1024) / MB),
        heapUsedMb: round(process.memoryUsage().heapUsed / MB),
        cpuUserMs: Math.round(used.user / 1000),
        cpuSystemMs: Math.round(used.system / 1000),
        wallMs: Math.round(t - wall),
        eventLoop: {
          p50Ms: round(loop.percentile(50) / 1e6),
          p99Ms: round(loop.percentile(99) / 1e6),
          maxMs: round(loop.max / 1e6),
        },
      };
      peakWindow = rss;
      cpu = process.cpuUsage();
      wall = t;
      loop.reset();
      return stats;
    },
    stop() {
      clearInterval(timer);
      loop.disable();
    },
  };
}
