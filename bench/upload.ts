// `npm run bench:upload`: one message's worth of attachments (20 MB, the limit) uploaded to
// POST /api/uploads on loopback, against a real web process, one upload at a time.
//
//   1. its own database (ventanilla_bench_upload): created, migrated, emptied; one customer
//   2. the web process: bench/support/server.ts (the real startServer: tRPC, uploads, socket.io; no
//      Next.js, which the upload route never reaches), NODE_ENV=production, its blob store in a
//      temporary directory, spawned as a child so its RSS is read from outside (/proc/<pid>/status)
//   3. warm-up: one small upload and `warmup` 20 MB ones, not counted
//   4. `runs` uploads of 20 MB, each timed from the first byte sent to the answer read; the web
//      process's VmRSS sampled every `sample-ms` throughout
//
// Targets (issue 14): p95 < 1 s, and the web process's RSS growing < 30 MB (peak during the runs
// minus the RSS after warm-up): the file streams to disk, it is never held whole in memory.
// Results: bench/results/upload-<date>.json. Flags: --help.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { encode } from "next-auth/jwt";
import { ATTACHMENTS_MAX_BYTES } from "~/shared/attachments";
import { BENCH_SECRET, benchAppEnv } from "./support/app-env";
import { prepareDatabase } from "./support/db";
import { assertLoopback, parseBenchFlags } from "./support/flags";
import { gitCommit } from "./support/git";
import { cleanRedis, freePort } from "./support/local";
import { readMem, resetPeakRss } from "./support/proc";
import { fmtMs, summarize, table } from "./support/stats";

const ROOT = path.resolve(import.meta.dirname, "..");
const TARGET_P95_MS = 1000;
const TARGET_RSS_GROWTH_MB = 30;

const flags = parseBenchFlags(process.argv.slice(2), {
  defaults: { runs: 20, warmup: 2, "sample-ms": 10, bytes: ATTACHMENTS_MAX_BYTES },
  switches: ["strict"] as const,
  strings: ["out"] as const,
  usage: "npm run bench:upload -- [--flag=value …]",
  help:
    "  --out=bench/results/upload-<date>.json  --strict (exit 1 when a target is missed)\n" +
    "env: BENCH_UPLOAD_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/ventanilla_bench_upload), REDIS_URL",
});
if (flags.runs < 10) throw new Error("--runs must be at least 10 for a p95");
const DATABASE_URL = process.env.BENCH_UPLOAD_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/ventanilla_bench_upload";
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const REDIS_PREFIX = "vt-bench-upload";
assertLoopback(DATABASE_URL, REDIS_URL);

const t0 = performance.now();
const log = (line: string) => process.stderr.write(`[bench ${((performance.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${line}\n`);
const r1 = (n: number) => Math.round(n * 10) / 10;

interface Web {
  proc: ChildProcess;
  pid: number;
  url: string;
}

