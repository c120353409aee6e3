import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract, type RateLimiterRes } from "rate-limiter-flexible";
import { AppError } from "~/server/errors";

/**
 * A budget of failures: `points` failures of one key within `durationSec` lock that key for
 * `blockSec`, counted from the failure that used the budget up.
 */
export interface FailurePolicy {
  points: number;
  durationSec: number;
  blockSec: number;
}

const QUARTER_HOUR = 15 * 60;

/**
 * Every check of a secret reachable without a session has a budget here. Numbers are per key, and
 * a key is shared by every web process (Redis).
 */
export const POLICIES = {
  /** Wrong passwords for one account (its normalized address), from any address: guessing one password. */
  loginAccount: { points: 10, durationSec: QUARTER_HOUR, blockSec: QUARTER_HOUR },
  /**
   * Wrong passwords from one client address, whatever the account: spraying a common password over
   * many accounts. Five times the account budget, so an office behind one NAT is not locked out by
   * a few people mistyping.
   */
  loginIp: { points: 50, durationSec: QUARTER_HOUR, blockSec: QUARTER_HOUR },
  /** Unknown invitation / password-set links presented from one client address. */
  secretLinkIp: { points: 20, durationSec: QUARTER_HOUR, blockSec: QUARTER_HOUR },
  /**
   * Every use of one link (keyed by a prefix of its hash): a page load and a submit are two, so a
   * holder never meets it; it bounds the Argon2 hashing that parallel submits of one link can cause.
   */
  secretLinkToken: { points: 10, durationSec: QUARTER_HOUR, blockSec: QUARTER_HOUR },
  /** Failed guest lookups (tracking ID + address) from one client address: for issue 15's guest pages. */
  guestLookupIp: { points: 20, durationSec: QUARTER_HOUR, blockSec: QUARTER_HOUR },
  /**
   * Failed lookups of one tracking ID (normalized, hashed), from anywhere: guessing the address of a
   * known ID from many clients. Kept low; the holder of the right pair is refunded.
   */
  guestLookupTicket: { points: 10, durationSec: QUARTER_HOUR, blockSec: QUARTER_HOUR },
  /** Guest tickets (/soporte/nuevo) from one client address: every request counts. */
  guestTicketIp: { points: 10, durationSec: 4 * QUARTER_HOUR, blockSec: 4 * QUARTER_HOUR },
  /** Guest tickets in one address's name, whatever the client: nobody floods a mailbox with confirmations. */
  guestTicketAddress: { points: 5, durationSec: 4 * QUARTER_HOUR, blockSec: 4 * QUARTER_HOUR },
  /** "¿Olvidó su ID de seguimiento?" per address (every request counts, known address or not). */
  guestReminderAddress: { points: 3, durationSec: 4 * QUARTER_HOUR, blockSec: 4 * QUARTER_HOUR },
  /** The same requests per client address. */
  guestReminderIp: { points: 10, durationSec: 4 * QUARTER_HOUR, blockSec: 4 * QUARTER_HOUR },
  /** Replies and evaluations written with a guest's ticket cookie, per client address. */
  guestWriteIp: { points: 30, durationSec: QUARTER_HOUR, blockSec: QUARTER_HOUR },
  /** Attachment uploads without a session (the guest form's draft), per client address: every request counts. */
  guestUploadIp: { points: 40, durationSec: QUARTER_HOUR, blockSec: QUARTER_HOUR },
  /**
   * Wrong or missing bearer tokens at /metrics from one client address. A correct token gives its
   * point back, so a scraper that keeps the token is never locked out by its own scrapes.
   */
  metricsIp: { points: 20, durationSec: QUARTER_HOUR, blockSec: QUARTER_HOUR },
  /**
   * Evaluations through the mail's signed link from one client address: every submission counts (a
   * person answers once or twice), and so does every link that does not verify (guessing).
   */
  evaluationIp: { points: 20, durationSec: QUARTER_HOUR, blockSec: QUARTER_HOUR },
  /**
   * Account mail asked for without a session (password reset, self sign-up) per address, whatever
   * the client: every request counts, known address or not, so nobody floods a mailbox and the
   * answer stays the same for every address.
   */
  accountMailAddress: { points: 5, durationSec: 4 * QUARTER_HOUR, blockSec: 4 * QUARTER_HOUR },
  /** The same requests per client address: trying many addresses from one place. */
  accountMailIp: { points: 20, durationSec: 4 * QUARTER_HOUR, blockSec: 4 * QUARTER_HOUR },
  /**
   * Attachment uploads (POST /api/uploads) by one signed-in user: every request counts, refused or
   * not. A person attaches a few files per message; this bounds what one account can make the
   * server store (20 MB a request) before the day-old ones are swept.
   */
  uploadUser: { points: 60, durationSec: QUARTER_HOUR, blockSec: QUARTER_HOUR },
  /**
   * Missing, unknown, revoked or expired tokens at /api/v1 from one client address: guessing tokens,
   * or a misconfigured integration hammering. Counted after the check (lockedNow / recordFailure), not
   * reserved before it: a token is 256 random bits, so parallel guesses gain nothing, while reserving
   * made an integration's 31st concurrent request look like a failure (429 for the rest of the window).
   */
  apiTokenIp: { points: 30, durationSec: QUARTER_HOUR, blockSec: QUARTER_HOUR },
} as const satisfies Record<string, FailurePolicy>;

