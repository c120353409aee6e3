import { SEED_WEEK } from "./business-hours";
import { closedDays } from "./holidays";
import { SEED_POLICY, type SlaSettings } from "./policy";

/**
 * Seed 000's support hours (Monday-Friday 08:00-17:00) in a time zone, skipping a country's (or a
 * region's: "ES-MD") public holidays, with the seed's policy: fixed settings for tests and tools
 * (the running app reads the admins' ones, sla/settings-store.ts).
 */
export function seedSlaSettings(timeZone: string, holidays: string): SlaSettings {
  const [country, region] = holidays ? holidays.split("-") : [];
  return { calendar: { timeZone, week: SEED_WEEK, isClosedDay: closedDays({ country, region }) }, policy: SEED_POLICY };
}
