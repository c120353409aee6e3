import { SEED_WEEK, type BusinessCalendar } from "./business-hours";
import { closedDays } from "./holidays";
import { SEED_POLICY, type SlaPolicy } from "./policy";

/** What SLA due times are counted with. */
export interface SlaSettings {
  calendar: BusinessCalendar;
  policy: SlaPolicy;
}

/**
 * Seed 000's support hours (Monday-Friday 08:00-17:00) in a time zone, skipping a country's (or a
 * region's: "ES-MD") public holidays, with the seed's policy.
 */
export function seedSlaSettings(timeZone: string, holidays: string): SlaSettings {
  const [country, region] = holidays ? holidays.split("-") : [];
  return { calendar: { timeZone, week: SEED_WEEK, isClosedDay: closedDays({ country, region }) }, policy: SEED_POLICY };
}
