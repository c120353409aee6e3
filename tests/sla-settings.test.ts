// Issue 13 items 6-7: business calendars and SLA policies kept in the database and managed by admins
// (/admin/sla); a ticket's policy is the first whose category and channel conditions it meets.
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { env } from "~/env";
import { pgChangeFeed } from "~/server/adapters/postgres/change-feed";
import { fixedClock } from "~/server/clock";
import { DEFAULT_POLICY_ID, dbSlaSource } from "~/server/modules/sla/settings-store";
import type { SlaSource } from "~/server/modules/sla/policy";
import { callerFor, db, makeCategory, makeUser, testDeps } from "./support/fixtures";

const H = 3600_000;
const feeds: Array<ReturnType<typeof pgChangeFeed>> = [];
const created: string[] = [];
const calendars: string[] = [];

/** What each process builds (compose.ts): the tables, read once, dropped on NOTIFY. */
function source(): SlaSource {
  const feed = pgChangeFeed(env.DATABASE_URL, "sla_settings_changed");
  feeds.push(feed);
  return dbSlaSource(db, feed, { timeZone: "Europe/Madrid", holidays: "ES" });
}

const MON_FRI_8_17 = [[], ...Array.from({ length: 5 }, () => [{ start: 8 * 60, end: 17 * 60 }]), []];
const target = (hours: number, businessHours = false) => ({ hours, businessHours });
const policyOf = (name: string, calendarId: string, firstResponse: { hours: number; businessHours: boolean }, conditions: { categoryIds?: string[]; channels?: Array<"PORTAL" | "EMAIL" | "PHONE" | "GUEST"> }) => ({
  name,
  calendarId,
  ...conditions,
  firstResponse,
  resolution: { HIGH: target(10), MEDIUM: target(20), LOW: target(30) },
  warnAtPercent: 80,
  closeWaitingAfterHours: 24,
  closeResolvedAfterHours: 72,
});

async function expectError(p: Promise<unknown>, code: string) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TRPCError);
  expect((err as TRPCError).code).toBe(code);
  return err as TRPCError & { shape?: unknown };
}

let admin: { id: string };
let agent: { id: string };
let customer: { id: string };
let defaultCalendarId: string;

beforeAll(async () => {
  [admin, agent, customer] = await Promise.all([makeUser("ADMIN"), makeUser("AGENT"), makeUser("CUSTOMER")]);
  await source().all(); // the default calendar and policy, seeded on first read
  defaultCalendarId = (await db.businessCalendar.findFirstOrThrow({ where: { isDefault: true } })).id;
});

afterAll(async () => {
  // Other test files share this database: no condition of ours may catch their tickets.
  await db.slaPolicy.deleteMany({ where: { id: { in: created } } });
  await db.businessCalendar.deleteMany({ where: { id: { in: calendars } } });
  await Promise.all(feeds.map((f) => f.close()));
});

async function adminApi(sla: SlaSource, at = "2026-03-02T10:00:00Z", locale?: string) {
  const { deps } = testDeps({ sla, clock: fixedClock(new Date(at)) });
  return { deps, api: await callerFor(deps, admin.id, { locale }) };
}

async function newPolicy(api: Awaited<ReturnType<typeof adminApi>>["api"], input: ReturnType<typeof policyOf>) {
  const { id } = await api.sla.savePolicy(input);
  created.push(id);
  return id;
}

async function newCalendar(api: Awaited<ReturnType<typeof adminApi>>["api"], name: string, timeZone: string, holidayRegion: string | null) {
  const { id } = await api.sla.saveCalendar({ name: `${name} ${Date.now()}`, timeZone, week: MON_FRI_8_17, holidayRegion });
  calendars.push(id);
  return id;
}