export type LimitName = keyof typeof POLICIES;

/** Requests per API token (/api/v1) per window, whatever they ask: RATE_LIMIT_API_PER_MINUTE overrides the points. */
export const API_TOKEN_REQUESTS = { points: 600, durationSec: 60 } as const;

/** What a request budget says about one request: sent as RateLimit-* headers (and Retry-After when refused). */
export interface RequestBudget {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSec: number;
}

/**
 * A budget of requests (not failures): every request takes a point; over the limit it is refused
 * until the window ends. On Redis (shared by every web process) with an in-memory stand-in while
 * Redis is away, like the failure budgets.
 */
export class RequestLimiter {
  private readonly store: RateLimiterAbstract;

  constructor(
    readonly policy: { points: number; durationSec: number },
    redis: Redis | null,
    keyPrefix: string,
  ) {
    const memory = new RateLimiterMemory({ keyPrefix, points: policy.points, duration: policy.durationSec });
    this.store = redis
      ? new RedisStore(redis, { storeClient: redis, keyPrefix, points: policy.points, duration: policy.durationSec, insuranceLimiter: memory })
      : memory;
  }

  async take(key: string): Promise<RequestBudget> {
    const limit = this.policy.points;
    try {
      const res = await this.store.consume(key, 1);
      return { allowed: true, limit, remaining: res.remainingPoints, resetSec: Math.ceil(res.msBeforeNext / 1000) };
    } catch (rejected) {
      if (rejected instanceof Error) throw rejected;
      const res = rejected as RateLimiterRes;
      return { allowed: false, limit, remaining: 0, resetSec: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) };
    }
  }
}

/** Socket events (ticket:join, ticket:leave) per socket: a burst of 20 within a second. */
export const SOCKET_EVENTS = { points: 20, durationSec: 1 } as const;
/** Events refused for being over SOCKET_EVENTS within a minute before the socket is disconnected. */
export const SOCKET_STRIKES = { points: 3, durationSec: 60 } as const;

/** Refused because a key is locked; `retryAfterSec` is how long until it opens again. */
export class RateLimitedError extends AppError {
  constructor(readonly retryAfterSec: number) {
    const minutes = Math.max(1, Math.ceil(retryAfterSec / 60));
    super(minutes === 1 ? "RATE_LIMITED_MINUTE" : "RATE_LIMITED", { minutes });
  }
}

/** One named failure budget over a store (Redis, or memory for tests and as Redis's stand-in). */
export class FailureLimiter {
  constructor(
    readonly name: LimitName,
    readonly policy: FailurePolicy,
    private readonly store: RateLimiterAbstract,
  ) {}

  /** Takes a point before the secret is checked: parallel guesses count too. */
  async reserve(key: string): Promise<{ locked: boolean; retryAfterSec: number; consumed: number }> {
    const res: RateLimiterRes = await this.store.penalty(key, 1);
    return { locked: res.consumedPoints > this.policy.points, retryAfterSec: Math.ceil(res.msBeforeNext / 1000), consumed: res.consumedPoints };
  }

  /** Gives a reserved point back (the check succeeded, or it never ran). */
  async refund(key: string): Promise<void> {
    await this.store.reward(key, 1);
  }

  /** Forgets the key's failures: a correct password for the account. */
  async reset(key: string): Promise<void> {
    await this.store.delete(key);
  }

  /** The reserved point is kept as a failure; the failure that uses the budget up locks the key. */
  async failed(key: string, consumed: number): Promise<void> {
    if (consumed >= this.policy.points) await this.store.block(key, this.policy.blockSec);
  }

  /** Whether the key is locked now, taking nothing (for checks that count only after the answer: `recordFailure`). */
  async lockedNow(key: string): Promise<{ locked: boolean; retryAfterSec: number }> {
    const res = await this.store.get(key);
    return { locked: !!res && res.consumedPoints > this.policy.points, retryAfterSec: res ? Math.ceil(res.msBeforeNext / 1000) : 0 };
  }

