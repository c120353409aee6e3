import pg from "pg";
import type { ChangeFeed } from "~/server/modules/sla/settings-store";

const RETRY_MS = 2000;

/**
 * LISTEN on one PostgreSQL channel over a connection of its own (a pooled one cannot stay
 * listening). While it is down nothing is heard, so `live()` is false; when it comes back every
 * listener is told once, for the changes it may have missed.
 */
export function pgChangeFeed(url: string, channel: string): ChangeFeed & { close(): Promise<void> } {
  let client: pg.Client | null = null;
  let live = false;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;
  const listeners: Array<() => void> = [];
  const tell = () => listeners.forEach((l) => l());

  function reconnectLater() {
    live = false;
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
    const fail = () => {
      if (failed) return;
      failed = true;
      void c.end().catch(() => {});
      reconnectLater();
      tell();
    };
    c.on("error", fail);
    c.on("end", fail);
    c.on("notification", (n) => {
      if (n.channel === channel) tell();
    });
    try {
      await c.connect();
      await c.query(`LISTEN "${channel}"`);
      if (closed) return void (await c.end());
      client = c;
      live = true;
      tell();
    } catch {
      fail();
    }
  }

  let started: Promise<void> | null = null;
  return {
    listen(onChange) {
      listeners.push(onChange);
      return (started ??= connect());
    },
    live: () => live,
    async close() {
      closed = true;
      live = false;
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => {});
    },
  };
}