describe("policy selection", () => {
  it("the first policy by order whose category and channel conditions hold; the default one otherwise", async () => {
    const sla = source();
    const { api, deps } = await adminApi(sla);
    const [a, b] = await Promise.all([makeCategory(), makeCategory()]);
    const byCategory = await newPolicy(api, policyOf("A", defaultCalendarId, target(1), { categoryIds: [a.id] }));
    const byChannel = await newPolicy(api, policyOf("Teléfono", defaultCalendarId, target(2), { channels: ["PHONE"] }));
    await newPolicy(api, policyOf("B por correo", defaultCalendarId, target(3), { categoryIds: [b.id], channels: ["EMAIL"] }));
    const first = async (categoryId: string | null, channel: "PORTAL" | "EMAIL" | "PHONE") => (await sla.forTicket({ categoryId, channel })).policy.firstResponse.hours;

    expect(await first(a.id, "PORTAL")).toBe(1);
    expect(await first(a.id, "PHONE")).toBe(1);
    expect(await first(null, "PHONE")).toBe(2);
    expect(await first(b.id, "EMAIL")).toBe(3);
    expect(await first(b.id, "PORTAL")).toBe(24);
    expect(await first(null, "EMAIL")).toBe(24);

    await api.sla.movePolicy({ id: byChannel, direction: "up" });
    const view = await api.sla.view();
    const ours = view.policies.filter((p) => [byCategory, byChannel].includes(p.id)).map((p) => p.id);
    expect(ours).toEqual([byChannel, byCategory]);
    expect(view.policies.at(-1)).toMatchObject({ id: DEFAULT_POLICY_ID, isDefault: true, categoryIds: [], channels: [] });
    expect(await first(a.id, "PHONE")).toBe(2);
    expect(await first(a.id, "PORTAL")).toBe(1);

    // A ticket through the API is counted with its policy: the customer's, by the portal.
    const phone = await (await callerFor(deps, agent.id)).ticket.create({ subject: "Llamada", description: "x", requesterEmail: `sla-${Date.now()}@cliente.test`, categoryId: b.id });
    const portal = await (await callerFor(deps, customer.id)).ticket.create({ subject: "Portal", description: "x", categoryId: a.id, priority: "LOW" });
    const due = (id: string) => db.ticket.findUniqueOrThrow({ where: { id }, select: { firstResponseDueAt: true, resolutionDueAt: true } });
    const now = deps.clock.now().getTime();
    expect(await due(phone.id)).toEqual({ firstResponseDueAt: new Date(now + 2 * H), resolutionDueAt: new Date(now + 20 * H) });
    expect(await due(portal.id)).toEqual({ firstResponseDueAt: new Date(now + 1 * H), resolutionDueAt: new Date(now + 30 * H) });
    await db.slaPolicy.deleteMany({ where: { id: { in: created } } });
  });
});

describe("calendars from the database", () => {
  it("Madrid's regional holiday (2 May) and an own closed day move the due time", async () => {
    const sla = source();
    // Wednesday 30 April 2025, 16:00 in Madrid; 1 May is national, 2 May Madrid's.
    const { api, deps } = await adminApi(sla, "2025-04-30T14:00:00Z");
    const calendarId = await newCalendar(api, "Madrid", "Europe/Madrid", "ES-MD");
    const cat = await makeCategory();
    await newPolicy(api, policyOf("Madrid", calendarId, target(2, true), { categoryIds: [cat.id] }));
    const open = async () => {
      const t = await (await callerFor(deps, customer.id)).ticket.create({ subject: "Madrid", description: "x", categoryId: cat.id });
      return (await db.ticket.findUniqueOrThrow({ where: { id: t.id } })).firstResponseDueAt;
    };
    // One hour on Wednesday, then Monday 5 May 08:00-09:00 (CEST).
    expect(await open()).toEqual(new Date("2025-05-05T07:00:00Z"));
    await api.sla.addClosedDay({ calendarId, date: "2025-05-05", name: "Puente" });
    expect(await open()).toEqual(new Date("2025-05-06T07:00:00Z"));
    const view = await api.sla.view();
    const day = view.calendars.find((c) => c.id === calendarId)!.closedDays[0]!;
    expect(day).toMatchObject({ date: "2025-05-05", name: "Puente" });
    await api.sla.removeClosedDay({ id: day.id });
    expect(await open()).toEqual(new Date("2025-05-05T07:00:00Z"));
  });

  it("Mexico City: its time zone and Mexico's holidays (Benito Juárez, Monday 16 March 2026)", async () => {
    const sla = source();
    // Friday 13 March 2026, 16:00 in Mexico City (UTC-6).
    const { api, deps } = await adminApi(sla, "2026-03-13T22:00:00Z");
    const calendarId = await newCalendar(api, "CDMX", "America/Mexico_City", "MX");
    const cat = await makeCategory();
    await newPolicy(api, policyOf("México", calendarId, target(2, true), { categoryIds: [cat.id] }));
    const settings = await sla.forTicket({ categoryId: cat.id, channel: "PORTAL" });
    expect(settings.calendar.timeZone).toBe("America/Mexico_City");
    const t = await (await callerFor(deps, customer.id)).ticket.create({ subject: "CDMX", description: "x", categoryId: cat.id });
    // Friday 16:00-17:00, Monday closed, Tuesday 17 March 08:00-09:00 local.
    expect((await db.ticket.findUniqueOrThrow({ where: { id: t.id } })).firstResponseDueAt).toEqual(new Date("2026-03-17T15:00:00Z"));
  });

  it("the holiday picker lists Spain's communities and previews a year's holidays in the admin's language", async () => {
    const { api } = await adminApi(source());
    const regions = await api.sla.holidayRegions();
    expect(regions.map((r) => r.code)).toEqual(expect.arrayContaining(["ES", "MX", "AR", "CO", "CL", "PE"]));
    expect(regions.find((r) => r.code === "ES")!.regions.map((r) => r.code)).toEqual(expect.arrayContaining(["ES-MD", "ES-CT"]));
    const madrid = await api.sla.holidayPreview({ region: "ES-MD", year: 2026 });
    expect(madrid).toContainEqual({ date: "2026-05-02", name: "Día de la Comunidad de Madrid" });
    expect(madrid).toContainEqual(expect.objectContaining({ date: "2026-10-12" }));
  });
});

