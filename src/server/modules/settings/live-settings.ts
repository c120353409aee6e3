import type { Db } from "~/server/db/client";
import { isLocale, type Locale } from "~/i18n";
import type { MailSettings } from "../deps";
import type { ChangeFeed } from "../sla/settings-store";
import { PORTAL_TEXTS_KEY, readPortalTexts, type PortalTexts } from "~/shared/portal-texts";
import { readSiteValue, SITE_KEYS, type SiteKey, type SiteSettings } from "./site-schema";

/** One admin override of a mail: its subject and body (templates with {{placeholders}}). */
export interface TemplateText {
  subject: string;
  body: string;
}

/** The admins' mail templates, by `${kind}:${locale}`; a kind absent here is sent with its built-in text. */
export type TemplateOverrides = ReadonlyMap<string, TemplateText>;

export const templateKey = (kind: string, locale: Locale) => `${kind}:${locale}`;

/** Everything an admin changes at runtime that mail and pages read. */
export interface LiveSettings {
  site: SiteSettings;
  /** The settings an admin has saved (the others read as the environment's). */
  stored: ReadonlySet<SiteKey>;
  templates: TemplateOverrides;
  portalTexts: PortalTexts;
}

/**
 * The settings every process (web, queue workers, SMTP listener) reads: cached in memory and reloaded
 * when PostgreSQL announces a change (a trigger NOTIFYs "app_settings_changed" at commit, migration
 * 20261207120000_settings_templates; adapters/postgres/change-feed.ts LISTENs). The notice arrives
 * within milliseconds of the commit, so a change is seen everywhere well within a second.
 *
 * Why NOTIFY rather than a Redis version key or pub/sub: the notice is part of the change's own
 * transaction, so there is no window where the row changed but the announcement was lost (a crash
 * between commit and a Redis PUBLISH), no announcement of a change that was rolled back, and no
 * read per mail to compare a version. It is also the mechanism the SLA settings already use.
 * While the LISTEN connection is down nothing is cached: every `current()` reads the tables.
 */
export interface SettingsSource {
  /** The environment's values (TEAM_NAME, SUPPORT_ADDRESSES, …): what an unset setting reads as. */
  defaults: SiteSettings;
  /** Fresh settings: the cache while changes are heard, else a read. */
  current(): Promise<LiveSettings>;
  /** The last settings loaded, without waiting (the defaults before the first load). */
  latest(): LiveSettings;
  dropCache(): void;
}

export function emptyLive(defaults: SiteSettings): LiveSettings {
  return { site: defaults, stored: new Set(), templates: new Map(), portalTexts: {} };
}

/** Reads every setting, template and portal text in two queries. */
export async function readLiveSettings(db: Db, defaults: SiteSettings): Promise<LiveSettings> {
  const [rows, templates] = await Promise.all([
    db.appSetting.findMany({ where: { key: { in: [...SITE_KEYS, PORTAL_TEXTS_KEY] } }, select: { key: true, value: true } }),
    db.mailTemplate.findMany({ select: { kind: true, locale: true, subject: true, body: true } }),
  ]);
  const byKey = new Map(rows.map((r) => [r.key, r.value]));
  const site = { ...defaults };
  const stored = new Set<SiteKey>();
  for (const key of SITE_KEYS) {
    const v = readSiteValue(key, byKey.get(key));
    if (v === undefined) continue;
    (site as Record<string, unknown>)[key] = v;
    stored.add(key);
  }
  return {
    site,
    stored,
    templates: new Map(templates.filter((t) => isLocale(t.locale)).map((t) => [templateKey(t.kind, t.locale as Locale), { subject: t.subject, body: t.body }])),
    portalTexts: readPortalTexts(byKey.get(PORTAL_TEXTS_KEY)),
  };
}

export function dbSettingsSource(db: Db, feed: ChangeFeed, defaults: SiteSettings, onLoad: (live: LiveSettings) => void = () => {}): SettingsSource {
  let latest = emptyLive(defaults);
  let cached: Promise<LiveSettings> | null = null;
  let listening: Promise<void> | null = null;

  async function current(): Promise<LiveSettings> {
    // Listening starts before the first read, so no change made after that read goes unheard.
    await (listening ??= feed.listen(onChange));
    if (cached) return cached;
    const reading = readLiveSettings(db, defaults).then((live) => {
      latest = live;
      onLoad(live);
      return live;
    });
    if (feed.live()) {
      cached = reading;
      reading.catch(() => {
        if (cached === reading) cached = null;
      });
    }
    return reading;
  }

  function onChange() {
    cached = null;
    // Reloaded at once, so code that only looks at the latest values (deps.mail) sees the change too.
    void current().catch(() => {});
  }

  return {
    defaults,
    current,
    latest: () => latest,
    dropCache: () => {
      cached = null;
    },
  };
}

/** Settings that never change (tests, benchmarks): the defaults, plus any templates or texts given. */
export function fixedSettingsSource(defaults: SiteSettings, extra: Partial<Omit<LiveSettings, "site">> = {}): SettingsSource {
  const live = { ...emptyLive(defaults), ...extra };
  return { defaults, current: async () => live, latest: () => live, dropCache: () => {} };
}

/** The environment's values as settings. */
export function siteDefaults(mail: MailSettings, timeZone: string): SiteSettings {
  return {
    teamName: mail.team,
    senderName: "",
    supportAddresses: mail.supportAddresses,
    defaultLocale: "es",
    defaultTimeZone: timeZone,
  };
}

/** Copies live values onto a process's MailSettings (the object every mail reads), in place. */
export function applyLive(mail: MailSettings, live: LiveSettings): void {
  mail.team = live.site.teamName;
  mail.senderName = live.site.senderName || live.site.teamName;
  mail.supportAddresses = live.site.supportAddresses;
  mail.defaultLocale = live.site.defaultLocale;
  mail.timeZone = live.site.defaultTimeZone;
  mail.templates = live.templates;
}
