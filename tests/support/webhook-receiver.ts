import { EventEmitter } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedHook {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: { id: string; type: string; occurredAt: string; data: Record<string, any> };
}

/**
 * A webhook receiver on 127.0.0.1: records every request (raw body, headers) and answers what
 * `respond` says (default 200 "ok"). `events` emits "request" on each one.
 */
export async function startReceiver(respond: (hook: ReceivedHook, res: http.ServerResponse) => void = (_h, res) => res.end("ok")) {
  const received: ReceivedHook[] = [];
  const events = new EventEmitter();
  let handler = respond;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      let json: ReceivedHook["json"];
      try {
        json = JSON.parse(body);
      } catch {
        json = { id: "", type: "", occurredAt: "", data: {} };
      }
      const hook = { path: req.url ?? "/", headers: req.headers, body, json };
      received.push(hook);
      handler(hook, res);
      events.emit("request", hook);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: (path = "/hook") => `http://127.0.0.1:${port}${path}`,
    received,
    events,
    respondWith(next: typeof respond) {
      handler = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
