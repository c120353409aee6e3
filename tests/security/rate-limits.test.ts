// Nothing that checks a secret is unlimited: logins (per account, per client address), invitation
// links (per address, per link), socket events (per socket). Real Redis, a real HTTP server and real
// socket.io clients; `authorize` is called as next-auth calls it.
import { randomUUID } from "node:crypto";
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import { io as connectSocket, type Socket } from "socket.io-client";
import { transformer } from "~/shared/transformer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "~/env";
import type { AppRouter } from "~/server/api/root";
import { authorizeCredentials, type CredentialsDeps } from "~/server/auth/credentials";
import { hashPassword } from "~/server/auth/password";
import type { Db } from "~/server/db/client";
import { CLIENT_IP_HEADER, clientIpOf } from "~/server/http/client-ip";
import { startServer, type RunningServer } from "~/server/http/create-server";
import { createRateLimits, POLICIES, SOCKET_EVENTS, SOCKET_STRIKES, type RateLimits } from "~/server/modules/security/rate-limit";
import { stageInvitation } from "~/server/modules/users/invitations";
import { createRedis } from "~/server/redis";
import type { ClientToServerEvents, JoinAck, ServerToClientEvents } from "~/shared/realtime";
import { callerFor, db, makeUser, sessionCookie, testDeps } from "../support/fixtures";
import { withTimeout } from "../support/wait";

const PASSWORD = "la-clave-correcta";
const redis = createRedis("producer", env.REDIS_URL);
const prefixes: string[] = [];
const cleanups: Array<() => Promise<void> | void> = [];

/** Limits on the real Redis under a prefix of their own, so each test starts with clean counters. */
function redisLimits(prefix = `${env.REDIS_PREFIX}:${randomUUID().slice(0, 8)}`): RateLimits {
  prefixes.push(prefix);
  return createRateLimits(redis, prefix);
}

/** Counts the database lookups `authorize` makes: a refused attempt must make none (nor hash). */
function countingDb() {
  const counter = { lookups: 0 };
  const wrapped = {
    user: {
      findUnique: (args: Parameters<Db["user"]["findUnique"]>[0]) => {
        counter.lookups++;
        return db.user.findUnique(args);
      },
    },
  } as unknown as Db;
  return { db: wrapped, counter };
}

/** The second argument next-auth v4 gives `authorize`, as its app-router handler builds it. */
function nextAuthReq(ip: string) {
  return { query: {}, body: {}, method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", [CLIENT_IP_HEADER]: ip } };
}

async function userWithPassword() {
  const user = await makeUser("CUSTOMER");
  await db.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(PASSWORD) } });
  return user;
}

const signIn = (deps: CredentialsDeps, email: string, password: string, ip: string) => authorizeCredentials({ email, password }, nextAuthReq(ip), deps);

/** The wait, in seconds, of a refusal; fails the test if the attempt was not refused as rate limited. */
async function refusedFor(p: Promise<unknown>): Promise<number> {
  const err = await p.then(
    () => null,
    (e: unknown) => e as Error,
  );
  expect(err, "the attempt should have been refused").toBeInstanceOf(Error);
  const m = /^RATE_LIMITED:(\d+)$/.exec(err!.message);
  expect(m, `unexpected error: ${err!.message}`).not.toBeNull();
  return Number(m![1]);
}

beforeAll(async () => {
  // Ready before the first limiter uses it: limiters go to memory while Redis is not ready.
  await redis.ping();
});

afterAll(async () => {
  for (const fn of cleanups.reverse()) await fn();
  for (const prefix of [...prefixes, env.REDIS_PREFIX]) {
    const keys = await redis.keys(`${prefix}:rl:*`);
    if (keys.length) await redis.del(...keys);
  }
  redis.disconnect();
});

