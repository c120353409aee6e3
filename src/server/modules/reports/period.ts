import { TZDate } from "@date-fns/tz";
import { z } from "zod";
import { CHANNELS, PRIORITIES } from "~/shared/enums";

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s));
const id = z.string().min(1).max(64);

/** A period of whole local days in the desk's zone, both included, and the filters. */
export const reportInput = z
  .strictObject({
    from: day,
    to: day,
    teamId: id.optional(),
    agentId: id.optional(),
    categoryId: id.optional(),
    channel: z.enum(CHANNELS).optional(),
    priority: z.enum(PRIORITIES).optional(),
  })
  .refine((p) => p.from <= p.to, { path: ["to"], message: "REPORT_PERIOD_INVALID" })
  .refine((p) => daysBetween(p.from, p.to) <= 731, { path: ["to"], message: "REPORT_PERIOD_INVALID" });
export type ReportInput = z.output<typeof reportInput>;

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** yyyy-MM-dd `n` days after `d`. */
export function addDays(d: string, n: number): string {
  return new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** Every day of the period, in order. */
export function daysOf(from: string, to: string): string[] {
  return Array.from({ length: daysBetween(from, to) + 1 }, (_, i) => addDays(from, i));
}

/** The instant a local day starts in zone `tz`. */
export function localMidnight(d: string, tz: string): Date {
  const [y, m, dd] = d.split("-").map(Number) as [number, number, number];
  return new Date(new TZDate(y, m - 1, dd, 0, 0, 0, 0, tz).getTime());
}

/** The local day of an instant in zone `tz`. */
export function localDay(at: Date, tz: string): string {
  const t = new TZDate(at.getTime(), tz);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${t.getFullYear()}-${p(t.getMonth() + 1)}-${p(t.getDate())}`;
}
