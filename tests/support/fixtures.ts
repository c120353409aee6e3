import { randomUUID } from "node:crypto";
import { encode } from "next-auth/jwt";
import { env } from "~/env";
import { createContext, type Services } from "~/server/api/context";
import { appRouter } from "~/server/api/root";
import { createCallerFactory } from "~/server/api/trpc";
import { fixedClock } from "~/server/clock";
import { db } from "~/server/db/client";
import { recordingBus } from "~/server/modules/events";
import { pgSearchEngine } from "~/server/modules/kb/search/pg-engine";
import type { Deps } from "~/server/modules/deps";
import { mailSecretsKey } from "~/server/modules/mail/admin/secret-box";
import { createRateLimits } from "~/server/modules/security/rate-limit";
import { CLIENT_IP_HEADER } from "~/server/http/client-ip";
import type { Role } from "~/shared/enums";

export { db };

export function testDeps(overrides: Partial<Deps> = {}) {
  const bus = recordingBus();
  const clock = fixedClock(new Date("2026-03-02T10:00:00Z"));
  const deps: Deps = {
    db,
    clock,
    bus,
    mail: { fromAddress: "soporte@ventanilla.test", team: "Ventanilla Soporte", publicUrl: "http://localhost:3000", supportAddresses: ["soporte@ventanilla.test"], reopenWindowHours: 72 },
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

/**
 * A tRPC caller going through the real context: cookie parsing, session decoding, middlewares.
 * `ip` is the client address the HTTP server would have stamped; the rate limits default to fresh
 * in-memory ones per caller (tests of the limits pass their own, on Redis).
 */
export async function callerFor(deps: Deps, userId: string | null, opts: { locale?: string; cookie?: string; ip?: string; services?: Partial<Services> } = {}) {
  const cookie = opts.cookie ?? (userId ? await sessionCookie(userId) : undefined);
  const ctx = await createContext(deps, env.NEXTAUTH_SECRET, {
    headers: { cookie: [cookie, opts.locale ? `vt-locale=${opts.locale}` : undefined].filter(Boolean).join("; ") || undefined, [CLIENT_IP_HEADER]: opts.ip ?? "127.0.0.1" },
  }, { enqueueInbound: async () => {}, requeueEmail: async () => {}, search: pgSearchEngine(deps.db), mailSecretsKey: mailSecretsKey(env), limits: createRateLimits(null, env.REDIS_PREFIX), ...opts.services });
  return createCaller(ctx);
}
