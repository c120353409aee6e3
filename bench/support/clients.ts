// A socket.io client process: opens many sockets to the web process (as the browser would, with
// a next-auth session cookie), records when each event reaches each socket, and reports the
// arrivals to bench/live.ts when asked. bench/live.ts forks one or two of these so that the
// clients' own CPU does not sit on the driver's or the server's event loop.
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "~/shared/realtime";
import { processStatsSampler } from "./process-stats";
import { clockSkewMs, now, type Deliveries, type FromClients, type SocketSpec, type ToClients } from "./protocol";

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const sampler = processStatsSampler(100);
const sockets = new Map<string, { socket: ClientSocket; spec: SocketSpec }[]>();
const deliveries = new Map<string, Deliveries>();
const other: Record<string, number> = {};
let disconnects = 0;
let closing = false;

function send(msg: FromClients) {
  process.send?.(msg);
}

function record(event: string, id: string, at: number, spec: SocketSpec) {
  const t = now();
  const key = `${event}|${id}`;
  let d = deliveries.get(key);
  if (!d) deliveries.set(key, (d = { agents: 0, customers: [], t: [], at }));
  d.t.push(t);
  if (spec.kind === "agent") d.agents++;
  else d.customers.push(spec.userId);
}

function open(url: string, spec: SocketSpec): Promise<ClientSocket> {
  return new Promise((resolve, reject) => {
    const socket: ClientSocket = io(url, {
      path: "/socket.io",
      // Straight to WebSocket (a browser starts with polling and upgrades; the steady state is the same).
      transports: ["websocket"],
      forceNew: true,
      reconnection: false,
      timeout: 20_000,
      extraHeaders: { cookie: spec.cookie },
    });
    socket.on("ticket:created", (h) => record("ticket:created", h.ticketId, h.at, spec));
    socket.on("message:created", (h) => record("message:created", h.messageId, h.at, spec));
    socket.on("ticket:updated", () => void (other["ticket:updated"] = (other["ticket:updated"] ?? 0) + 1));
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (err) => {
      socket.close();
      reject(err);
    });
    socket.on("disconnect", () => {
      if (!closing) disconnects++;
    });
  });
}

async function connectAll(url: string, specs: SocketSpec[], concurrency: number) {
  const started = now();
  let next = 0;
  let ok = 0;
  const errors: string[] = [];
  async function lane() {
    while (next < specs.length) {
      const spec = specs[next++]!;
      try {
        const socket = await open(url, spec);
        const list = sockets.get(spec.userId) ?? [];
        list.push({ socket, spec });
        sockets.set(spec.userId, list);
        ok++;
      } catch (err) {
        if (errors.length < 5) errors.push((err as Error).message);
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, lane));
  send({ type: "connected", ok, failed: specs.length - ok, errors, ms: Math.round(now() - started) });
}

async function joinAll(joins: { userId: string; ticketId: string }[]) {
  let ok = 0;
  const errors: string[] = [];
  await Promise.all(
    joins.map(async ({ userId, ticketId }) => {
      for (const { socket } of sockets.get(userId) ?? []) {
        try {
          const ack = await socket.timeout(10_000).emitWithAck("ticket:join", ticketId);
          if (ack.status === "ok") ok++;
          else if (errors.length < 5) errors.push(`${ticketId}: ${ack.code}`);
        } catch (err) {
          if (errors.length < 5) errors.push(`${ticketId}: ${(err as Error).message}`);
        }
      }
    }),
  );
  send({ type: "joined", ok, failed: joins.length - ok, errors });
}

function closeAll() {
  closing = true;
  for (const list of sockets.values()) for (const { socket } of list) socket.close();
  sampler.stop();
  setTimeout(() => process.exit(0), 200).unref();
}

process.on("message", (msg: ToClients) => {
  const run = async () => {
    switch (msg.type) {
      case "connect":
        return connectAll(msg.url, msg.sockets, msg.concurrency);
      case "join":
        return joinAll(msg.joins);
      case "collect": {
        const out: Record<string, Deliveries> = {};
        for (const [k, d] of deliveries) out[k] = { ...d, t: d.t.map((x) => Math.round(x * 1000) / 1000) };
        return send({ type: "report", deliveries: out, other, disconnects, stats: sampler.mark(), clockSkewMs: clockSkewMs() });
      }
      case "close":
        return closeAll();
    }
  };
  run().catch((err: Error) => send({ type: "error", message: err.stack ?? err.message }));
});
process.on("disconnect", () => {
  closing = true;
  process.exit(0);
});
