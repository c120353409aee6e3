// Deactivation ends a signed-in agent's access at once, end to end: real HTTP + tRPC, real sockets on
// two server processes joined by the Redis adapter, and the workers' Redis emitter. Nothing mocked.
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "~/env";
import type { AppRouter } from "~/server/api/root";
import { startServer, type RunningServer } from "~/server/http/create-server";
import { rooms } from "~/shared/realtime";
import { transformer } from "~/shared/transformer";
import { createWorkerDeps } from "../workers/bootstrap";
import { db, makeUser, sessionCookie } from "./support/fixtures";
import { connected, openedSockets, openSocket } from "./support/sockets";
import { spawnServerProcess, type SpawnedServer } from "./support/spawn-server-process";
import { eventually, withTimeout } from "./support/wait";

const testEnv = { ...env, PORT: 0, HOST: "127.0.0.1" };
const cleanups: Array<() => Promise<void> | void> = [];
let serverA: RunningServer;
let serverB: SpawnedServer;

function trpc(url: string, cookie: string) {
  return createTRPCClient<AppRouter>({ links: [httpLink({ url: `${url}/api/trpc`, transformer, headers: { cookie } })] });
}

async function refusal(url: string, cookie: string): Promise<string> {
  const { socket } = openSocket(url, cookie);
  return withTimeout(
    new Promise<string>((resolve, reject) => {
      socket.once("connect", () => reject(new Error("the server accepted a deactivated person's socket")));
      socket.once("connect_error", (err) => resolve(err.message));
    }),
    "connect_error",
  );
}

const disconnection = (s: { socket: { once(e: "disconnect", f: (reason: string) => void): unknown } }) => new Promise<string>((resolve) => s.socket.once("disconnect", resolve));

async function person(role: "AGENT" | "ADMIN") {
  const user = await makeUser(role);
  return { user, cookie: await sessionCookie(user.id) };
}

beforeAll(async () => {
  serverA = await startServer({ env: testEnv });
  cleanups.push(() => serverA.close());
  serverB = await spawnServerProcess();
  cleanups.push(() => serverB.stop());
}, 90_000);

afterAll(async () => {
  for (const s of openedSockets) s.disconnect();
  for (const fn of cleanups.reverse()) await fn();
});

describe("deactivating a signed-in agent", () => {
  it("disconnects their sockets on both processes at once, refuses their next request and their reconnection; others stay", async () => {
    const admin = await person("ADMIN");
    const agent = await person("AGENT");
    const colleague = await person("AGENT");
    const onA = await connected(serverA.url, agent.cookie);
    const onB = await connected(serverB.url, agent.cookie);
    const colleagueOnB = await connected(serverB.url, colleague.cookie);
    // Readiness: A sees B's sockets through the adapter.
    await eventually(async () => ((await serverA.io.in(rooms.user(agent.user.id)).fetchSockets()).length === 2 ? true : undefined), "A to see both sockets");
    await expect(trpc(serverB.url, agent.cookie).user.me.query()).resolves.toMatchObject({ id: agent.user.id });

    const goneA = disconnection(onA);
    const goneB = disconnection(onB);
    const result = await trpc(serverA.url, admin.cookie).people.setActive.mutate({ userId: agent.user.id, active: false });
    expect(result.active).toBe(false);
    // No periodic check involved: the deactivation itself ends them (well within its 60-second period).
    expect(await withTimeout(goneA, "socket on A to be disconnected", 5000)).toBe("io server disconnect");
    expect(await withTimeout(goneB, "socket on B to be disconnected", 5000)).toBe("io server disconnect");
    expect(colleagueOnB.socket.connected).toBe(true);

    // Their next action, on either process, is refused; so is a new socket.
    const next = await trpc(serverB.url, agent.cookie).ticket.queue.query({}).then(
      () => null,
      (e: unknown) => e,
    );
    expect(next).toBeInstanceOf(TRPCClientError);
    expect((next as TRPCClientError<AppRouter>).data?.code).toBe("UNAUTHORIZED");
    expect(await refusal(serverA.url, agent.cookie)).toBe("SESSION_EXPIRED");
    expect(await refusal(serverB.url, agent.cookie)).toBe("SESSION_EXPIRED");
  });

  it("a deactivation published from another process (the workers' Redis emitter) disconnects too", async () => {
    const workers = createWorkerDeps(testEnv, { db });
    cleanups.push(() => workers.close());
    const agent = await person("AGENT");
    const onB = await connected(serverB.url, agent.cookie);
    const gone = disconnection(onB);
    await workers.deps.bus.publish({ type: "user.sessionsEnded", userId: agent.user.id });
    expect(await withTimeout(gone, "socket on B to be disconnected by the emitter", 5000)).toBe("io server disconnect");
  });
});
