import { availableParallelism } from "node:os";
import { z } from "zod";

// The only reader of process.env: every setting is validated once, at start-up.
const schema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  DATABASE_URL: z.string().url().default("postgresql://postgres@127.0.0.1:5432/ventanilla"),
  REDIS_URL: z.string().url().default("redis://127.0.0.1:6379"),
  REDIS_PREFIX: z.string().min(1).default("vt"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  PUBLIC_URL: z.string().url().optional(),
  NEXTAUTH_SECRET: z.string().min(16).default("ventanilla-dev-secret-change-me-in-production"),
  SMTP_URL: z.string().optional(),
  SMTP_INBOUND_PORT: z.coerce.number().int().min(0).max(65535).default(2525),
  SMTP_INBOUND_HOST: z.string().default("0.0.0.0"),
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
  /** A reply to a resolved ticket within this many hours reopens it; later it opens a follow-up. */
  REOPEN_WINDOW_HOURS: z.coerce.number().positive().default(72),
  /**
   * Workers processes (each runs every queue; they share the SMTP port). Default: one per two cores,
   * up to 4 — the other cores belong to PostgreSQL, Redis and the web process (bench:mail on 2
   * cores: 1 process 107 mails/s, 2 processes 91).
   */
  WORKER_PROCESSES: z.coerce.number().int().min(1).max(32).default(() => Math.max(1, Math.min(Math.floor(availableParallelism() / 2), 4))),
  /** How often the workers fetch unseen mail from the configured IMAP mailboxes. */
  IMAP_POLL_SECONDS: z.coerce.number().int().positive().default(60),
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
  SEED_DEMO: z.enum(["0", "1"]).default("1"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
});

export type Env = z.infer<typeof schema>;

function load(): Env {
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid environment:\n${lines}`);
  }
  return parsed.data;
}

export const env: Env = load();

export function publicUrl(e: Env = env): string {
  return e.PUBLIC_URL ?? `http://localhost:${e.PORT}`;
}
