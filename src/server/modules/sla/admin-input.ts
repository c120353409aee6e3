import { z } from "zod";
import { CHANNELS } from "~/shared/enums";
import { isHolidayRegion } from "./holiday-regions";
import { weekInput } from "./week";

// What admins send to /admin/sla; the messages are error codes (src/i18n errors.*).

export const slaId = z.string().min(1).max(64);

const name = z.string().trim().min(1, "NAME_REQUIRED").max(100, "NAME_TOO_LONG");

export const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return tz.includes("/") || tz === "UTC";
  } catch {
    return false;
  }
};

export const calendarInput = z.strictObject({
  /** Absent: a new calendar. */
  id: slaId.optional(),
  name,
  timeZone: z.string().max(64, "SLA_TIME_ZONE_INVALID").refine(isTimeZone, "SLA_TIME_ZONE_INVALID"),
  week: weekInput,
  /** A date-holidays country or region ("ES", "ES-MD", "MX"); null for none. */
  holidayRegion: z.string().max(16, "SLA_HOLIDAY_REGION_INVALID").refine(isHolidayRegion, "SLA_HOLIDAY_REGION_INVALID").nullable(),
});
export type CalendarInput = z.input<typeof calendarInput>;

const localDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "SLA_DATE_INVALID")
  .refine((d) => {
    const t = new Date(`${d}T00:00:00Z`);
    return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === d;
  }, "SLA_DATE_INVALID");

export const closedDayInput = z.strictObject({ calendarId: slaId, date: localDate, name });

const hours = z.number({ error: "SLA_TARGET_INVALID" }).positive("SLA_TARGET_INVALID").max(10_000, "SLA_TARGET_INVALID");
const target = z.strictObject({ hours, businessHours: z.boolean() });

export const policyInput = z.strictObject({
  /** Absent: a new policy, placed last before the default one. */
  id: slaId.optional(),
  name,
  calendarId: slaId,
  /** Conditions: empty means any. */
  categoryIds: z.array(slaId).max(200).default([]),
  channels: z.array(z.enum(CHANNELS)).max(CHANNELS.length).default([]),
  firstResponse: target,
  resolution: z.strictObject({ HIGH: target, MEDIUM: target, LOW: target }),
  warnAtPercent: z.number({ error: "SLA_WARN_PERCENT_INVALID" }).int("SLA_WARN_PERCENT_INVALID").min(1, "SLA_WARN_PERCENT_INVALID").max(99, "SLA_WARN_PERCENT_INVALID"),
  closeWaitingAfterHours: hours,
  closeResolvedAfterHours: hours,
});
export type PolicyInput = z.input<typeof policyInput>;

export const movePolicyInput = z.strictObject({ id: slaId, direction: z.enum(["up", "down"]) });

export const holidayPreviewInput = z.strictObject({
  region: z.string().max(16).refine(isHolidayRegion, "SLA_HOLIDAY_REGION_INVALID"),
  year: z.number().int().min(2000).max(2100),
});