describe("sign-in with a password", () => {
  it("after 10 wrong passwords the right one is refused with the wait time, without looking the user up", async () => {
    const user = await userWithPassword();
    const { db: counted, counter } = countingDb();
    const deps = { db: counted, rateLimits: redisLimits() };
    // Ten different addresses: it is the account that is counted, wherever the guesses come from.
    for (let i = 0; i < POLICIES.loginAccount.points; i++) expect(await signIn(deps, user.email, `mala-${i}`, `10.0.0.${i}`)).toBeNull();
    const lookups = counter.lookups;

    const seconds = await refusedFor(signIn(deps, user.email, PASSWORD, "10.0.1.1"));
    expect(seconds).toBeGreaterThan(POLICIES.loginAccount.blockSec - 60);
    expect(seconds).toBeLessThanOrEqual(POLICIES.loginAccount.blockSec);
    // The address is normalized as the login form's is: a different spelling is the same account.
    await refusedFor(signIn(deps, `  ${user.email.toUpperCase()} `, PASSWORD, "10.0.1.2"));
    expect(counter.lookups, "a locked account is refused before the database and Argon2").toBe(lookups);
  });

  it("50 failures from one address over many accounts lock that address, even for a right password", async () => {
    const user = await userWithPassword();
    const deps = { db, rateLimits: redisLimits() };
    const ip = "203.0.113.7";
    const attempts = Array.from({ length: POLICIES.loginIp.points }, (_, i) => `nadie-${i}-${randomUUID().slice(0, 6)}@example.test`);
    for (const email of attempts) expect(await signIn(deps, email, "password123", ip)).toBeNull();

    const seconds = await refusedFor(signIn(deps, user.email, PASSWORD, ip));
    expect(seconds).toBeGreaterThan(POLICIES.loginIp.blockSec - 60);
    // Another address, and the account itself, are unaffected.
    expect(await signIn(deps, user.email, PASSWORD, "203.0.113.8")).toMatchObject({ id: user.id });
  });

  it("a correct password clears the account's failures: 9 wrong, the right one, 9 wrong still lets the right one in", async () => {
    const user = await userWithPassword();
    const deps = { db, rateLimits: redisLimits() };
    const ip = "198.51.100.4";
    for (let i = 0; i < 9; i++) expect(await signIn(deps, user.email, `mala-${i}`, ip)).toBeNull();
    expect(await signIn(deps, user.email, PASSWORD, ip)).toMatchObject({ id: user.id });
    for (let i = 0; i < 9; i++) expect(await signIn(deps, user.email, `otra-${i}`, ip)).toBeNull();
    expect(await signIn(deps, user.email, PASSWORD, ip)).toMatchObject({ id: user.id });
    // …and the tenth failure in a row does lock it.
    for (let i = 0; i < 10; i++) expect(await signIn(deps, user.email, `mala-${i}`, ip)).toBeNull();
    await refusedFor(signIn(deps, user.email, PASSWORD, ip));
  });

  it("parallel guesses cannot slip past the limit: of 30 at once at most 10 are checked", async () => {
    const user = await userWithPassword();
    const { db: counted, counter } = countingDb();
    const deps = { db: counted, rateLimits: redisLimits() };
    const results = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => signIn(deps, user.email, `mala-${i}`, `10.1.0.${i}`)));
    expect(counter.lookups).toBe(POLICIES.loginAccount.points);
    expect(results.filter((r) => r.status === "rejected")).toHaveLength(30 - POLICIES.loginAccount.points);
  });

  it("limits are per REDIS_PREFIX: a lock under one prefix is not a lock under another, and its keys live under it", async () => {
    const user = await userWithPassword();
    const prefixA = `${env.REDIS_PREFIX}:a-${randomUUID().slice(0, 8)}`;
    const prefixB = `${env.REDIS_PREFIX}:b-${randomUUID().slice(0, 8)}`;
    const a = { db, rateLimits: redisLimits(prefixA) };
    const b = { db, rateLimits: redisLimits(prefixB) };
    for (let i = 0; i < 10; i++) expect(await signIn(a, user.email, `mala-${i}`, "192.0.2.1")).toBeNull();
    await refusedFor(signIn(a, user.email, PASSWORD, "192.0.2.1"));
    expect(await signIn(b, user.email, PASSWORD, "192.0.2.1")).toMatchObject({ id: user.id });
    expect(await redis.keys(`${prefixA}:rl:loginAccount:*`)).toHaveLength(1);
    expect(await redis.keys(`${prefixB}:rl:loginAccount:*`)).toHaveLength(0);
  });

  it("with Redis unreachable the limits still hold, in this process's memory", async () => {
    const dead = createRedis("producer", "redis://127.0.0.1:1");
    cleanups.push(() => dead.disconnect());
    const user = await userWithPassword();
    const deps = { db, rateLimits: createRateLimits(dead, `${env.REDIS_PREFIX}:dead`) };
    for (let i = 0; i < 10; i++) expect(await signIn(deps, user.email, `mala-${i}`, "192.0.2.9")).toBeNull();
    await refusedFor(signIn(deps, user.email, PASSWORD, "192.0.2.9"));
  }, 60_000);
});

