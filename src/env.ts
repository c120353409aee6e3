import { availableParallelism } from "node:os";
import { z } from "zod";
import { parseSecretKey } from "./server/modules/mail/secret-box";

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
  /** A reply to a resolved ticket within this many hours reopens it; later it opens a follow-up. */
  REOPEN_WINDOW_HOURS: z.coerce.number().positive().default(72),
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
   * (AES-256-GCM, src/server/modules/mail/secret-box.ts). Unset: derived from NEXTAUTH_SECRET, which
   * is enough for the demo and tests; production should set its own (`openssl rand -base64 32`), so
   * rotating NEXTAUTH_SECRET does not make the stored passwords unreadable.
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
  SEED_DEMO: z.enum(["0", "1"]).default("1"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
}).superRefine((e, ctx) => {
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
