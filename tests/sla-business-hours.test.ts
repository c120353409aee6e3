import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseEnv } from "~/env";
import { addBusinessTime, businessTimeBetween, SEED_WEEK, type BusinessCalendar } from "~/server/modules/sla/business-hours";
import { closedDays } from "~/server/modules/sla/holidays";
import { dueDatesFor, resumeDueDates, retargetDue } from "~/server/modules/sla/due-times";
import { SEED_POLICY } from "~/server/modules/sla/policy";
import { seedSlaSettings } from "~/server/modules/sla/seed-calendar";

const H = 3600_000;
const calendar = (timeZone: string, country: string, region?: string, custom: string[] = []): BusinessCalendar => ({
  timeZone,
  week: SEED_WEEK,
  isClosedDay: closedDays({ country, region, custom }),
});
const madrid = calendar("Europe/Madrid", "ES", "MD");
const mexico = calendar("America/Mexico_City", "MX");
const buenosAires = calendar("America/Argentina/Buenos_Aires", "AR");

// Monday-Friday 08:00-17:00 local (seed 000). Each row: where, when it starts (UTC), how many open
// hours, when they have passed (UTC), and why.
const cases: Array<[string, BusinessCalendar, string, number, string, string]> = [
  ["Madrid", madrid, "2026-03-06T15:59:00Z", 24, "2026-03-11T12:59:00Z", "Friday 16:59: one minute, then Monday and Tuesday whole, Wednesday 13:59"],
  ["Madrid", madrid, "2026-03-07T09:00:00Z", 1, "2026-03-09T08:00:00Z", "Saturday: the hour starts Monday 08:00 (CET)"],
  ["Madrid", madrid, "2026-03-09T05:00:00Z", 9, "2026-03-09T16:00:00Z", "before opening: Monday 08:00-17:00 exactly"],
  ["Madrid", madrid, "2026-03-09T16:00:00Z", 0, "2026-03-09T16:00:00Z", "zero hours at closing time"],
  ["Madrid", madrid, "2026-03-27T09:00:00Z", 9, "2026-03-30T08:00:00Z", "across the spring DST change: Friday 10:00 CET + 9 h = Monday 10:00 CEST"],
  ["Madrid", madrid, "2026-10-23T08:00:00Z", 9, "2026-10-26T09:00:00Z", "across the autumn DST change: Friday 10:00 CEST + 9 h = Monday 10:00 CET"],
  ["Madrid", madrid, "2026-04-01T14:00:00Z", 4, "2026-04-06T09:00:00Z", "Holy Thursday (Madrid) and Good Friday are closed"],
  ["Mexico City", mexico, "2026-01-30T18:00:00Z", 24, "2026-02-05T15:00:00Z", "Día de la Constitución (Monday 2 February) is closed"],
  ["Buenos Aires", buenosAires, "2026-03-23T12:00:00Z", 9, "2026-03-25T12:00:00Z", "24 March is a public holiday; the 23rd is only optional (open)"],
  ["Mexico City", mexico, "2026-03-06T22:59:00Z", 1, "2026-03-09T14:59:00Z", "Friday 16:59 (UTC-6): one minute, then Monday 08:59"],
  ["Mexico City", mexico, "2026-03-13T22:00:00Z", 2, "2026-03-17T15:00:00Z", "Friday 16:00 + 2 h: Monday 16 March (Benito Juárez, third Monday) is closed"],
  ["Mexico City", mexico, "2026-03-27T22:00:00Z", 3, "2026-03-30T16:00:00Z", "no DST since 2022: Madrid's spring change moves nothing here"],
  ["Buenos Aires", buenosAires, "2026-03-06T19:59:00Z", 1, "2026-03-09T11:59:00Z", "Friday 16:59 (UTC-3): one minute, then Monday 08:59"],
  ["Buenos Aires", buenosAires, "2026-02-13T19:00:00Z", 3, "2026-02-18T13:00:00Z", "Carnival Monday and Tuesday (16-17 February) are closed"],
];

