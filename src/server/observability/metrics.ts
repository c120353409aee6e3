import type { Queue } from "bullmq";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { joinClusterMetrics } from "./cluster-metrics";

export const QUEUE_STATES = ["waiting", "active", "delayed", "failed"] as const;

export type MailChannel = "smtp" | "imap";

/** What a metrics registry samples on scrape: the web process's queues and socket.io server. */
export interface MetricsSources {
  queues?: Queue[];
  sockets?: { engine: { clientsCount: number } };
}

export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<"method" | "route" | "status">;
  mailsReceived: Counter<"channel">;
  mailsRefused: Counter<"channel" | "reason">;
}

/** The onReceived / onRefused callbacks of a mail intake (inbound-smtp.ts, imap-poller.ts), counting into `metrics`. */
export function countMailIntake(metrics: Metrics, channel: MailChannel) {
  return {
    onReceived: () => metrics.mailsReceived.inc({ channel }),
    onRefused: (reason: string) => metrics.mailsRefused.inc({ channel, reason }),
  };
}

/**
 * One registry per process (never prom-client's global one, so a test can build several). The web
 * process serves it at /metrics. The workers process builds its own for the mail counters; it has no
 * HTTP listener, so those are not scraped yet: a /metrics listener in workers/index.ts serving that
 * registry (it holds the same queues too) is where worker-process metrics would go.
 */
export function createMetrics(sources: MetricsSources = {}): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const httpDuration = new Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request latency by method, route (tRPC procedure, fixed API route name, page or static) and status class.",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const mailsReceived = new Counter({ name: "mails_received_total", help: "Inbound mails stored, by channel.", labelNames: ["channel"] as const, registers });
  const mailsRefused = new Counter({ name: "mails_refused_total", help: "Inbound mails refused, by channel and reason.", labelNames: ["channel", "reason"] as const, registers });

  const { queues = [], sockets } = sources;
  if (sockets) {
    new Gauge({
      name: "sockets_connected",
      help: "socket.io clients connected (summed over the web processes).",
      registers,
      collect() {
        this.set(sockets.engine.clientsCount);
      },
    });
  }
  if (queues.length) {
    new Gauge({
      name: "bullmq_queue_jobs",
      help: "Jobs per BullMQ queue and state.",
      labelNames: ["queue", "state"] as const,
      registers,
      // Every web process sees the same queues: a cluster's scrape takes one reading, not their sum.
      aggregator: "max",
      async collect() {
        this.reset();
        // A queue Redis cannot answer for is left out of this scrape rather than failing all of it.
        await Promise.all(
          queues.map(async (q) => {
            const counts = await q.getJobCounts(...QUEUE_STATES).catch(() => null);
            if (counts) for (const state of QUEUE_STATES) this.set({ queue: q.name, state }, counts[state] ?? 0);
          }),
        );
      },
    });
    new Gauge({
      name: "bullmq_queue_oldest_waiting_seconds",
      help: "Age of the oldest waiting job per BullMQ queue (0 when none waits).",
      labelNames: ["queue"] as const,
      registers,
      aggregator: "max",
      async collect() {
        this.reset();
        const now = Date.now();
        await Promise.all(
          queues.map(async (q) => {
            const oldest = await q.getJobs(["wait"], 0, 0, true).catch(() => null);
            if (oldest) this.set({ queue: q.name }, oldest[0] ? Math.max(0, (now - oldest[0].timestamp) / 1000) : 0);
          }),
        );
      },
    });
  }

  joinClusterMetrics(registry);
  return {
    registry,
    httpDuration,
    mailsReceived,
    mailsRefused,
  };
}