describe("invitation links", () => {
  it("guessing invitation links is limited per address, in the caller's language; a real link from elsewhere still works", async () => {
    const { deps } = testDeps();
    const limits = redisLimits();
    const user = await makeUser("CUSTOMER");
    const real = await db.$transaction((tx) => stageInvitation(deps, tx, user));
    const guesser = await callerFor(deps, null, { ip: "203.0.113.50", rateLimits: limits });
    for (let i = 0; i < POLICIES.secretLinkIp.points; i++) {
      expect(await guesser.invitation.get({ token: randomUUID() })).toMatchObject({ status: "invalid" });
    }
    // Locked: even a real link, and accepting one, is refused from that address, before hashing.
    await expect(guesser.invitation.get({ token: real.token })).rejects.toMatchObject({
      code: "TOO_MANY_REQUESTS",
      message: "Demasiados intentos fallidos. Vuelva a intentarlo en 15 minutos.",
    });
    await expect(guesser.invitation.accept({ token: randomUUID(), password: "una-clave-segura", passwordConfirm: "una-clave-segura" })).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    const english = await callerFor(deps, null, { ip: "203.0.113.50", locale: "en", rateLimits: limits });
    await expect(english.invitation.get({ token: randomUUID() })).rejects.toMatchObject({ message: "Too many failed attempts. Try again in 15 minutes." });

    const holder = await callerFor(deps, null, { ip: "198.51.100.60", rateLimits: limits });
    expect(await holder.invitation.get({ token: real.token })).toMatchObject({ status: "valid" });
    expect(await holder.invitation.accept({ token: real.token, password: "una-clave-segura", passwordConfirm: "una-clave-segura" })).toEqual({ email: user.email, staff: false });
  });

  it("failed accepts with unknown links count as guesses too", async () => {
    const { deps } = testDeps();
    const limits = redisLimits();
    const guesser = await callerFor(deps, null, { ip: "203.0.113.51", rateLimits: limits });
    for (let i = 0; i < POLICIES.secretLinkIp.points; i++) {
      await expect(guesser.invitation.accept({ token: randomUUID(), password: "una-clave-segura", passwordConfirm: "una-clave-segura" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    await expect(guesser.invitation.get({ token: randomUUID() })).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
  });

  it("every use of one link counts against that link: the 11th within the window is refused, from any address", async () => {
    const { deps } = testDeps();
    const limits = redisLimits();
    const user = await makeUser("CUSTOMER");
    const { token } = await db.$transaction((tx) => stageInvitation(deps, tx, user));
    for (let i = 0; i < POLICIES.secretLinkToken.points; i++) {
      const anon = await callerFor(deps, null, { ip: `198.51.100.${100 + i}`, rateLimits: limits });
      expect(await anon.invitation.get({ token })).toMatchObject({ status: "valid" });
    }
    const late = await callerFor(deps, null, { ip: "198.51.100.200", rateLimits: limits });
    await expect(late.invitation.get({ token })).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
  });
});

describe("the client's address", () => {
  it("is the connection's: a client-sent X-Ventanilla-Client-IP or X-Forwarded-For changes nothing over HTTP", async () => {
    const server = await startServer({ env: { ...env, PORT: 0, HOST: "127.0.0.1", TRUST_PROXY: false } });
    cleanups.push(() => server.close());
    let n = 0;
    const forging = () =>
      createTRPCClient<AppRouter>({
        links: [
          httpLink({
            url: `${server.url}/api/trpc`,
            transformer,
            headers: () => ({ [CLIENT_IP_HEADER]: `10.9.${n}.1`, "x-forwarded-for": `10.8.${n++}.1` }),
          }),
        ],
      });
    const api = forging();
    for (let i = 0; i < POLICIES.secretLinkIp.points; i++) expect(await api.invitation.get.query({ token: randomUUID() })).toMatchObject({ status: "invalid" });
    const err = await forging()
      .invitation.get.query({ token: randomUUID() })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(TRPCClientError);
    expect((err as TRPCClientError<AppRouter>).data?.httpStatus).toBe(429);
  });

  it("with TRUST_PROXY is the last X-Forwarded-For hop (the one our proxy added); IPv6 counts per /64", () => {
    const req = (remoteAddress: string, xff?: string) => ({ socket: { remoteAddress }, headers: xff ? { "x-forwarded-for": xff } : {} }) as never;
    expect(clientIpOf(req("::ffff:10.0.0.5", "1.2.3.4"), false)).toBe("10.0.0.5");
    expect(clientIpOf(req("10.0.0.5", "1.2.3.4, 198.51.100.9"), true)).toBe("198.51.100.9");
    expect(clientIpOf(req("10.0.0.5"), true)).toBe("10.0.0.5");
    expect(clientIpOf(req("2001:db8:1:2:aaaa::1"), false)).toBe("2001:db8:1:2::/64");
    expect(clientIpOf(req("2001:db8:1:2:ffff:0:0:9"), false)).toBe("2001:db8:1:2::/64");
    expect(clientIpOf(req("2001:db8::1"), false)).toBe("2001:db8:0:0::/64");
  });
});

describe("socket events", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ env: { ...env, PORT: 0, HOST: "127.0.0.1" } });
    cleanups.push(() => server.close());
  });

  async function connect(cookie: string): Promise<Socket<ServerToClientEvents, ClientToServerEvents>> {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connectSocket(server.url, {
      path: "/socket.io",
      transports: ["websocket"],
      extraHeaders: { cookie },
      reconnection: false,
      forceNew: true,
    });
    cleanups.push(() => void socket.disconnect());
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        socket.once("connect", () => resolve());
        socket.once("connect_error", reject);
      }),
      "socket connect",
    );
    return socket;
  }

  it("a flood of ticket:join gets RATE_LIMITED acks, then the socket is disconnected; other sockets carry on", async () => {
    const flooder = await connect(await sessionCookie((await makeUser("CUSTOMER")).id));
    const neighbour = await connect(await sessionCookie((await makeUser("CUSTOMER")).id));
    const disconnected = new Promise<string>((resolve) => flooder.once("disconnect", (reason) => resolve(reason)));

    const joins = (n: number) => Promise.allSettled(Array.from({ length: n }, () => flooder.timeout(5000).emitWithAck("ticket:join", "no-such-ticket")));
    const answers = (settled: Array<PromiseSettledResult<JoinAck>>) => settled.map((a) => (a.status === "fulfilled" ? a.value : null));
    // Within one second: the budget's 20 are served (the ticket does not exist)…
    const served = answers(await joins(SOCKET_EVENTS.points));
    expect(served).toEqual(Array(SOCKET_EVENTS.points).fill({ status: "error", code: "NOT_FOUND" }));
    // …the rest are refused, and the third refusal is the socket's last: later ones are never answered.
    const rest = answers(await joins(20));
    expect(rest.slice(0, SOCKET_STRIKES.points)).toEqual(Array(SOCKET_STRIKES.points).fill({ status: "error", code: "RATE_LIMITED" }));
    expect(rest.slice(SOCKET_STRIKES.points).every((a) => a === null)).toBe(true);
    expect(await withTimeout(disconnected, "the flooder's disconnect")).toBe("io server disconnect");

    expect(neighbour.connected).toBe(true);
    expect(await neighbour.timeout(5000).emitWithAck("ticket:join", "no-such-ticket")).toEqual({ status: "error", code: "NOT_FOUND" });
  });

  it("the budget is the user's: a second socket of the same account gets no second budget", async () => {
    const cookie = await sessionCookie((await makeUser("CUSTOMER")).id);
    const [a, b] = [await connect(cookie), await connect(cookie)];
    const joins = (s: typeof a, n: number) => Promise.all(Array.from({ length: n }, () => s.timeout(5000).emitWithAck("ticket:join", "no-such-ticket")));
    const served = (acks: JoinAck[]) => acks.filter((x) => x.status === "error" && x.code === "NOT_FOUND").length;
    const [fromA, fromB] = await Promise.all([joins(a, SOCKET_EVENTS.points), joins(b, 2)]);
    expect(served(fromA) + served(fromB)).toBe(SOCKET_EVENTS.points);
    expect([...fromA, ...fromB].some((x) => x.status === "error" && x.code === "RATE_LIMITED")).toBe(true);
  });

  it("a burst within the budget is served in full, and the budget refills", async () => {
    const socket = await connect(await sessionCookie((await makeUser("CUSTOMER")).id));
    for (let round = 0; round < 2; round++) {
      const acks = await Promise.all(Array.from({ length: 20 }, () => socket.timeout(5000).emitWithAck("ticket:join", "no-such-ticket")));
      expect(acks.every((a) => a.status === "error" && a.code === "NOT_FOUND")).toBe(true);
      await new Promise((r) => setTimeout(r, 1100));
    }
    expect(socket.connected).toBe(true);
  });
});
