import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { z } from "zod";
import { parseSecretKey, weakSecretReason } from "./server/modules/security/secrets";

// The only reader of process.env: every setting is validated once, at start-up.
const schema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  DATABASE_URL: z.string().url().default("postgresql://postgres@127.0.0.1:5432/ventanilla"),
  REDIS_URL: z.string().url().default("redis://127.0.0.1:6379"),
  REDIS_PREFIX: z.string().min(1).default("vt"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  /**
   * One reverse proxy of ours stands in front and appends the client to X-Forwarded-For: the rate
   * limits then count that address. Off: the connection's own address (a client-sent header is ignored).
   */
  TRUST_PROXY: z.stringbool().default(false),
  PUBLIC_URL: z.string().url().optional(),
  /**
   * Signs and encrypts the session cookies. No default: `npm start` generates one into
   * var/secrets.env on first run; production refuses short, placeholder or published values.
   */
  NEXTAUTH_SECRET: z.string({ error: "is not set: run `npm start` once (it writes var/secrets.env) or set it, e.g. `openssl rand -base64 32`" }).min(16),
  SMTP_URL: z.string().optional(),
  SMTP_INBOUND_PORT: z.coerce.number().int().min(0).max(65535).default(2525),
  SMTP_INBOUND_HOST: z.string().default("0.0.0.0"),
  /** PEM key and certificate (file paths) for STARTTLS on the inbound listener: both or neither; unset means no STARTTLS. */
  SMTP_INBOUND_TLS_KEY: z.preprocess((v) => (v === "" ? undefined : v), z.string().optional()),
  SMTP_INBOUND_TLS_CERT: z.preprocess((v) => (v === "" ? undefined : v), z.string().optional()),
  /** Addresses the inbound listener accepts mail for; the first is the one replies come back to. */
  SUPPORT_ADDRESSES: z
    .string()
    .default("soporte@ventanilla.test")
    .transform((v) => v.split(",").map((a) => a.trim().toLowerCase()).filter(Boolean)),
  STORAGE_DIR: z.string().default("var/storage"),
  /** Total size of a message's attachments (seed 000: "menos de 20MB"). */
  MAIL_MAX_ATTACHMENT_BYTES: z.coerce.number().int().positive().default(20 * 1024 * 1024),
  /** New tickets one sender may open by mail per hour before the rest is held for review. */
  MAIL_RATE_LIMIT_PER_HOUR: z.coerce.number().int().positive().default(20),
  /**
   * Mail-loop windows for outgoing mail (Zammad's defaults): past MAIL_LOOP_TICKET_MAX mails sent for
   * one ticket within MAIL_LOOP_TICKET_MINUTES, or MAIL_LOOP_RECIPIENT_MAX mails to one address
   * (across tickets) within MAIL_LOOP_RECIPIENT_MINUTES, further mail is HELD for an admin at
   * /admin/mailbox instead of sent (src/server/modules/notifications/loop-guard.ts).
   */
  MAIL_LOOP_TICKET_MAX: z.coerce.number().int().positive().default(10),
  MAIL_LOOP_TICKET_MINUTES: z.coerce.number().positive().default(10),
  MAIL_LOOP_RECIPIENT_MAX: z.coerce.number().int().positive().default(30),
  MAIL_LOOP_RECIPIENT_MINUTES: z.coerce.number().positive().default(10),
  /** Requests one API token may make per minute at /api/v1 (src/server/http/api-v1.ts). */
  RATE_LIMIT_API_PER_MINUTE: z.coerce.number().int().positive().default(600),
  /** A reply to a resolved ticket within this many hours reopens it; later it opens a follow-up. */
  REOPEN_WINDOW_HOURS: z.coerce.number().positive().default(72),
  /** The support hours' time zone (IANA name): SLA due times count Monday-Friday 08:00-17:00 there (seed 000). */
  BUSINESS_TIME_ZONE: z
    .string()
    .default("Europe/Madrid")
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat("en", { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, "not an IANA time zone (e.g. Europe/Madrid, America/Mexico_City)"),
  /** Public holidays the support hours skip: a country, optionally with its region ("ES", "ES-MD", "MX"); empty for none. */
  BUSINESS_HOLIDAYS: z
    .string()
    .default("ES")
    .refine((v) => v === "" || /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/.test(v), "a country code, optionally with a region: ES, ES-MD, MX"),
  /**
   * Web processes sharing the HTTP port (node:cluster), each with its own Next.js and pool (~350 MB).
   * Default: one per core, up to 4. On 2 cores bench:api measured the agent queue at +27% with 2
   * (426 against 334 requests/s with 50 clients), the rest of the machine being PostgreSQL's.
   */
  WEB_PROCESSES: z.coerce
    .number()
    .int()
    .min(1)
    .max(32)
    .default(() => Math.min(availableParallelism(), 4)),
  /**
   * Queue processes of the workers. 0: one process runs everything (the SMTP listener and the
   * queues). N ≥ 1: the workers' main process runs the SMTP listener and N child processes run the
   * queues. Default: 0 up to 2 cores (bench:mail on 2 cores: one process ~100 mails/s, the split
   * ~91, the second core being PostgreSQL's, Redis's and the web's), else one per two cores, up to 4.
   */
  WORKER_PROCESSES: z.coerce
    .number()
    .int()
    .min(0)
    .max(32)
    .default(() => (availableParallelism() <= 2 ? 0 : Math.min(Math.floor(availableParallelism() / 2), 4))),
  /** How often the workers fetch unseen mail from the configured IMAP mailboxes. */
  IMAP_POLL_SECONDS: z.coerce.number().int().positive().default(60),
  /**
   * Key (32 bytes, as 64 hex digits or base64) that encrypts the IMAP mailbox passwords at rest
   * (AES-256-GCM, src/server/modules/mail/admin/secret-box.ts). Required in production (`npm start`
   * generates one into var/secrets.env), so rotating NEXTAUTH_SECRET does not make the stored
   * passwords unreadable; in development and tests, unset means derived from NEXTAUTH_SECRET.
   */
  MAIL_SECRETS_KEY: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.string().refine((v) => parseSecretKey(v) !== null, "must be 32 bytes, written as 64 hex digits or as base64").optional(),
  ),
  /** Knowledge-base search on Meilisearch when set (docker-compose runs one); unset means PostgreSQL. */
  MEILI_URL: z.preprocess((v) => (v === "" ? undefined : v), z.string().url().optional()),
  MEILI_MASTER_KEY: z.preprocess((v) => (v === "" ? undefined : v), z.string().optional()),
  MAIL_FROM_ADDRESS: z.string().email().default("soporte@ventanilla.test"),
  TEAM_NAME: z.string().default("Ventanilla Soporte"),
  GOOGLE_CLIENT_ID: z.string().optional(),
  GOOGLE_CLIENT_SECRET: z.string().optional(),
  // An OpenID Connect issuer standing in for Google (tests, self-hosted setups); unset means Google.
  GOOGLE_ISSUER: z.preprocess((v) => (v === "" ? undefined : v), z.string().url().optional()),
  FACEBOOK_CLIENT_ID: z.string().optional(),
  FACEBOOK_CLIENT_SECRET: z.string().optional(),
  /**
   * Another OAuth 2.0 server in Facebook's place (the browser tests' local one): its authorization
   * page, token endpoint and Graph-like `/me` (asked for `fields=id,name,email`). Unset means
   * Facebook's own endpoints; set all three or none.
   */
  FACEBOOK_AUTHORIZATION_URL: z.preprocess((v) => (v === "" ? undefined : v), z.string().url().optional()),
  FACEBOOK_TOKEN_URL: z.preprocess((v) => (v === "" ? undefined : v), z.string().url().optional()),
  FACEBOOK_USERINFO_URL: z.preprocess((v) => (v === "" ? undefined : v), z.string().url().optional()),
  SEED_DEMO: z.enum(["0", "1"]).default("1"),
  /** pino's level; unset means "info", and "silent" under NODE_ENV=test (src/server/observability/logger.ts). */
  LOG_LEVEL: z.preprocess((v) => (v === "" ? undefined : v), z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).optional()),
  /**
   * Bearer token for GET /metrics (Prometheus). Unset: /metrics answers 404. `npm start` draws one
   * into var/secrets.env; production refuses short, placeholder or published values.
   */
  METRICS_TOKEN: z.preprocess((v) => (v === "" ? undefined : v), z.string().optional()),
  /**
   * Development and tests only: webhooks may point at loopback and private addresses, on any port
   * (a receiver on localhost). Refused in production; off, the SSRF guard allows public addresses only.
   */
  WEBHOOKS_ALLOW_PRIVATE_TARGETS: z.stringbool().default(false),
  /**
   * First retry delay of a failed webhook delivery; each later one doubles (8 attempts: with the
   * default 11 minutes the last is about 23 hours after the event). The benchmark shortens it.
   */
  WEBHOOKS_BACKOFF_MS: z.coerce.number().int().positive().default(11 * 60_000),
  /** Ports a webhook URL may use besides 80 and 443, comma-separated (e.g. "8443,9000"). */
  WEBHOOKS_ALLOWED_PORTS: z
    .string()
    .default("")
    .refine((v) => v.split(",").map((p) => p.trim()).filter(Boolean).every((p) => /^\d+$/.test(p) && Number(p) >= 1 && Number(p) <= 65535), "a comma-separated list of ports (1-65535)")
    .transform((v) => v.split(",").map((p) => p.trim()).filter(Boolean).map(Number)),
}).superRefine((e, ctx) => {
  // Outside development and tests, a missing or guessable secret would let anyone mint sessions.
  const strict = e.NODE_ENV === "production";
  const weak = weakSecretReason(e.NEXTAUTH_SECRET, strict);
  if (weak) ctx.addIssue({ code: "custom", path: ["NEXTAUTH_SECRET"], message: `${weak}; use a random value (\`openssl rand -base64 32\`)` });
  if (e.MAIL_SECRETS_KEY && weakSecretReason(e.MAIL_SECRETS_KEY, false)) {
    ctx.addIssue({ code: "custom", path: ["MAIL_SECRETS_KEY"], message: "is a value published in the repository; use `openssl rand -base64 32`" });
  }
  if (strict && !e.MAIL_SECRETS_KEY) {
    ctx.addIssue({ code: "custom", path: ["MAIL_SECRETS_KEY"], message: "is not set; production needs its own key (`openssl rand -base64 32`; `npm start` writes one into var/secrets.env)" });
  }
  const weakMetricsToken = e.METRICS_TOKEN && weakSecretReason(e.METRICS_TOKEN, strict);
  if (weakMetricsToken) ctx.addIssue({ code: "custom", path: ["METRICS_TOKEN"], message: `${weakMetricsToken}; use a random value (\`openssl rand -base64 32\`)` });
  // A production build served on loopback only (PUBLIC_URL http://127.0.0.1:…, as the browser tests
  // run it) may post to a receiver on the same machine; a served deployment never.
  if (strict && e.WEBHOOKS_ALLOW_PRIVATE_TARGETS && !servedOnLoopback(e.PUBLIC_URL)) {
    ctx.addIssue({ code: "custom", path: ["WEBHOOKS_ALLOW_PRIVATE_TARGETS"], message: "is on in production; it lets webhooks reach loopback and internal addresses (development and tests only)" });
  }
  // Half a Facebook override would send some of the OAuth exchange to Facebook and some elsewhere.
  const facebook = ["FACEBOOK_AUTHORIZATION_URL", "FACEBOOK_TOKEN_URL", "FACEBOOK_USERINFO_URL"] as const;
  const fbSet = facebook.filter((k) => e[k]);
  if (fbSet.length && fbSet.length < facebook.length) {
    for (const k of facebook.filter((k) => !e[k])) ctx.addIssue({ code: "custom", path: [k], message: `unset while ${fbSet.join(", ")} ${fbSet.length === 1 ? "is" : "are"} set; a stand-in for Facebook needs all three endpoints, or none` });
  }
  // Half a TLS setup would quietly mean no STARTTLS: refuse to start instead.
  const [key, cert] = ["SMTP_INBOUND_TLS_KEY", "SMTP_INBOUND_TLS_CERT"] as const;
  if (!e[key] === !e[cert]) return;
  const [unset, set] = e[key] ? [cert, key] : [key, cert];
  ctx.addIssue({
    code: "custom",
    path: [unset],
    message: `unset while ${set} is set; STARTTLS on the inbound SMTP listener needs both a PEM key and a certificate (${key}, ${cert}), or neither`,
  });
});

