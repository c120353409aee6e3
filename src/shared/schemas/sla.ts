import { z } from "zod";
import { CHANNELS } from "~/shared/enums";

// What /admin/sla renders (the sla router's outputs).

const stretch = z.object({ start: z.number(), end: z.number() });
const target = z.object({ hours: z.number(), businessHours: z.boolean() });

export const slaCalendar = z.object({
  id: z.string(),
  name: z.string(),
  timeZone: z.string(),
  /** Seven days, Sunday first. */
  week: z.array(z.array(stretch)),
  holidayRegion: z.string().nullable(),
  isDefault: z.boolean(),
  closedDays: z.array(z.object({ id: z.string(), date: z.string(), name: z.string() })),
  policyCount: z.number(),
});
export type SlaCalendarView = z.infer<typeof slaCalendar>;

export const slaPolicy = z.object({
  id: z.string(),
  name: z.string(),
  isDefault: z.boolean(),
  calendarId: z.string(),
  categoryIds: z.array(z.string()),
  channels: z.array(z.enum(CHANNELS)),
  firstResponse: target,
  resolution: z.object({ HIGH: target, MEDIUM: target, LOW: target }),
  warnAtPercent: z.number(),
  closeWaitingAfterHours: z.number(),
  closeResolvedAfterHours: z.number(),
});
export type SlaPolicyView = z.infer<typeof slaPolicy>;

export const slaAdminView = z.object({
  calendars: z.array(slaCalendar),
  /** In the order they are tried, the default one last. */
  policies: z.array(slaPolicy),
  categories: z.array(z.object({ id: z.string(), nameEs: z.string(), nameEn: z.string() })),
});

export const holidayRegions = z.array(
  z.object({ code: z.string(), name: z.string(), regions: z.array(z.object({ code: z.string(), name: z.string() })) }),
);

export const holidayPreview = z.array(z.object({ date: z.string(), name: z.string() }));