describe("business hours (seed 000: Monday-Friday 08:00-17:00, national and regional holidays)", () => {
  const rows = cases.map(([where, cal, from, hours, due, why]) => ({ where, cal, from, hours, due, why }));

  it.each(rows)("$where: $from + $hours open hours = $due ($why)", ({ cal, from, hours, due }) => {
    expect(addBusinessTime(cal, new Date(from), hours * H).toISOString()).toBe(new Date(due).toISOString());
  });

  it.each(rows)("$where: the open time between $from and $due is $hours hours", ({ cal, from, hours, due }) => {
    expect(businessTimeBetween(cal, new Date(from), new Date(due))).toBe(hours * H);
  });

  it("counts only open time between two instants: Friday 16:00 → Monday 09:00 in Madrid is 2 h", () => {
    expect(businessTimeBetween(madrid, new Date("2026-03-06T15:00:00Z"), new Date("2026-03-09T08:00:00Z"))).toBe(2 * H);
    expect(businessTimeBetween(madrid, new Date("2026-03-09T08:00:00Z"), new Date("2026-03-06T15:00:00Z"))).toBe(0);
  });

  it("custom closed days are closed too; a calendar open nowhere is an error, not an endless loop", () => {
    const withDay = calendar("Europe/Madrid", "ES", undefined, ["2026-03-09"]);
    expect(addBusinessTime(withDay, new Date("2026-03-09T07:00:00Z"), H).toISOString()).toBe("2026-03-10T08:00:00.000Z");
    const never: BusinessCalendar = { timeZone: "UTC", week: {}, isClosedDay: () => false };
    expect(() => addBusinessTime(never, new Date("2026-03-09T07:00:00Z"), H)).toThrow(/no opening hours/);
  });

  it("a calendar-hours target counts round the clock", () => {
    const roundTheClock = { ...SEED_POLICY, resolution: { ...SEED_POLICY.resolution, HIGH: { hours: 24, businessHours: false } } };
    expect(dueDatesFor(madrid, roundTheClock, new Date("2026-03-07T09:00:00Z"), "HIGH").resolutionDueAt.toISOString()).toBe("2026-03-08T09:00:00.000Z");
  });
});

describe("the seed's policy", () => {
  it("first response in 24 open hours; resolution in 24/48/72 open hours by priority", () => {
    const opened = new Date("2026-03-06T15:59:00Z"); // Friday 16:59 in Madrid
    const high = dueDatesFor(madrid, SEED_POLICY, opened, "HIGH");
    expect(high.firstResponseDueAt.toISOString()).toBe("2026-03-11T12:59:00.000Z");
    expect(high.resolutionDueAt.toISOString()).toBe("2026-03-11T12:59:00.000Z");
    // 48 h: 1 min Friday + 5 whole days (45 h) + 2 h 59 min on the 6th open day (Monday 16 March).
    expect(dueDatesFor(madrid, SEED_POLICY, opened, "MEDIUM").resolutionDueAt.toISOString()).toBe("2026-03-16T09:59:00.000Z");
    // 72 h: 1 min + 7 whole days (63 h) + 8 h 59 min on the 8th open day (Wednesday 18 March).
    expect(dueDatesFor(madrid, SEED_POLICY, opened, "LOW").resolutionDueAt.toISOString()).toBe("2026-03-18T15:59:00.000Z");
  });
});

describe("BUSINESS_TIME_ZONE and BUSINESS_HOLIDAYS", () => {
  const parse = (vars: Record<string, string>) => parseEnv({ NODE_ENV: "test", NEXTAUTH_SECRET: randomBytes(32).toString("base64url"), ...vars });
  it("default to Madrid and Spain's holidays; a bad zone or holiday code is refused at start-up, naming the setting", () => {
    expect(parse({}).env).toMatchObject({ BUSINESS_TIME_ZONE: "Europe/Madrid", BUSINESS_HOLIDAYS: "ES" });
    expect(parse({ BUSINESS_TIME_ZONE: "America/Mexico_City", BUSINESS_HOLIDAYS: "MX" }).env).toMatchObject({ BUSINESS_TIME_ZONE: "America/Mexico_City" });
    expect(parse({ BUSINESS_TIME_ZONE: "Madrid" }).problems?.join()).toMatch(/BUSINESS_TIME_ZONE.*IANA/);
    expect(parse({ BUSINESS_HOLIDAYS: "spain" }).problems?.join()).toMatch(/BUSINESS_HOLIDAYS/);
    expect(seedSlaSettings("Europe/Madrid", "ES-MD").calendar.isClosedDay("2026-05-02")).toBe(true); // Día de la Comunidad de Madrid
    expect(seedSlaSettings("Europe/Madrid", "ES").calendar.isClosedDay("2026-05-02")).toBe(false);
    expect(seedSlaSettings("Europe/Madrid", "").calendar.isClosedDay("2026-01-01")).toBe(false);
  });
});

