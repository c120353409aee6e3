export interface Summary {
  n: number;
  min: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

const r2 = (n: number) => Math.round(n * 100) / 100;

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function summarize(values: number[]): Summary {
  if (values.length === 0) return { n: 0, min: NaN, mean: NaN, p50: NaN, p95: NaN, p99: NaN, max: NaN };
  const s = Float64Array.from(values).sort();
  const arr = Array.from(s);
  let sum = 0;
  for (const v of arr) sum += v;
  return {
    n: arr.length,
    min: r2(arr[0]!),
    mean: r2(sum / arr.length),
    p50: r2(percentile(arr, 50)),
    p95: r2(percentile(arr, 95)),
    p99: r2(percentile(arr, 99)),
    max: r2(arr[arr.length - 1]!),
  };
}

export function fmtMs(v: number): string {
  if (!Number.isFinite(v)) return "—";
  return v >= 100 ? v.toFixed(0) : v.toFixed(1);
}

/** A plain-text table with right-aligned numeric columns. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  const sep = widths.map((w) => "─".repeat(w)).join("  ");
  return [line(cells[0]!), sep, ...cells.slice(1).map(line)].join("\n");
}
