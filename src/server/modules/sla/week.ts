import { z } from "zod";
import type { BusinessCalendar, OpenStretch } from "./business-hours";

// A calendar's weekly hours as stored (BusinessCalendar.week) and as admins send them: per weekday
// ("0" Sunday … "6" Saturday) a list of [start, end) stretches in minutes from local midnight.

const DAY_MINUTES = 24 * 60;

const stretch = z
  .strictObject({
    start: z.number({ error: "SLA_HOURS_INVALID" }).int("SLA_HOURS_INVALID").min(0, "SLA_HOURS_INVALID").max(DAY_MINUTES, "SLA_HOURS_INVALID"),
    end: z.number({ error: "SLA_HOURS_INVALID" }).int("SLA_HOURS_INVALID").min(0, "SLA_HOURS_INVALID").max(DAY_MINUTES, "SLA_HOURS_INVALID"),
  })
  .refine((s) => s.start < s.end, "SLA_INTERVAL_ORDER");

/** One weekday's stretches: each starts before it ends, none overlaps another. */
const day = z
  .array(stretch)
  .max(12, "SLA_TOO_MANY_INTERVALS")
  .refine((stretches) => {
    const sorted = [...stretches].sort((a, b) => a.start - b.start);
    return sorted.every((s, i) => i === 0 || sorted[i - 1]!.end <= s.start);
  }, "SLA_INTERVAL_OVERLAP")
  .transform((stretches) => [...stretches].sort((a, b) => a.start - b.start));

/** Seven weekdays, Sunday first; at least one of them open. */
export const weekInput = z
  .array(day)
  .length(7, "SLA_HOURS_INVALID")
  .refine((days) => days.some((d) => d.length > 0), "SLA_WEEK_EMPTY");
export type WeekInput = z.input<typeof weekInput>;

type StoredWeek = Record<string, Array<[number, number]>>;

export function weekToStored(days: readonly (readonly OpenStretch[])[]): StoredWeek {
  return Object.fromEntries(days.map((d, i) => [String(i), d.map((s) => [s.start, s.end] as [number, number])]));
}

export function weekFromStored(json: unknown): BusinessCalendar["week"] {
  const stored = (json ?? {}) as StoredWeek;
  return Object.fromEntries(Array.from({ length: 7 }, (_, i) => [i, (stored[String(i)] ?? []).map(([start, end]) => ({ start, end }))]));
}

/** The week as seven lists, Sunday first (what the admin screen edits). */
export function weekDays(week: BusinessCalendar["week"]): OpenStretch[][] {
  return Array.from({ length: 7 }, (_, i) => (week[i] ?? []).map((s) => ({ start: s.start, end: s.end })));
}
