import { publicUrl, type Env } from "~/env";
import type { Clock } from "../clock";
import type { Db } from "../db/client";
import type { EventBus } from "./events";
import type { SearchEngine } from "./kb/search/engine";
import type { Locale } from "~/i18n";
import type { SettingsSource, TemplateOverrides } from "./settings/live-settings";
import type { EnqueueInbound } from "./mail/intake/enqueue-inbound";
import type { EnqueueEmails, RequeueEmail } from "./notifications/email-queue";
import type { RateLimits } from "./security/rate-limit";
import type { SlaSource } from "./sla/policy";
import type { BlobStore } from "./storage/blob-store";
import type { EnqueueWebhookDeliveries } from "./webhooks/queue";
import type { TargetPolicy } from "./webhooks/target-guard";

/**
 * What every use-case may need, built once per process by the composition root
 * (src/server/compose.ts) and passed in, so tests choose real or controlled parts.
 */
export interface Deps {
  db: Db;
  clock: Clock;
  bus: EventBus;
  mail: MailSettings;
  /** Knowledge-base search (PostgreSQL or Meilisearch, see createSearchEngine). */
  search: SearchEngine;
  queues: Queues;
  /** Raw mail, attachments and knowledge-base images. */
  store: BlobStore;
  /** Failure budgets for every check of a secret reachable without a session (modules/security/rate-limit.ts). */
  rateLimits: RateLimits;
  /** Support hours and targets that SLA due times are counted with: a ticket's policy and its calendar. */
  sla: SlaSource;
  /** What admins set at runtime (/admin/ajustes, mail templates, portal texts), as every process sees it now. */
  settings: SettingsSource;
  secrets: {
    /** NEXTAUTH_SECRET: signs and encrypts the session cookies. */
    session: string;
    /** Seals and opens the IMAP mailbox passwords (mailSecretsKey(env)). */
    mailKey: Buffer;
  };
  /** Where webhooks may point (the SSRF guard's policy, modules/webhooks/target-guard.ts). */
  webhooks: { targets: TargetPolicy };
}

/** Jobs a use-case may start; the dispatcher enqueues what domain events carry. */
export interface Queues {
  enqueueEmails: EnqueueEmails;
  /** Sends a released HELD mail: its finished job is replaced by a new one (adapters/bullmq/notifications-queue.ts). */
  requeueEmail: RequeueEmail;
  enqueueInbound: EnqueueInbound;
  enqueueKbIndex: (articleIds: string[]) => Promise<void>;
  /** A timer that closes the ticket at `at` if it is still due then (tickets/auto-close.ts). */
  scheduleAutoClose: (ticketId: string, at: Date) => Promise<void>;
  /** The ticket's one SLA timer, at its next warning or breach; replaces the one pending (sla/timers.ts). */
  scheduleSlaTimer: (ticketId: string, at: Date) => Promise<void>;
  /** Webhook deliveries to send (adapters/bullmq/webhooks-queue.ts); the triggers stage them, the listener enqueues. */
  enqueueWebhookDeliveries: EnqueueWebhookDeliveries;
}

/** The one argument shape of a use-case: `fn(call, input)`, with the parts of the call it needs. */
export interface Call {
  deps: Deps;
}

export interface MailSettings {
  fromAddress: string;
  team: string;
  publicUrl: string;
  /** Support addresses; the first one carries each ticket's reply token (`soporte+<token>@…`). */
  supportAddresses: string[];
  /** Hours a resolved ticket can still be reopened by a reply (said in the "resolved" mail). */
  reopenWindowHours: number;
  /*
   * The rest is set at /admin/ajustes and kept current in place by the settings source (compose.ts,
   * settings/live-settings.ts applyLive), as are `team` and `supportAddresses` above. Absent: the
   * team name, Spanish, Europe/Madrid and the built-in mail texts.
   */
  /** The From name of the team's own mails. */
  senderName?: string;
  /** The language of mail to someone without one. */
  defaultLocale?: Locale;
  /** The time zone of dates in mail to someone without one. */
  timeZone?: string;
  /** The admins' mail templates (mail-templates/); a kind absent here is sent with its built-in text. */
  templates?: TemplateOverrides;
}

export function mailSettings(env: Env): MailSettings {
  return {
    fromAddress: env.MAIL_FROM_ADDRESS,
    team: env.TEAM_NAME,
    publicUrl: publicUrl(env),
    supportAddresses: env.SUPPORT_ADDRESSES,
    reopenWindowHours: env.REOPEN_WINDOW_HOURS,
  };
}