describe("the cache", () => {
  it("is kept between tickets and dropped in every process when an admin saves", async () => {
    const mine = source();
    const other = source(); // another process: its own cache, its own LISTEN connection
    const { api } = await adminApi(mine);
    const cat = await makeCategory();
    const subject = { categoryId: cat.id, channel: "PORTAL" as const };
    const before = await other.forTicket(subject);
    expect(before.policy.firstResponse.hours).toBe(24);
    expect(await other.forTicket(subject)).toBe(before); // the same object: nothing read again

    const id = await newPolicy(api, policyOf("Cinco horas", defaultCalendarId, target(5), { categoryIds: [cat.id] }));
    expect((await mine.forTicket(subject)).policy.firstResponse.hours).toBe(5); // the saving process at once
    await vi.waitFor(async () => expect((await other.forTicket(subject)).policy.firstResponse.hours).toBe(5), { timeout: 5000 });

    await api.sla.savePolicy({ id, ...policyOf("Seis horas", defaultCalendarId, target(6), { categoryIds: [cat.id] }) });
    await vi.waitFor(async () => expect((await other.forTicket(subject)).policy.firstResponse.hours).toBe(6), { timeout: 5000 });
    await api.sla.deletePolicy({ id });
    await vi.waitFor(async () => expect((await other.forTicket(subject)).policy.firstResponse.hours).toBe(24), { timeout: 5000 });
  });
});

describe("without the change feed", () => {
  it("nothing is cached while changes cannot be heard, so nothing stale is used", async () => {
    let live = false;
    let heard = () => {};
    const feed = { listen: async (onChange: () => void) => void (heard = onChange), live: () => live };
    const sla = dbSlaSource(db, feed, { timeZone: "Europe/Madrid", holidays: "ES" });
    const subject = { categoryId: null, channel: "PORTAL" as const };
    const a = await sla.forTicket(subject);
    expect(await sla.forTicket(subject)).not.toBe(a); // read again
    live = true;
    const b = await sla.forTicket(subject);
    expect(await sla.forTicket(subject)).toBe(b);
    heard(); // a change (or a reconnection that may have missed some)
    expect(await sla.forTicket(subject)).not.toBe(b);
  });
});

