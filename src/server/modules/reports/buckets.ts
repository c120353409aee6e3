// Duration buckets of ReportDaily's histograms: bucket 1 is under a minute, then each bound is 1.25×
// the last (the same bounds as report_bucket() in migration 20261207130000_reports). A percentile read
// from them is off by at most a quarter of its value, far less in practice (linear within a bucket).

export const BUCKET_BOUNDS_MS: readonly number[] = Array.from({ length: 59 }, (_, k) => Math.round(60_000 * 1.25 ** k));
export const BUCKETS = BUCKET_BOUNDS_MS.length + 1;

/** [low, high) of bucket b (1-based); the last one reaches a quarter past its low bound. */
export function bucketRange(b: number): [number, number] {
  const low = b === 1 ? 0 : BUCKET_BOUNDS_MS[b - 2]!;
  const high = b === BUCKETS ? low * 1.25 : BUCKET_BOUNDS_MS[b - 1]!;
  return [low, high];
}

/** The q-quantile (0..1) of the durations a histogram counts, linear inside the bucket it falls in; null when empty. */
export function percentileFromHistogram(hist: readonly number[], q: number): number | null {
  const total = hist.reduce((n, c) => n + c, 0);
  if (total <= 0) return null;
  // The same rank as percentile_cont: q·(n−1) over the sorted values, counted from 0.
  const rank = q * (total - 1);
  let before = 0;
  for (let i = 0; i < hist.length; i++) {
    const count = hist[i]!;
    if (count > 0 && rank < before + count) {
      const [low, high] = bucketRange(i + 1);
      return Math.round(low + ((high - low) * (rank - before + 0.5)) / count);
    }
    before += count;
  }
  return Math.round(bucketRange(hist.length)[0]);
}