  /** Counts one failure after the check; the one that uses the budget up locks the key. */
  async recordFailure(key: string): Promise<void> {
    await this.failed(key, (await this.store.penalty(key, 1)).consumedPoints);
  }
}

export type RateLimits = { [K in LimitName]: FailureLimiter };

/**
 * Redis counts as down only once ioredis has lost a connection ("reconnecting", "close", "end"); a
 * connection still being made at start-up queues the command, so the first logins after boot do
 * not land in memory while later ones land in Redis.
 */
class RedisStore extends RateLimiterRedis {
  constructor(
    private readonly redis: Redis,
    opts: ConstructorParameters<typeof RateLimiterRedis>[0],
  ) {
    super({ ...opts, storeClient: redis, rejectIfRedisNotReady: true });
  }

  _isRedisReady(): boolean {
    return !["reconnecting", "close", "end"].includes(this.redis.status);
  }
}

function memoryStore(keyPrefix: string, policy: FailurePolicy): RateLimiterMemory {
  return new RateLimiterMemory({ keyPrefix, points: policy.points, duration: policy.durationSec });
}

/**
 * The named limiters, on Redis under `<prefix>:rl:<name>:<key>` (so two deployments, or a test run
 * and the demo, never share counters). Without Redis (`redis: null`) they live in this process's memory.
 *
 * Redis down: each limiter falls back to an in-memory limiter with the same policy (the library's
 * insurance limiter), at once while ioredis is reconnecting (rather than after its retries, seconds
 * per command; see RedisStore). Logins keep working and keep their limits, per process: refusing
 * every login while Redis is away would lock everybody out to stop an attacker that the memory
 * limiter stops as well. Counts taken in memory are forgotten when Redis is back (and those taken
 * in Redis are not seen meanwhile): at worst one more budget per outage.
 */
export function createRateLimits(redis: Redis | null, prefix: string): RateLimits {
  const make = (name: LimitName): FailureLimiter => {
    const policy = POLICIES[name];
    const keyPrefix = `${prefix}:rl:${name}`;
    const store = redis
      ? new RedisStore(redis, {
          storeClient: redis,
          keyPrefix,
          points: policy.points,
          duration: policy.durationSec,
          insuranceLimiter: memoryStore(keyPrefix, policy),
        })
      : memoryStore(keyPrefix, policy);
    return new FailureLimiter(name, policy, store);
  };
  return Object.fromEntries((Object.keys(POLICIES) as LimitName[]).map((name) => [name, make(name)])) as RateLimits;
}

/** What happens to a key's reserved point when the check succeeds. */
export type OnSuccess = "reset" | "refund" | "keep";

export interface LimitedKey {
  limiter: FailureLimiter;
  key: string;
  onSuccess: OnSuccess;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Runs `check` (which verifies a secret) under failure budgets. Consume-on-fail, made race-free:
 * each key gives a point before the check, so a locked key is refused before any hashing (and a
 * burst of parallel guesses cannot all slip past a "not yet locked" read). `failed(outcome)` says
 * whether the secret was wrong (a value or a thrown error): then the points are kept, and the
 * failure that uses a budget up locks its key for the policy's blockSec. Otherwise a returned value
 * resets, refunds or keeps each key's point as the key says, and any other error refunds them all.
 * Refused: RateLimitedError, with the longest wait among the locked keys.
 */
export async function limitFailures<T>(keys: LimitedKey[], check: () => Promise<T>, failed: (outcome: Outcome<T>) => boolean): Promise<T> {
  const reserved = await Promise.all(keys.map((k) => k.limiter.reserve(k.key)));
  const locked = reserved.filter((r) => r.locked);
  if (locked.length) {
    await Promise.all(keys.filter((_, i) => !reserved[i]!.locked).map((k) => k.limiter.refund(k.key)));
    throw new RateLimitedError(Math.max(...locked.map((r) => r.retryAfterSec)));
  }
  let outcome: Outcome<T>;
  try {
    outcome = { ok: true, value: await check() };
  } catch (error) {
    outcome = { ok: false, error };
  }
  if (failed(outcome)) {
    await Promise.all(keys.map((k, i) => k.limiter.failed(k.key, reserved[i]!.consumed)));
  } else if (outcome.ok) {
    await Promise.all(keys.map((k) => (k.onSuccess === "reset" ? k.limiter.reset(k.key) : k.onSuccess === "refund" ? k.limiter.refund(k.key) : undefined)));
  } else {
    await Promise.all(keys.map((k) => k.limiter.refund(k.key)));
  }
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

/** A key naming a secret or an address without writing it into Redis. */
export function hashedKey(value: string, hexChars = 32): string {
  return createHash("sha256").update(value, "utf8").digest("hex").slice(0, hexChars);
}