describe("reclassifying a ticket", () => {
  it("a new category under another policy moves both due times; one under the same policy moves nothing", async () => {
    const sla = source();
    const { api, deps } = await adminApi(sla);
    const [fast, slow, plain] = await Promise.all([makeCategory(), makeCategory(), makeCategory()]);
    await newPolicy(api, policyOf("Rápida", defaultCalendarId, target(1), { categoryIds: [fast.id] }));
    const t = await (await callerFor(deps, customer.id)).ticket.create({ subject: "Reclasificar", description: "x", categoryId: fast.id });
    const now = deps.clock.now().getTime();
    const due = () => db.ticket.findUniqueOrThrow({ where: { id: t.id }, select: { firstResponseDueAt: true, resolutionDueAt: true } });
    expect(await due()).toEqual({ firstResponseDueAt: new Date(now + H), resolutionDueAt: new Date(now + 20 * H) });

    const agentApi = await callerFor(deps, agent.id);
    // To the default policy (business hours, Madrid): opened Monday 2 March 2026 at 11:00 local.
    await agentApi.ticket.updateDetails({ ticketId: t.id, categoryId: plain.id });
    expect(await due()).toEqual({ firstResponseDueAt: new Date("2026-03-04T16:00:00Z"), resolutionDueAt: new Date("2026-03-09T13:00:00Z") });
    await agentApi.ticket.updateDetails({ ticketId: t.id, categoryId: slow.id }); // also the default policy
    expect(await due()).toEqual({ firstResponseDueAt: new Date("2026-03-04T16:00:00Z"), resolutionDueAt: new Date("2026-03-09T13:00:00Z") });
    await agentApi.ticket.updateDetails({ ticketId: t.id, categoryId: fast.id });
    expect(await due()).toEqual({ firstResponseDueAt: new Date(now + H), resolutionDueAt: new Date(now + 20 * H) });
  });

  it("to a policy on another calendar: its targets counted in that calendar's hours", async () => {
    const sla = source();
    const { api, deps } = await adminApi(sla);
    const [plain, mexico] = await Promise.all([makeCategory(), makeCategory()]);
    const cdmx = await newCalendar(api, "CDMX reclasificar", "America/Mexico_City", "MX");
    await newPolicy(api, policyOf("México 2 h", cdmx, target(2, true), { categoryIds: [mexico.id] }));
    // Opened Monday 2 March 2026 10:00Z under the default policy (Madrid, 24/48 business hours).
    const t = await (await callerFor(deps, customer.id)).ticket.create({ subject: "A México", description: "x", categoryId: plain.id });
    const due = () => db.ticket.findUniqueOrThrow({ where: { id: t.id }, select: { firstResponseDueAt: true, resolutionDueAt: true } });
    expect(await due()).toEqual({ firstResponseDueAt: new Date("2026-03-04T16:00:00Z"), resolutionDueAt: new Date("2026-03-09T13:00:00Z") });
    await (await callerFor(deps, agent.id)).ticket.updateDetails({ ticketId: t.id, categoryId: mexico.id });
    // 04:00 in Mexico City: two business hours are 08:00-10:00 there; the resolution target (20 h) runs round the clock.
    expect(await due()).toEqual({ firstResponseDueAt: new Date("2026-03-02T16:00:00Z"), resolutionDueAt: new Date("2026-03-03T06:00:00Z") });
  });
});

