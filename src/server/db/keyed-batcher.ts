/**
 * Callers' keys gathered into shared runs (one statement for many callers), each caller resolving
 * with its own key's result. The SLA timers (sla/timers.ts) and the webhook deliveries' reads and
 * attempt logs (webhooks/delivery-store.ts) use it.
 */
export interface KeyedBatcherOptions<K> {
  /** The most keys in one run. */
  maxBatch: number;
  /** Runs at once; beyond, keys wait, so the runs grow with the load instead of their queue. */
  maxInFlight: number;
  /**
   * "tick": a run leaves once the event loop turns (the keys asked for in the same tick go together).
   * "now": at once while a slot is free (group commit: what is asked during a run goes in the next).
   */
  gather: "tick" | "now";
  /** Keys that may not share a run: the later one waits for the next. */
  apart?: (a: K, b: K) => boolean;
}

/**
 * `run` answers one result per key, in order. A run that throws is tried again one key at a time, so
 * a key that breaks the shared statement fails only its own caller.
 */
export function keyedBatcher<K, R>(run: (keys: K[]) => Promise<Array<PromiseSettledResult<R>>>, opts: KeyedBatcherOptions<K>): (key: K) => Promise<R> {
  type Waiting = { key: K; resolve: (r: R) => void; reject: (err: unknown) => void };
  let waiting: Waiting[] = [];
  let inFlight = 0;
  let scheduled = false;

  async function runBatch(batch: Waiting[]): Promise<void> {
    try {
      const results = await run(batch.map((w) => w.key));
      batch.forEach((w, i) => {
        const r = results[i]!;
        if (r.status === "fulfilled") w.resolve(r.value);
        else w.reject(r.reason);
      });
    } catch (err) {
      if (batch.length === 1) return batch[0]!.reject(err);
      for (const w of batch) await runBatch([w]);
    }
  }

  function take(): Waiting[] {
    const batch: Waiting[] = [];
    const later: Waiting[] = [];
    for (const w of waiting) (batch.length < opts.maxBatch && !(opts.apart && batch.some((b) => opts.apart!(b.key, w.key))) ? batch : later).push(w);
    waiting = later;
    return batch;
  }

  function flush() {
    scheduled = false;
    while (waiting.length && inFlight < opts.maxInFlight) {
      inFlight++;
      void runBatch(take()).finally(() => {
        inFlight--;
        flush();
      });
    }
  }

  return (key) =>
    new Promise<R>((resolve, reject) => {
      waiting.push({ key, resolve, reject });
      if (opts.gather === "now") flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
}

/** Every key's result a success: what a run that throws as a whole (or not at all) answers. */
export const fulfilled = <R>(values: R[]): Array<PromiseSettledResult<R>> => values.map((value) => ({ status: "fulfilled", value }));
