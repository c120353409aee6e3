// Summarises a V8 .cpuprofile (written by `node --cpu-prof`) into self time per package / source
// file and the hottest functions, so a benchmark run can say where a process spent its CPU.
import { readFileSync } from "node:fs";
import path from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  file: string;
  /** Wall time the profile covers and the sampled time that was not idle, ms. */
  wallMs: number;
  busyMs: number;
  /** Self time by where the code lives: an npm package, an app source file, node internals, GC. */
  byArea: { area: string; ms: number; pct: number }[];
  /**
   * The same, with the time of native code and node internals (socket and file writes, hashing,
   * buffers) charged to the package or app file that called them: who causes the work.
   */
  byCaller: { area: string; ms: number; pct: number }[];
  /** Time under each app function (src/, workers/) nearest to the sampled frame: the pipeline's steps. */
  byAppFunction: { fn: string; ms: number; pct: number }[];
  topFunctions: { fn: string; where: string; ms: number; pct: number }[];
}

function areaOf(url: string, functionName: string, root: string): string {
  if (!url) {
    if (functionName === "(garbage collector)") return "(garbage collector)";
    if (functionName === "(idle)") return "(idle)";
    if (functionName === "(program)") return "(program: native, not JS)";
    return "(native)";
  }
  if (url.startsWith("node:")) return "node internals";
  // WebAssembly (Prisma's query compiler): charged to its JS caller in byCaller.
  if (url.startsWith("wasm://")) return "(wasm)";
  const file = url.startsWith("file://") ? decodeURIComponent(new URL(url).pathname) : url;
  const nm = file.lastIndexOf("/node_modules/");
  if (nm >= 0) {
    const parts = file.slice(nm + "/node_modules/".length).split("/");
    return parts[0]!.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  return path.relative(root, file);
}

export function summarizeCpuProfile(file: string, root: string, top = 20): ProfileSummary {
  const prof = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const areaCache = new Map<number, string>();
  const areaOfNode = (id: number) => {
    let a = areaCache.get(id);
    if (a === undefined) {
      const f = byId.get(id)!.callFrame;
      a = areaOf(f.url, f.functionName, root);
      areaCache.set(id, a);
    }
    return a;
  };
  const isLow = (a: string) => a === "(native)" || a === "node internals" || a === "(program: native, not JS)" || a === "(wasm)";
  const isApp = (a: string) => !a.startsWith("(") && a !== "node internals" && (a.startsWith("src/") || a.startsWith("workers/") || a.startsWith("bench/"));
  const self = new Map<number, number>();
  for (let i = 0; i < prof.samples.length; i++) {
    const id = prof.samples[i]!;
    // timeDeltas[i] is the time since the previous sample, so it belongs to that one; close enough.
    self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0) / 1000);
  }
  const areas = new Map<string, number>();
  const callers = new Map<string, number>();
  const appFns = new Map<string, number>();
  const fns = new Map<string, { fn: string; where: string; ms: number }>();
  let busy = 0;
  for (const [id, ms] of self) {
    const n = byId.get(id)!;
    const { functionName, url, lineNumber } = n.callFrame;
    const area = areaOf(url, functionName, root);
    areas.set(area, (areas.get(area) ?? 0) + ms);
    if (area === "(idle)") continue;
    busy += ms;
    let up: number | undefined = id;
    while (up !== undefined && isLow(areaOfNode(up))) up = parent.get(up);
    const caller = up === undefined ? area : areaOfNode(up);
    callers.set(caller, (callers.get(caller) ?? 0) + ms);
    let app: number | undefined = id;
    while (app !== undefined && !isApp(areaOfNode(app))) app = parent.get(app);
    const appKey = app === undefined ? "(no app frame on the stack: event-loop callbacks, GC, library internals)" : `${byId.get(app)!.callFrame.functionName || "(anonymous)"} (${areaOfNode(app)})`;
    appFns.set(appKey, (appFns.get(appKey) ?? 0) + ms);
    const where = url ? `${area}:${lineNumber + 1}` : area;
    const key = `${functionName}|${where}`;
    const f = fns.get(key) ?? { fn: functionName || "(anonymous)", where, ms: 0 };
    f.ms += ms;
    fns.set(key, f);
  }
  const r = (n: number) => Math.round(n * 10) / 10;
  const pct = (ms: number) => r((ms / Math.max(busy, 1e-9)) * 100);
  return {
    file,
    wallMs: r((prof.endTime - prof.startTime) / 1000),
    busyMs: r(busy),
    byArea: [...areas]
      .filter(([a]) => a !== "(idle)")
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([area, ms]) => ({ area, ms: r(ms), pct: pct(ms) })),
    byCaller: [...callers]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([area, ms]) => ({ area, ms: r(ms), pct: pct(ms) })),
    byAppFunction: [...appFns]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([fn, ms]) => ({ fn, ms: r(ms), pct: pct(ms) })),
    topFunctions: [...fns.values()]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, top)
      .map((f) => ({ ...f, ms: r(f.ms), pct: pct(f.ms) })),
  };
}

/** Several processes' summaries as one: times added up by area, caller, app function and function. */
export function mergeProfileSummaries(list: ProfileSummary[], top = 20): ProfileSummary {
  if (list.length === 1) return list[0]!;
  const busy = list.reduce((n, p) => n + p.busyMs, 0);
  const r = (x: number) => Math.round(x * 10) / 10;
  const pct = (ms: number) => r((ms / Math.max(busy, 1e-9)) * 100);
  function add<T extends { ms: number }>(rows: T[][], key: (row: T) => string, limit: number): (T & { pct: number })[] {
    const sum = new Map<string, T>();
    for (const row of rows.flat()) {
      const k = key(row);
      const seen = sum.get(k);
      sum.set(k, seen ? { ...seen, ms: seen.ms + row.ms } : { ...row });
    }
    return [...sum.values()].sort((a, b) => b.ms - a.ms).slice(0, limit).map((row) => ({ ...row, ms: r(row.ms), pct: pct(row.ms) }));
  }
  return {
    file: list.map((p) => p.file).join(", "),
    wallMs: Math.max(...list.map((p) => p.wallMs)),
    busyMs: r(busy),
    byArea: add(list.map((p) => p.byArea), (x) => x.area, Infinity),
    byCaller: add(list.map((p) => p.byCaller), (x) => x.area, Infinity),
    byAppFunction: add(list.map((p) => p.byAppFunction), (x) => x.fn, Infinity),
    topFunctions: add(list.map((p) => p.topFunctions), (x) => `${x.fn} ${x.where}`, top),
  };
}