describe("authorization and validation", () => {
  it("every procedure is for admins only", async () => {
    const { deps } = testDeps({ sla: source() });
    const calls: Record<string, (api: Awaited<ReturnType<typeof callerFor>>) => Promise<unknown>> = {
      view: (api) => api.sla.view(),
      holidayRegions: (api) => api.sla.holidayRegions(),
      holidayPreview: (api) => api.sla.holidayPreview({ region: "ES", year: 2026 }),
      saveCalendar: (api) => api.sla.saveCalendar({ id: defaultCalendarId, name: "X", timeZone: "Europe/Madrid", week: MON_FRI_8_17, holidayRegion: null }),
      deleteCalendar: (api) => api.sla.deleteCalendar({ id: defaultCalendarId }),
      addClosedDay: (api) => api.sla.addClosedDay({ calendarId: defaultCalendarId, date: "2026-12-24", name: "Nochebuena" }),
      removeClosedDay: (api) => api.sla.removeClosedDay({ id: "x" }),
      savePolicy: (api) => api.sla.savePolicy({ id: DEFAULT_POLICY_ID, ...policyOf("X", defaultCalendarId, target(1), {}) }),
      deletePolicy: (api) => api.sla.deletePolicy({ id: DEFAULT_POLICY_ID }),
      movePolicy: (api) => api.sla.movePolicy({ id: DEFAULT_POLICY_ID, direction: "up" }),
    };
    const router = (await import("~/server/api/root")).appRouter._def.procedures as Record<string, unknown>;
    expect(Object.keys(router).filter((k) => k.startsWith("sla.")).sort()).toEqual(Object.keys(calls).map((k) => `sla.${k}`).sort());
    for (const [name, call] of Object.entries(calls)) {
      for (const who of [agent, customer]) await expectError(call(await callerFor(deps, who.id)), "FORBIDDEN").catch((e) => Promise.reject(new Error(`${name}: ${e}`)));
      await expectError(call(await callerFor(deps, null)), "UNAUTHORIZED");
    }
    const policy = await db.slaPolicy.findUniqueOrThrow({ where: { id: DEFAULT_POLICY_ID } });
    expect(policy.firstResponseHours).toBe(24);
  });

  it("rejects bad hours, overlaps, unknown zones and regions, and conditions on the default policy, in the admin's language", async () => {
    const { api } = await adminApi(source(), undefined, "en");
    const es = (await adminApi(source())).api;
    const week = (day: Array<{ start: number; end: number }>) => [[], day, [], [], [], [], []];
    const cal = { name: "Mal", timeZone: "Europe/Madrid", holidayRegion: null };
    expect((await expectError(es.sla.saveCalendar({ ...cal, week: week([{ start: 600, end: 540 }]) }), "BAD_REQUEST")).message).toBe("Cada franja debe empezar antes de terminar.");
    expect((await expectError(api.sla.saveCalendar({ ...cal, week: week([{ start: 600, end: 540 }]) }), "BAD_REQUEST")).message).toBe("Each time range must start before it ends.");
    expect((await expectError(es.sla.saveCalendar({ ...cal, week: week([{ start: Number.NaN, end: 540 }]) }), "BAD_REQUEST")).message).toBe("Las horas deben estar entre 00:00 y 24:00.");
    const overlap = week([{ start: 480, end: 720 }, { start: 700, end: 900 }]);
    expect((await expectError(es.sla.saveCalendar({ ...cal, week: overlap }), "BAD_REQUEST")).message).toBe("Las franjas de un mismo día no pueden solaparse.");
    expect((await expectError(api.sla.saveCalendar({ ...cal, week: overlap }), "BAD_REQUEST")).message).toBe("Time ranges on the same day cannot overlap.");
    const twoRanges = week([{ start: 840, end: 1080 }, { start: 480, end: 840 }]); // touching is fine
    expect((await expectError(api.sla.saveCalendar({ ...cal, timeZone: "Madrid", week: twoRanges }), "BAD_REQUEST")).message).toBe("Choose a time zone from the list.");
    expect((await expectError(api.sla.saveCalendar({ ...cal, holidayRegion: "ES-XX", week: twoRanges }), "BAD_REQUEST")).message).toBe("Choose a country or region from the list.");
    expect((await expectError(api.sla.saveCalendar({ ...cal, week: week([]) }), "BAD_REQUEST")).message).toBe("The hours need at least one time range in the week.");
    expect((await expectError(api.sla.addClosedDay({ calendarId: defaultCalendarId, date: "2026-02-30", name: "x" }), "BAD_REQUEST")).message).toBe("Enter a valid date.");
    const bad = policyOf("Mal", defaultCalendarId, target(0), {});
    expect((await expectError(api.sla.savePolicy(bad), "BAD_REQUEST")).message).toBe("Hours must be a number greater than zero.");
    expect((await expectError(es.sla.savePolicy({ ...policyOf("Mal", defaultCalendarId, target(1), {}), warnAtPercent: 100 }), "BAD_REQUEST")).message).toBe("El aviso debe ser un porcentaje entre 1 y 99.");

    const cat = await makeCategory();
    const fixed = await expectError(es.sla.savePolicy({ id: DEFAULT_POLICY_ID, ...policyOf("General", defaultCalendarId, target(24, true), { categoryIds: [cat.id] }) }), "BAD_REQUEST");
    expect(fixed.message).toBe("La política predeterminada no se puede eliminar ni tener condiciones.");
    await expectError(es.sla.deletePolicy({ id: DEFAULT_POLICY_ID }), "BAD_REQUEST");
    expect((await expectError(api.sla.deleteCalendar({ id: defaultCalendarId }), "BAD_REQUEST")).message).toBe("The default calendar cannot be deleted.");

    const ok = await api.sla.saveCalendar({ ...cal, name: `Bien ${Date.now()}`, week: twoRanges });
    calendars.push(ok.id);
    const view = await api.sla.view();
    expect(view.calendars.find((c) => c.id === ok.id)!.week[1]).toEqual([{ start: 480, end: 840 }, { start: 840, end: 1080 }]);
    const used = await newPolicy(api, policyOf("Usa", ok.id, target(1), { categoryIds: [cat.id] }));
    expect((await expectError(api.sla.deleteCalendar({ id: ok.id }), "CONFLICT")).message).toBe("A policy uses this calendar; change it before deleting the calendar.");
    await api.sla.deletePolicy({ id: used });
    await api.sla.deleteCalendar({ id: ok.id });
  });
});