describe("pausing the SLA clock", () => {
  const sla = { calendar: madrid, policy: { ...SEED_POLICY, resolution: { ...SEED_POLICY.resolution, HIGH: { hours: 8, businessHours: false } } } };
  it("each target keeps what it had left, counted its own way; one already missed stays missed", () => {
    const pausedAt = new Date("2026-03-02T11:00:00Z"); // Monday 12:00 in Madrid
    const now = new Date("2026-03-03T11:00:00Z"); // Tuesday 12:00
    const due = {
      firstResponseDueAt: new Date("2026-03-02T10:00:00Z"),
      resolutionDueAt: new Date("2026-03-02T15:00:00Z"),
      firstResponseWarnAt: new Date("2026-03-02T09:00:00Z"),
      resolutionWarnAt: new Date("2026-03-02T13:24:00Z"),
    };
    const moved = resumeDueDates(sla, "HIGH", due, pausedAt, now, false);
    expect(moved.firstResponseDueAt).toEqual(due.firstResponseDueAt); // missed before the pause
    expect(moved.firstResponseWarnAt).toEqual(due.firstResponseWarnAt);
    expect(moved.resolutionDueAt).toEqual(new Date("2026-03-03T15:00:00Z")); // 4 calendar hours were left
    expect(moved.resolutionWarnAt).toEqual(new Date("2026-03-03T13:24:00Z")); // and 2 h 24 min to the warning
    const running = { firstResponseDueAt: null, resolutionDueAt: new Date("2026-03-02T15:00:00Z"), firstResponseWarnAt: null, resolutionWarnAt: new Date("2026-03-02T14:00:00Z") };
    const business = resumeDueDates({ calendar: madrid, policy: SEED_POLICY }, "MEDIUM", running, pausedAt, now, true);
    // 4 open hours left to the due time, 3 to the warning.
    expect(business).toEqual({ firstResponseDueAt: null, resolutionDueAt: new Date("2026-03-03T15:00:00Z"), firstResponseWarnAt: null, resolutionWarnAt: new Date("2026-03-03T14:00:00Z") });
  });
});

describe("warning times (policy.warnAtPercent of each target, counted as the target counts)", () => {
  it("80% of 24 open hours is 19 h 12 min of open time: from Monday 11:00 in Madrid, Wednesday 12:12", () => {
    const opened = new Date("2026-03-02T10:00:00Z");
    const d = dueDatesFor(madrid, SEED_POLICY, opened, "HIGH");
    expect(d.firstResponseWarnAt.toISOString()).toBe("2026-03-04T11:12:00.000Z");
    expect(d.firstResponseDueAt.toISOString()).toBe("2026-03-04T16:00:00.000Z");
    expect(d.resolutionWarnAt).toEqual(d.firstResponseWarnAt);
    // 48 open hours → the warning after 38 h 24 min: Monday 6 h, Tuesday to Thursday 27 h, Friday 08:00 + 5 h 24 min.
    expect(dueDatesFor(madrid, SEED_POLICY, opened, "MEDIUM").resolutionWarnAt.toISOString()).toBe("2026-03-06T12:24:00.000Z");
  });

  it("Friday 16:59 in Madrid: the warning skips the weekend like the due time", () => {
    const d = dueDatesFor(madrid, SEED_POLICY, new Date("2026-03-06T15:59:00Z"), "HIGH");
    // 19 h 12 min: 1 min Friday, Monday 9 h, Tuesday 9 h, Wednesday 1 h 11 min.
    expect(d.firstResponseWarnAt.toISOString()).toBe("2026-03-11T08:11:00.000Z");
  });

  it("a round-the-clock target warns at 80% of its calendar hours; another percentage is honoured", () => {
    const policy = { ...SEED_POLICY, resolution: { ...SEED_POLICY.resolution, HIGH: { hours: 8, businessHours: false } } };
    const saturday = new Date("2026-03-07T09:00:00Z");
    expect(dueDatesFor(madrid, policy, saturday, "HIGH").resolutionWarnAt.toISOString()).toBe("2026-03-07T15:24:00.000Z");
    expect(dueDatesFor(madrid, { ...policy, warnAtPercent: 50 }, saturday, "HIGH").resolutionWarnAt.toISOString()).toBe("2026-03-07T13:00:00.000Z");
  });

  it("a new target moves the warning with the due time, keeping the pauses the old due time held", () => {
    const opened = new Date("2026-03-02T10:00:00Z");
    const [medium, high] = [SEED_POLICY.resolution.MEDIUM, SEED_POLICY.resolution.HIGH];
    const due = dueDatesFor(madrid, SEED_POLICY, opened, "MEDIUM").resolutionDueAt;
    expect(retargetDue(madrid, opened, due, medium, high, 0.8)).toEqual(dueDatesFor(madrid, SEED_POLICY, opened, "HIGH").resolutionWarnAt);
    // The MEDIUM due time had moved 9 open hours (a paused day): the HIGH warning moves as much.
    const paused = addBusinessTime(madrid, due, 9 * H);
    expect(retargetDue(madrid, opened, paused, medium, high, 0.8)).toEqual(addBusinessTime(madrid, opened, (24 * 0.8 + 9) * H));
    expect(retargetDue(madrid, opened, paused, medium, high)).toEqual(addBusinessTime(madrid, opened, 33 * H));
  });
});