export type Env = z.infer<typeof schema>;

function servedOnLoopback(url: string | undefined): boolean {
  if (!url) return false;
  const host = new URL(url).hostname;
  return host === "127.0.0.1" || host === "localhost" || host === "[::1]";
}

/** Secrets that `npm start` generated (var/secrets.env, KEY=value lines); the environment wins. */
export const SECRETS_FILE = "var/secrets.env";

export function readSecretsFile(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

/** Validates a set of variables; one line per problem, naming the variable. */
export function parseEnv(source: Record<string, string | undefined>): { env: Env; problems?: never } | { env?: never; problems: string[] } {
  const parsed = schema.safeParse(source);
  if (parsed.success) return { env: parsed.data };
  return { problems: parsed.error.issues.map((i) => `${i.path.join(".") || "environment"} ${i.message}`) };
}

function load(): Env {
  // `npm run serve` / `npm run workers` in development find the secrets `npm start` generated.
  const fromFile = (process.env.NODE_ENV ?? "development") === "development" ? readSecretsFile(path.resolve(process.cwd(), SECRETS_FILE)) : {};
  // `next build` loads server modules to collect page data but serves nothing: throwaway secrets
  // (never written anywhere) let it build on a machine, or in an image, that has none yet.
  const buildOnly = process.env.NEXT_PHASE === "phase-production-build"
    ? { NEXTAUTH_SECRET: randomBytes(32).toString("base64url"), MAIL_SECRETS_KEY: randomBytes(32).toString("base64url") }
    : {};
  const result = parseEnv({ ...buildOnly, ...fromFile, ...process.env });
  if (result.env) return result.env;
  const message = `Refusing to start: ${result.problems.join("; ")}`;
  // One clear line, not a stack trace, for a person starting the web or workers process.
  if (process.env.NODE_ENV !== "test") {
    console.error(message);
    process.exit(78);
  }
  throw new Error(message);
}

export const env: Env = load();

export function publicUrl(e: Env = env): string {
  return e.PUBLIC_URL ?? `http://localhost:${e.PORT}`;
}

/**
 * next-auth v4 reads its base URL (callback URLs, Secure cookie flags) from NEXTAUTH_URL itself, in
 * Next's bundle: the web server hands it the validated public address before Next starts.
 */
export function exposeAuthUrl(e: Env = env): void {
  process.env.NEXTAUTH_URL ??= publicUrl(e);
}
