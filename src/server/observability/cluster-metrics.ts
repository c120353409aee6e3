import cluster from "node:cluster";
import { randomUUID } from "node:crypto";
import { AggregatorRegistry, type Registry } from "prom-client";

const ASK = "vt:cluster-metrics?";
const ANSWER = "vt:cluster-metrics";
/** Longer than prom-client's own wait for the processes (5 s), so its error, not ours, names a silent one. */
const TIMEOUT_MS = 8000;

type Answer = { type: typeof ANSWER; id: string; text?: string; error?: string };

/**
 * In the primary of a web cluster (WEB_PROCESSES > 1): answers a web process that was scraped with
 * every process's metrics, aggregated by prom-client (counters and histograms summed, gauges by their
 * `aggregator`). A scrape lands on one process; without this it would see only that process's share.
 */
export function aggregateClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on("message", (worker, msg: { type?: string; id?: string }) => {
    if (msg?.type !== ASK || !msg.id) return;
    const id = msg.id;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: ANSWER, id, text } satisfies Answer),
      (err: Error) => worker.send({ type: ANSWER, id, error: err.message } satisfies Answer),
    );
  });
}

/** In a web process: lends `registry` to the primary's aggregation (prom-client's IPC). */
export function joinClusterMetrics(registry: Registry): void {
  if (!cluster.isWorker) return;
  new AggregatorRegistry(); // installs the worker's side of prom-client's IPC
  AggregatorRegistry.setRegistries([registry]);
}

/** The text for one scrape: this process's registry, or the whole cluster's when this is one of its web processes. */
export function scrapeText(registry: Registry): Promise<string> {
  if (!cluster.isWorker || !process.send) return registry.metrics();
  const id = randomUUID();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error("the cluster's metrics did not come in time")), TIMEOUT_MS);
    const onMessage = (msg: Answer) => {
      if (msg?.type === ANSWER && msg.id === id) done(msg.error ? new Error(msg.error) : null, msg.text);
    };
    const done = (err: Error | null, text?: string) => {
      clearTimeout(timer);
      process.off("message", onMessage);
      if (err) reject(err);
      else resolve(text ?? "");
    };
    process.on("message", onMessage);
    process.send!({ type: ASK, id });
  });
}
