import Holidays from "date-holidays";
import { HOLIDAY_COUNTRIES } from "./holidays";

// The holiday regions an admin may give a calendar (date-holidays): a country, or one of its
// states or autonomous communities ("ES-MD" Madrid, "ES-CT" Cataluña).

export interface HolidayRegion {
  code: string;
  name: string;
  /** A country's states and regions, when date-holidays knows them. */
  regions: Array<{ code: string; name: string }>;
}

const lister = new Holidays();

export function holidayRegions(locale: string): HolidayRegion[] {
  const countries = lister.getCountries(locale) ?? {};
  return HOLIDAY_COUNTRIES.map((code) => ({
    code,
    name: countries[code] ?? code,
    regions: Object.entries(lister.getStates(code, locale) ?? {})
      .map(([state, name]) => ({ code: `${code}-${state}`, name }))
      .sort((a, b) => a.name.localeCompare(b.name, locale)),
  }));
}

export function isHolidayRegion(value: string): boolean {
  const [country, state, more] = value.split("-");
  if (!country || more !== undefined || !(HOLIDAY_COUNTRIES as readonly string[]).includes(country)) return false;
  return state === undefined || state in (lister.getStates(country) ?? {});
}

/** The public holidays of a region in a year, named in the admin's language: what the calendar will skip. */
export function holidaysOf(region: string, year: number, locale: string): Array<{ date: string; name: string }> {
  const [country, state] = region.split("-");
  const source = state ? new Holidays(country!, state, { types: ["public"] }) : new Holidays(country!, { types: ["public"] });
  return (source.getHolidays(year, locale) ?? []).filter((h) => h.type === "public").map((h) => ({ date: h.date.slice(0, 10), name: h.name }));
}
