import pg from "pg";

const RETRY_MS = 2000;
const BATCH_MS = 5;

/**
 * LISTEN webhook_deliveries (the staging triggers NOTIFY each delivery's id on commit) and hand the
 * ids to `enqueue`, a few milliseconds' worth at a time. On every (re)connection `onConnected` runs:
 * notifications sent while nobody listened are lost, so the caller reconciles then.
 */
export function listenForWebhookDeliveries(url: string, enqueue: (ids: string[]) => Promise<void>, onConnected: () => Promise<unknown>, onError: (err: unknown) => void) {
  let client: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;
  let pending: string[] = [];
  let flushTimer: NodeJS.Timeout | null = null;

  const flush = () => {
    flushTimer = null;
    const ids = pending;
    pending = [];
    enqueue(ids).catch(onError);
  };

  function reconnectLater() {
    client = null;
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = null;
      void connect();
    }, RETRY_MS);
    retry.unref();
  }

  async function connect(): Promise<void> {
    const c = new pg.Client({ connectionString: url });
    let failed = false;
    const fail = (err?: unknown) => {
      if (failed) return;
      failed = true;
      if (err && !closed) onError(err);
      void c.end().catch(() => {});
      reconnectLater();
    };
    c.on("error", fail);
    c.on("end", () => fail());
    c.on("notification", (n) => {
      if (n.channel !== "webhook_deliveries" || !n.payload) return;
      pending.push(n.payload);
      flushTimer ??= setTimeout(flush, BATCH_MS);
    });
    try {
      await c.connect();
      await c.query(`LISTEN "webhook_deliveries"`);
      if (closed) return void (await c.end());
      client = c;
      await onConnected().catch(onError);
    } catch (err) {
      fail(err);
    }
  }

  const started = connect();
  return {
    started,
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      if (flushTimer) {
        clearTimeout(flushTimer);
        flush();
      }
      await client?.end().catch(() => {});
    },
  };
}
