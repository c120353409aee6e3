import { TZDate } from "@date-fns/tz";

/** Minutes from local midnight: [start, end) of one stretch of opening hours. */
export interface OpenStretch {
  start: number;
  end: number;
}

/**
 * When the desk is open: a time zone, the opening hours of each weekday (0 Sunday … 6 Saturday, in
 * local time) and the days it is closed whatever the weekday says.
 */
export interface BusinessCalendar {
  timeZone: string;
  week: Readonly<Record<number, readonly OpenStretch[]>>;
  /** `yyyy-MM-dd` in the calendar's time zone. */
  isClosedDay(localDate: string): boolean;
}

/** Seed 000: "el horario de soporte es de Lunes a Viernes de 8AM a 5PM". */
export const SEED_WEEK: BusinessCalendar["week"] = {
  0: [],
  1: [{ start: 8 * 60, end: 17 * 60 }],
  2: [{ start: 8 * 60, end: 17 * 60 }],
  3: [{ start: 8 * 60, end: 17 * 60 }],
  4: [{ start: 8 * 60, end: 17 * 60 }],
  5: [{ start: 8 * 60, end: 17 * 60 }],
  6: [],
};

/** A search horizon: no calendar with any opening hours needs more than this many days to find them. */
const MAX_DAYS = 3 * 366;

interface LocalDay {
  y: number;
  m: number;
  d: number;
}

const pad = (n: number) => String(n).padStart(2, "0");

function localDayOf(cal: BusinessCalendar, at: Date): LocalDay {
  const t = new TZDate(at.getTime(), cal.timeZone);
  return { y: t.getFullYear(), m: t.getMonth(), d: t.getDate() };
}

/** The instant of a local wall time; Date-style overflow (day 32, minute 600) rolls over, and DST is the zone's. */
function instant(cal: BusinessCalendar, day: LocalDay, minutes: number): number {
  return new TZDate(day.y, day.m, day.d, Math.floor(minutes / 60), minutes % 60, 0, 0, cal.timeZone).getTime();
}

/** Opening stretches per calendar and local day: every ticket opened on a day walks the same days. */
const stretchCache = new WeakMap<BusinessCalendar, Map<string, Array<[number, number]>>>();
const STRETCH_CACHE_MAX = 5000;

/** The day's opening stretches as instants, none on a closed day. */
function openStretches(cal: BusinessCalendar, day: LocalDay): Array<[number, number]> {
  let byDay = stretchCache.get(cal);
  if (!byDay) stretchCache.set(cal, (byDay = new Map()));
  const key = `${day.y}-${day.m}-${day.d}`;
  let stretches = byDay.get(key);
  if (!stretches) {
    if (byDay.size >= STRETCH_CACHE_MAX) byDay.clear();
    stretches = computeOpenStretches(cal, day);
    byDay.set(key, stretches);
  }
  return stretches;
}

function computeOpenStretches(cal: BusinessCalendar, day: LocalDay): Array<[number, number]> {
  const noon = new TZDate(day.y, day.m, day.d, 12, 0, 0, 0, cal.timeZone);
  const key = `${noon.getFullYear()}-${pad(noon.getMonth() + 1)}-${pad(noon.getDate())}`;
  if (cal.isClosedDay(key)) return [];
  const normalized = { y: noon.getFullYear(), m: noon.getMonth(), d: noon.getDate() };
  return (cal.week[noon.getDay()] ?? []).map((s) => [instant(cal, normalized, s.start), instant(cal, normalized, s.end)]);
}

function* daysFrom(start: LocalDay): Generator<LocalDay> {
  for (let i = 0; i < MAX_DAYS; i++) yield { y: start.y, m: start.m, d: start.d + i };
}

/** The instant when `ms` of open time have passed after `from` (`from` itself for none). */
export function addBusinessTime(cal: BusinessCalendar, from: Date, ms: number): Date {
  let left = Math.max(0, ms);
  const t0 = from.getTime();
  if (left === 0) return new Date(t0);
  for (const day of daysFrom(localDayOf(cal, from))) {
    for (const [open, close] of openStretches(cal, day)) {
      const start = Math.max(open, t0);
      if (start >= close) continue;
      if (left <= close - start) return new Date(start + left);
      left -= close - start;
    }
  }
  throw new Error(`business calendar ${cal.timeZone}: no opening hours within ${MAX_DAYS} days`);
}

/** Open time between two instants, in ms (0 when `to` is not after `from`). */
export function businessTimeBetween(cal: BusinessCalendar, from: Date, to: Date): number {
  const a = from.getTime();
  const b = to.getTime();
  if (b <= a) return 0;
  let total = 0;
  for (const day of daysFrom(localDayOf(cal, from))) {
    for (const [open, close] of openStretches(cal, day)) {
      if (open >= b) return total;
      total += Math.max(0, Math.min(close, b) - Math.max(open, a));
    }
    if (instant(cal, day, 0) > b) return total;
  }
  return total;
}