async function startWeb(storage: string): Promise<Web> {
  const port = await freePort();
  const proc = spawn(process.execPath, ["--import", "tsx", "bench/support/server.ts"], {
    cwd: ROOT,
    env: benchAppEnv(
      { databaseUrl: DATABASE_URL, redisUrl: REDIS_URL, redisPrefix: REDIS_PREFIX },
      { HOST: "127.0.0.1", PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, NEXTAUTH_URL: `http://127.0.0.1:${port}`, STORAGE_DIR: storage },
    ),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const ready = new Promise<void>((resolve, reject) => {
    for (const stream of [proc.stdout!, proc.stderr!]) {
      createInterface({ input: stream }).on("line", (line) => {
        if (/"type":"ready"/.test(line)) resolve();
        else if (!/"type":"(mark|stopped)"/.test(line)) process.stderr.write(`  [web] ${line}\n`);
      });
    }
    proc.once("exit", (code) => reject(new Error(`web process exited (${code}) before it was listening`)));
    setTimeout(() => reject(new Error("web process not listening within 120 s")), 120_000).unref();
  });
  await ready;
  return { proc, pid: proc.pid!, url: `http://127.0.0.1:${port}` };
}

/** One multipart upload of `file`, streamed from memory in 64 KB writes; ms until the answer is read. */
function upload(web: Web, cookie: string, file: Buffer, name: string): Promise<{ ms: number; status: number; body: string }> {
  const boundary = `----vtbench${randomUUID()}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const req = request(`${web.url}/api/uploads`, {
      method: "POST",
      agent: false,
      headers: {
        origin: web.url,
        cookie,
        "content-type": `multipart/form-data; boundary=${boundary}`,
        "content-length": String(head.length + file.length + tail.length),
      },
    });
    req.on("response", (res) => {
      let body = "";
      res.on("data", (d: Buffer) => (body += d.toString()));
      res.on("end", () => resolve({ ms: performance.now() - start, status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.write(head);
    let offset = 0;
    const pump = () => {
      while (offset < file.length) {
        const chunk = file.subarray(offset, offset + 64 * 1024);
        offset += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      req.end(tail);
    };
    pump();
  });
}

/** Samples the process's VmRSS every `ms` until stopped: the peak and every sample. */
function rssSampler(pid: number, ms: number) {
  let peak = 0;
  const timer = setInterval(() => {
    const m = readMem(pid);
    if (m && m.rssMb > peak) peak = m.rssMb;
  }, ms);
  return {
    peak: () => peak,
    stop: () => clearInterval(timer),
  };
}

function dirBytes(dir: string): number {
  let sum = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) sum += statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return sum;
}

async function main() {
  const commit = gitCommit(ROOT);
  log(`database ${new URL(DATABASE_URL).pathname.slice(1)}: migrate, empty`);
  const client = await prepareDatabase(DATABASE_URL);
  const customerId = `bench-upload-${randomUUID().slice(0, 8)}`;
  await client.query(`INSERT INTO "User" (id, email, name, role, locale, "updatedAt") VALUES ($1, $2, 'Cliente Bench', 'CUSTOMER', 'es', now())`, [customerId, `${customerId}@bench.test`]);
  const redis = await cleanRedis(REDIS_URL, REDIS_PREFIX, log);
  const cookie = `next-auth.session-token=${await encode({ token: { sub: customerId }, secret: BENCH_SECRET, maxAge: 3600 })}`;

  const storage = mkdtempSync(path.join(os.tmpdir(), "ventanilla-bench-upload-"));
  const web = await startWeb(storage);
  log(`web process ${web.pid} at ${web.url}; rss ${r1(readMem(web.pid)?.rssMb ?? Number.NaN)} MB`);
  const stopWeb = () => new Promise<void>((resolve) => {
    if (web.proc.exitCode !== null) return resolve();
    web.proc.once("exit", () => resolve());
    web.proc.kill("SIGTERM");
  });

  try {
    // Random bytes: nothing on the way can compress or dedupe them.
    const file = randomBytes(flags.bytes);
    const rssAtStart = readMem(web.pid)!.rssMb;
    const small = await upload(web, cookie, randomBytes(4096), "calentamiento.bin");
    if (small.status !== 200) throw new Error(`warm-up upload answered ${small.status}: ${small.body}`);
    // Code loaded, pools and prepared statements made: what the first upload of the process costs, apart.
    const rssAfterSmall = readMem(web.pid)!.rssMb;
    for (let i = 0; i < flags.warmup; i++) {
      const w = await upload(web, cookie, file, `calentamiento-${i}.bin`);
      if (w.status !== 200) throw new Error(`warm-up upload answered ${w.status}: ${w.body}`);
    }
    // Let the warm-up's garbage go before the baseline is read.
    await new Promise((r) => setTimeout(r, 1000));
    const before = readMem(web.pid)!;
    resetPeakRss(web.pid);
    const sampler = rssSampler(web.pid, flags["sample-ms"]);
    const times: number[] = [];
    const rssAfterEach: number[] = [];
    for (let i = 0; i < flags.runs; i++) {
      const res = await upload(web, cookie, file, `adjunto-${i}.bin`);
      if (res.status !== 200) throw new Error(`upload ${i} answered ${res.status}: ${res.body}`);
      const staged = (JSON.parse(res.body) as { uploads: { size: number }[] }).uploads[0]!;
      if (staged.size !== file.length) throw new Error(`upload ${i} stored ${staged.size} bytes of ${file.length}`);
      times.push(res.ms);
      rssAfterEach.push(r1(readMem(web.pid)!.rssMb));
    }
    sampler.stop();
    await new Promise((r) => setTimeout(r, 1000));
    const after = readMem(web.pid)!;
    const kernelPeak = after.hwmMb;
    const peak = Math.max(sampler.peak(), kernelPeak);
    const stored = dirBytes(storage);
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "StagedUpload"`);

    const ms = summarize(times);
    const growth = peak - before.rssMb;
    const checks = {
      p95UnderTarget: ms.p95 < TARGET_P95_MS,
      rssGrowthUnderTarget: growth < TARGET_RSS_GROWTH_MB,
      everyUploadStoredWhole: stored === 4096 + (flags.warmup + flags.runs) * file.length,
      rowsRecorded: Number(rows[0]!.n) === 1 + flags.warmup + flags.runs,
    };
    const results = {
      benchmark: "upload",
      date: new Date().toISOString(),
      commit,
      machine: { loadAverageAtEnd: os.loadavg().map(r1), cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? "?", memoryGb: Math.round(os.totalmem() / 1e9), node: process.version, platform: `${os.platform()} ${os.release()}` },
      config: { ...flags, database: new URL(DATABASE_URL).pathname.slice(1), redisPrefix: REDIS_PREFIX, mb: r1(flags.bytes / 1024 / 1024) },
      web: { command: "NODE_ENV=production node --import tsx bench/support/server.ts", pid: web.pid },
      uploadMs: { ...ms, runs: times.map((t) => Math.round(t)) },
      throughputMBps: r1(flags.bytes / 1024 / 1024 / (ms.p50 / 1000)),
      rssMb: {
        atStart: r1(rssAtStart),
        afterSmallWarmup: r1(rssAfterSmall),
        beforeRuns: r1(before.rssMb),
        peakDuringRuns: r1(peak),
        kernelPeakDuringRuns: r1(kernelPeak),
        afterRuns: r1(after.rssMb),
        growth: r1(growth),
        afterEach: rssAfterEach,
      },
      targets: { p95Ms: TARGET_P95_MS, rssGrowthMb: TARGET_RSS_GROWTH_MB },
      checks,
    };

    console.log(
      `\nUPLOAD ${results.config.mb} MB to POST /api/uploads, loopback, one at a time, ${flags.runs} runs after ${flags.warmup} warm-up (${commit ?? "?"})\n` +
        table(
          ["", "n", "min", "p50", "p95", "max", "MB/s at p50"],
          [["ms", ms.n, fmtMs(ms.min), fmtMs(ms.p50), fmtMs(ms.p95), fmtMs(ms.max), results.throughputMBps]],
        ) +
        `\nweb RSS: ${results.rssMb.atStart} MB at start, ${results.rssMb.afterSmallWarmup} MB after a 4 KB upload, ${results.rssMb.beforeRuns} MB after the 20 MB warm-up (before the runs), peak ${results.rssMb.peakDuringRuns} MB ` +
        `(kernel VmHWM ${results.rssMb.kernelPeakDuringRuns} MB), ${results.rssMb.afterRuns} MB after: growth ${results.rssMb.growth} MB\n` +
        `targets: p95 < ${TARGET_P95_MS} ms ${checks.p95UnderTarget ? "MET" : "MISSED"}; RSS growth < ${TARGET_RSS_GROWTH_MB} MB ${checks.rssGrowthUnderTarget ? "MET" : "MISSED"}; ` +
        `stored whole ${checks.everyUploadStoredWhole ? "yes" : "NO"}; rows ${checks.rowsRecorded ? "yes" : "NO"}\n` +
        `machine load average (1/5/15 min) at the end: ${results.machine.loadAverageAtEnd.join(" / ")} on ${results.machine.cpus} cores`,
    );
    const file_ = flags.out ? path.resolve(ROOT, flags.out) : path.join(ROOT, "bench", "results", `upload-${results.date.slice(0, 10)}.json`);
    mkdirSync(path.dirname(file_), { recursive: true });
    writeFileSync(file_, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\nresults: ${path.relative(ROOT, file_)}`);
    if (flags.strict && Object.values(checks).some((ok) => !ok)) process.exitCode = 1;
  } finally {
    await stopWeb();
    await client.end();
    redis.disconnect();
    rmSync(storage, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  log(`failed: ${err.stack ?? err.message}`);
  process.exit(1);
});
