import Holidays from "date-holidays";

/**
 * Public holidays of a country (and optionally a region: "ES" + "MD" is Madrid), from the
 * date-holidays package, plus custom closed days (`yyyy-MM-dd`). Years are computed when first asked.
 */
export function closedDays(opts: { country?: string | null; region?: string | null; custom?: readonly string[] }): (localDate: string) => boolean {
  const custom = new Set(opts.custom ?? []);
  const source = !opts.country ? null : opts.region ? new Holidays(opts.country, opts.region, { types: ["public"] }) : new Holidays(opts.country, { types: ["public"] });
  const byYear = new Map<number, Set<string>>();
  const yearOf = (year: number) => {
    let days = byYear.get(year);
    if (!days) {
      days = new Set((source?.getHolidays(year) ?? []).filter((h) => h.type === "public").map((h) => h.date.slice(0, 10)));
      byYear.set(year, days);
    }
    return days;
  };
  return (localDate) => custom.has(localDate) || yearOf(Number(localDate.slice(0, 4))).has(localDate);
}

/** The countries whose holidays an admin may pick (Spain and Latin America first: our users). */
export const HOLIDAY_COUNTRIES = ["ES", "MX", "AR", "CO", "CL", "PE", "EC", "VE", "GT", "CU", "BO", "DO", "HN", "PY", "SV", "NI", "CR", "PA", "UY", "PR", "US"] as const;
