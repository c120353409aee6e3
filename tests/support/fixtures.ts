import { randomUUID } from "node:crypto";
import { encode } from "next-auth/jwt";
import { env } from "~/env";
import { createContext } from "~/server/api/context";
import { appRouter } from "~/server/api/root";
import { createCallerFactory } from "~/server/api/trpc";
import { fixedClock } from "~/server/clock";
import { createDb } from "~/server/db/client";
import { recordingBus } from "~/server/modules/events";
import { pgSearchEngine } from "~/server/modules/kb/search/pg-engine";
import type { Queue } from "bullmq";
import type { Deps, Queues } from "~/server/modules/deps";
import { inboundEnqueuer, type InboundJob } from "~/server/adapters/bullmq/inbound-queue";
import type { SearchEngine } from "~/server/modules/kb/search/engine";
import { localBlobStore } from "~/server/adapters/local-disk/local-blob-store";
import { mailSecretsKey } from "~/server/modules/mail/admin/secret-box";
import { createRateLimits, type RateLimits } from "~/server/modules/security/rate-limit";
import { fixedSettingsSource, siteDefaults } from "~/server/modules/settings/live-settings";
import { seedSlaSettings } from "~/server/modules/sla/seed-calendar";
import { fixedSla, type SlaSettings, type SlaSource } from "~/server/modules/sla/policy";
import { CLIENT_IP_HEADER } from "~/server/http/client-ip";
import type { Role } from "~/shared/enums";

// Test files run one at a time in one process (vitest.config.ts): one pool for all of them.
const g = globalThis as { __ventanillaTestDb?: ReturnType<typeof createDb> };
export const db = (g.__ventanillaTestDb ??= createDb(env.DATABASE_URL));

/** Queues that take jobs and do nothing: tests that need a queue pass their own. */
export function idleQueues(): Queues {
  return { enqueueEmails: async () => {}, requeueEmail: async () => {}, enqueueInbound: async () => {}, enqueueKbIndex: async () => {}, scheduleAutoClose: async () => {}, scheduleSlaTimer: async () => {}, enqueueWebhookDeliveries: async () => {} };
}

/** Deps for a test: `sla` may be a fixed settings object (every ticket counted with it) or a source. */
export function testDeps({ sla, ...overrides }: Partial<Omit<Deps, "sla">> & { sla?: SlaSettings | SlaSource } = {}) {
  const bus = recordingBus();
  const clock = fixedClock(new Date("2026-03-02T10:00:00Z"));
  const mail = { fromAddress: "soporte@ventanilla.test", team: "Ventanilla Soporte", publicUrl: "http://localhost:3000", supportAddresses: ["soporte@ventanilla.test"], reopenWindowHours: 72 };
  const deps: Deps = {
    db,
    clock,
    bus,
    mail,
    // The environment's values, never the admins' (tests of the settings pass a source on the database).
    settings: fixedSettingsSource(siteDefaults(mail, "Europe/Madrid")),
    search: pgSearchEngine(db),
    queues: idleQueues(),
    store: localBlobStore(env.STORAGE_DIR),
    rateLimits: createRateLimits(null, env.REDIS_PREFIX),
    sla: !sla ? fixedSla(seedSlaSettings("Europe/Madrid", "ES")) : "forTicket" in sla ? sla : fixedSla(sla),
    secrets: { session: env.NEXTAUTH_SECRET, mailKey: mailSecretsKey(env) },
    // The SSRF guard as in production: public targets only (webhook tests that use a local receiver opt in).
    webhooks: { targets: { allowPrivate: false, allowedPorts: [], resolve: async () => [] } },
    ...overrides,
  };
  return { deps, bus, clock };
}

export async function makeUser(role: Role = "CUSTOMER", extra: { name?: string; locale?: string } = {}) {
  const tag = randomUUID().slice(0, 8);
  return db.user.create({
    data: { email: `${role.toLowerCase()}-${tag}@example.test`, name: extra.name ?? `${role} ${tag}`, role, locale: extra.locale ?? "es" },
  });
}

export async function makeCategory() {
  const tag = randomUUID().slice(0, 8);
  return db.category.create({ data: { slug: `cat-${tag}`, nameEs: `Categoría ${tag}`, nameEn: `Category ${tag}` } });
}

/** A real next-auth session cookie for the user, as the browser would send it. */
export async function sessionCookie(userId: string, maxAge = 3600): Promise<string> {
  const token = await encode({ token: { sub: userId }, secret: env.NEXTAUTH_SECRET, maxAge });
  return `next-auth.session-token=${token}`;
}

const createCaller = createCallerFactory(appRouter);

/** The deps with their inbound mail going to this (private) queue. */
export function withInboundQueue<D extends Deps>(deps: D, queue: Queue<InboundJob>): D {
  return { ...deps, queues: { ...deps.queues, enqueueInbound: inboundEnqueuer(queue) } };
}

/** What a caller may swap in its deps: the engines and limits a test watches or drives. */
export interface CallerParts {
  queues?: Partial<Queues>;
  search?: SearchEngine;
  rateLimits?: RateLimits;
}

/**
 * A tRPC caller going through the real context: cookie parsing, session decoding, middlewares.
 * `ip` is the client address the HTTP server would have stamped; the rate limits default to fresh
 * in-memory ones per caller (tests of the limits pass their own, on Redis).
 */
export async function callerFor(deps: Deps, userId: string | null, opts: { locale?: string; cookie?: string; ip?: string } & CallerParts = {}) {
  const cookie = opts.cookie ?? (userId ? await sessionCookie(userId) : undefined);
  const callDeps: Deps = {
    ...deps,
    queues: { ...deps.queues, ...opts.queues },
    search: opts.search ?? deps.search,
    rateLimits: opts.rateLimits ?? createRateLimits(null, env.REDIS_PREFIX),
  };
  const ctx = await createContext(callDeps, {
    headers: { cookie: [cookie, opts.locale ? `vt-locale=${opts.locale}` : undefined].filter(Boolean).join("; ") || undefined, [CLIENT_IP_HEADER]: opts.ip ?? "127.0.0.1" },
  });
  return createCaller(ctx);
}
