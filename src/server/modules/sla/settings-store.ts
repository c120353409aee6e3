import type { Db } from "~/server/db/client";
import type { Channel } from "~/shared/enums";
import type { BusinessCalendar } from "./business-hours";
import { SEED_WEEK } from "./business-hours";
import { closedDays } from "./holidays";
import { policyMatches, SEED_POLICY, type PolicyConditions, type SlaPolicy, type SlaSettings, type SlaSource } from "./policy";
import { weekDays, weekFromStored, weekToStored } from "./week";

/**
 * Tells when the SLA tables changed, in any process: a trigger on them NOTIFYs at commit
 * (migration 20261206113000_sla_settings) and the web process, the workers and the scripts each
 * LISTEN (adapters/postgres/change-feed.ts).
 */
export interface ChangeFeed {
  /** Starts listening; resolves after the first attempt, whether or not it connected. */
  listen(onChange: () => void): Promise<void>;
  /** Whether changes are heard right now: settings are cached only while they are. */
  live(): boolean;
}

/** The default calendar and policy's starting values: the env's time zone and holidays (BUSINESS_TIME_ZONE, BUSINESS_HOLIDAYS). */
export interface SlaDefaults {
  timeZone: string;
  holidays: string;
}

export const DEFAULT_CALENDAR_ID = "default-calendar";
export const DEFAULT_POLICY_ID = "default-policy";

interface Loaded {
  rules: Array<{ conditions: PolicyConditions; settings: SlaSettings }>;
  fallback: SlaSettings;
}

/**
 * The admins' calendars and policies, read once and kept until a change is heard: the ticket create
 * path (bench:api) asks for every ticket and must not query for it. Without the change feed
 * (PostgreSQL unreachable for LISTEN) every ask reads the tables, so nothing stale is ever used.
 */
export function dbSlaSource(db: Db, feed: ChangeFeed, defaults: SlaDefaults): SlaSource {
  let cached: Promise<Loaded> | null = null;
  let listening: Promise<void> | null = null;
  const drop = () => {
    cached = null;
  };

  async function loaded(): Promise<Loaded> {
    // Listening starts before the first read, so no change made after that read goes unheard.
    await (listening ??= feed.listen(drop));
    if (cached) return cached;
    const reading = readSettings(db, defaults);
    if (feed.live()) {
      cached = reading;
      reading.catch(() => {
        if (cached === reading) cached = null;
      });
    }
    return reading;
  }

  return {
    dropCache: drop,
    async forTicket(ticket) {
      const { rules, fallback } = await loaded();
      return rules.find((r) => policyMatches(r.conditions, ticket))?.settings ?? fallback;
    },
    async all() {
      const { rules, fallback } = await loaded();
      return [...rules.map((r) => r.settings), fallback];
    },
  };
}

async function readSettings(db: Db, defaults: SlaDefaults): Promise<Loaded> {
  let policies = await readPolicies(db);
  if (!policies.some((p) => p.isDefault)) {
    await ensureDefaultSla(db, defaults);
    policies = await readPolicies(db);
  }
  const calendars = new Map<string, BusinessCalendar>();
  const calendarOf = (c: (typeof policies)[number]["calendar"]) => {
    let cal = calendars.get(c.id);
    if (!cal) {
      const [country, region] = c.holidayRegion ? c.holidayRegion.split("-") : [];
      cal = { timeZone: c.timeZone, week: weekFromStored(c.week), isClosedDay: closedDays({ country, region, custom: c.closedDays.map((d) => d.date) }) };
      calendars.set(c.id, cal);
    }
    return cal;
  };
  const rules = policies.map((p) => ({
    isDefault: p.isDefault,
    conditions: { categoryIds: new Set(p.categories.map((c) => c.id)), channels: new Set<Channel>(p.channels) },
    settings: { calendar: calendarOf(p.calendar), policy: policyOf(p) },
  }));
  const fallback = rules.find((r) => r.isDefault)!;
  return { rules: rules.filter((r) => !r.isDefault), fallback: fallback.settings };
}

function readPolicies(db: Db) {
  return db.slaPolicy.findMany({
    orderBy: [{ position: "asc" }, { id: "asc" }],
    include: { categories: { select: { id: true } }, calendar: { include: { closedDays: { select: { date: true } } } } },
  });
}

type PolicyRow = Awaited<ReturnType<typeof readPolicies>>[number];

export function policyOf(p: Omit<PolicyRow, "categories" | "calendar">): SlaPolicy {
  return {
    firstResponse: { hours: p.firstResponseHours, businessHours: p.firstResponseBusiness },
    resolution: {
      HIGH: { hours: p.resolutionHighHours, businessHours: p.resolutionHighBusiness },
      MEDIUM: { hours: p.resolutionMediumHours, businessHours: p.resolutionMediumBusiness },
      LOW: { hours: p.resolutionLowHours, businessHours: p.resolutionLowBusiness },
    },
    warnAtPercent: p.warnAtPercent,
    closeWaitingAfterHours: p.closeWaitingAfterHours,
    closeResolvedAfterHours: p.closeResolvedAfterHours,
  };
}

/** A policy's targets as its table's columns. */
export function policyColumns(p: SlaPolicy) {
  return {
    firstResponseHours: p.firstResponse.hours,
    firstResponseBusiness: p.firstResponse.businessHours,
    resolutionHighHours: p.resolution.HIGH.hours,
    resolutionHighBusiness: p.resolution.HIGH.businessHours,
    resolutionMediumHours: p.resolution.MEDIUM.hours,
    resolutionMediumBusiness: p.resolution.MEDIUM.businessHours,
    resolutionLowHours: p.resolution.LOW.hours,
    resolutionLowBusiness: p.resolution.LOW.businessHours,
    warnAtPercent: p.warnAtPercent,
    closeWaitingAfterHours: p.closeWaitingAfterHours,
    closeResolvedAfterHours: p.closeResolvedAfterHours,
  };
}

/**
 * Seed 000 and 002 as the default calendar (Monday-Friday 08:00-17:00 in the env's zone, skipping its
 * holidays) and the default policy. Idempotent, and safe when several processes start at once.
 */
export async function ensureDefaultSla(db: Db, defaults: SlaDefaults): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.businessCalendar.createMany({
      data: [
        {
          id: DEFAULT_CALENDAR_ID,
          name: "Horario de soporte",
          timeZone: defaults.timeZone,
          week: weekToStored(weekDays(SEED_WEEK)),
          holidayRegion: defaults.holidays || null,
          isDefault: true,
        },
      ],
      skipDuplicates: true,
    });
    const calendar = await tx.businessCalendar.findFirstOrThrow({ where: { isDefault: true }, select: { id: true } });
    await tx.slaPolicy.createMany({
      data: [{ id: DEFAULT_POLICY_ID, name: "Política general", position: 0, isDefault: true, calendarId: calendar.id, channels: [], ...policyColumns(SEED_POLICY) }],
      skipDuplicates: true,
    });
  });
}
