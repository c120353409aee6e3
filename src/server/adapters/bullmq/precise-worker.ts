import { Worker } from "bullmq";

/**
 * A BullMQ worker whose delayed jobs start at their instant, not up to 100 ms later.
 *
 * An idle worker waits for the next delayed job with BZPOPMIN and a timeout ending at its instant.
 * Redis (hz 10) looks at blocked clients' timeouts only when its event loop wakes: on a command from
 * any client, or on its own cron every 100 ms. On a quiet Redis a timer then fires 0–100 ms late
 * (measured: p50 49 ms, p99 108 ms for 20,000 timers doing nothing). So at the instant this worker
 * blocks until (plus 2 ms, and again at 10 ms for a command that reached Redis late), it sends a
 * PING on its own non-blocking connection: Redis wakes, sees the timeout passed and answers the
 * BZPOPMIN, and the worker promotes and takes the job. Only while it is idle: a busy worker asks
 * Redis for its next job itself.
 */
export class PreciseDelayWorker<T = unknown> extends Worker<T> {
  private wakeAt = 0;
  private wakers: NodeJS.Timeout[] = [];

  protected override getBlockTimeout(blockUntil: number): number {
    const timeout = super.getBlockTimeout(blockUntil);
    if (blockUntil > 0 && timeout > 0 && blockUntil !== this.wakeAt) this.wakeUpAt(blockUntil);
    return timeout;
  }

  private wakeUpAt(at: number) {
    for (const w of this.wakers) clearTimeout(w);
    this.wakeAt = at;
    const ping = () => void this.client.then((c) => (c as unknown as { ping(): Promise<unknown> }).ping()).catch(() => {});
    this.wakers = [2, 10].map((after) => {
      const t = setTimeout(ping, Math.max(0, at - Date.now()) + after);
      t.unref();
      return t;
    });
  }

  override async close(force?: boolean): Promise<void> {
    for (const w of this.wakers) clearTimeout(w);
    return super.close(force);
  }
}
