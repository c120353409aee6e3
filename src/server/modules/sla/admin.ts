import { Prisma } from "~/server/generated/prisma/client";
import { AppError } from "~/server/errors";
import type { Deps } from "../deps";
import {
  calendarInput,
  closedDayInput,
  movePolicyInput,
  policyInput,
  slaId,
  type CalendarInput,
  type PolicyInput,
} from "./admin-input";
import { policyColumns, policyOf } from "./settings-store";
import { weekDays, weekFromStored, weekToStored } from "./week";

// The admins' side of the SLA (/admin/sla): calendars and policies. Every write reaches each
// process's cached settings through the tables' change trigger (sla/settings-store.ts).

const isUniqueViolation = (err: unknown) => err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002";

/** Everything the screen shows. The default calendar and policy exist once the settings were first read. */
export async function slaAdminView(deps: Deps) {
  await deps.sla.all();
  const [calendars, policies, categories] = await Promise.all([
    deps.db.businessCalendar.findMany({
      orderBy: [{ isDefault: "desc" }, { name: "asc" }],
      include: { closedDays: { orderBy: { date: "asc" } }, _count: { select: { policies: true } } },
    }),
    deps.db.slaPolicy.findMany({ orderBy: [{ isDefault: "asc" }, { position: "asc" }, { id: "asc" }], include: { categories: { select: { id: true } } } }),
    deps.db.category.findMany({ where: { active: true }, orderBy: { nameEs: "asc" }, select: { id: true, nameEs: true, nameEn: true } }),
  ]);
  return {
    calendars: calendars.map((c) => ({
      id: c.id,
      name: c.name,
      timeZone: c.timeZone,
      week: weekDays(weekFromStored(c.week)),
      holidayRegion: c.holidayRegion,
      isDefault: c.isDefault,
      closedDays: c.closedDays.map((d) => ({ id: d.id, date: d.date, name: d.name })),
      policyCount: c._count.policies,
    })),
    policies: policies.map((p) => {
      const policy = policyOf(p);
      return {
        id: p.id,
        name: p.name,
        isDefault: p.isDefault,
        calendarId: p.calendarId,
        categoryIds: p.categories.map((c) => c.id),
        channels: p.channels,
        firstResponse: policy.firstResponse,
        resolution: policy.resolution,
        warnAtPercent: policy.warnAtPercent,
        closeWaitingAfterHours: policy.closeWaitingAfterHours,
        closeResolvedAfterHours: policy.closeResolvedAfterHours,
      };
    }),
    categories,
  };
}
export type SlaAdminView = Awaited<ReturnType<typeof slaAdminView>>;

async function saveCalendarNow(deps: Deps, raw: CalendarInput): Promise<{ id: string }> {
  const input = calendarInput.parse(raw);
  const data = { name: input.name, timeZone: input.timeZone, week: weekToStored(input.week), holidayRegion: input.holidayRegion };
  try {
    if (!input.id) return await deps.db.businessCalendar.create({ data, select: { id: true } });
    const { count } = await deps.db.businessCalendar.updateMany({ where: { id: input.id }, data });
    if (count === 0) throw new AppError("SLA_CALENDAR_NOT_FOUND");
    return { id: input.id };
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("SLA_CALENDAR_NAME_TAKEN");
    throw err;
  }
}

/** Only a calendar no policy counts with, and never the default one. */
async function deleteCalendarNow(deps: Deps, rawId: string): Promise<void> {
  const id = slaId.parse(rawId);
  const calendar = await deps.db.businessCalendar.findUnique({ where: { id }, select: { isDefault: true, _count: { select: { policies: true } } } });
  if (!calendar) throw new AppError("SLA_CALENDAR_NOT_FOUND");
  if (calendar.isDefault) throw new AppError("SLA_DEFAULT_CALENDAR_FIXED");
  if (calendar._count.policies > 0) throw new AppError("SLA_CALENDAR_IN_USE");
  try {
    await deps.db.businessCalendar.delete({ where: { id } });
  } catch (err) {
    // A policy took it in between (the foreign key restricts).
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2003") throw new AppError("SLA_CALENDAR_IN_USE");
    throw err;
  }
}

async function addClosedDayNow(deps: Deps, raw: unknown): Promise<{ id: string }> {
  const input = closedDayInput.parse(raw);
  if (!(await deps.db.businessCalendar.findUnique({ where: { id: input.calendarId }, select: { id: true } }))) throw new AppError("SLA_CALENDAR_NOT_FOUND");
  try {
    return await deps.db.businessClosedDay.create({ data: input, select: { id: true } });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("SLA_CLOSED_DAY_EXISTS");
    throw err;
  }
}

async function removeClosedDayNow(deps: Deps, rawId: string): Promise<void> {
  await deps.db.businessClosedDay.deleteMany({ where: { id: slaId.parse(rawId) } });
}

async function savePolicyNow(deps: Deps, raw: PolicyInput): Promise<{ id: string }> {
  const input = policyInput.parse(raw);
  if (!(await deps.db.businessCalendar.findUnique({ where: { id: input.calendarId }, select: { id: true } }))) throw new AppError("SLA_CALENDAR_NOT_FOUND");
  const categories = input.categoryIds.length ? await deps.db.category.count({ where: { id: { in: input.categoryIds } } }) : 0;
  if (categories !== new Set(input.categoryIds).size) throw new AppError("CATEGORY_NOT_FOUND");
  const columns = {
    name: input.name,
    calendarId: input.calendarId,
    channels: [...new Set(input.channels)],
    ...policyColumns({ firstResponse: input.firstResponse, resolution: input.resolution, warnAtPercent: input.warnAtPercent, closeWaitingAfterHours: input.closeWaitingAfterHours, closeResolvedAfterHours: input.closeResolvedAfterHours }),
  };
  const connect = input.categoryIds.map((id) => ({ id }));
  return deps.db.$transaction(async (tx) => {
    if (!input.id) {
      const last = await tx.slaPolicy.aggregate({ where: { isDefault: false }, _max: { position: true } });
      return tx.slaPolicy.create({ data: { ...columns, position: (last._max.position ?? 0) + 1, categories: { connect } }, select: { id: true } });
    }
    const current = await tx.slaPolicy.findUnique({ where: { id: input.id }, select: { isDefault: true } });
    if (!current) throw new AppError("SLA_POLICY_NOT_FOUND");
    // The default policy is the one that applies when no other does: it has no conditions.
    if (current.isDefault && (input.categoryIds.length > 0 || input.channels.length > 0)) throw new AppError("SLA_DEFAULT_POLICY_FIXED");
    await tx.slaPolicy.update({ where: { id: input.id }, data: { ...columns, categories: { set: connect } } });
    return { id: input.id };
  });
}

async function deletePolicyNow(deps: Deps, rawId: string): Promise<void> {
  const id = slaId.parse(rawId);
  const policy = await deps.db.slaPolicy.findUnique({ where: { id }, select: { isDefault: true } });
  if (!policy) throw new AppError("SLA_POLICY_NOT_FOUND");
  if (policy.isDefault) throw new AppError("SLA_DEFAULT_POLICY_FIXED");
  await deps.db.slaPolicy.delete({ where: { id } });
}

/** One place earlier or later among the policies with conditions (the default one stays last). */
async function movePolicyNow(deps: Deps, raw: unknown): Promise<void> {
  const input = movePolicyInput.parse(raw);
  await deps.db.$transaction(async (tx) => {
    // Serializes concurrent moves: each renumbers from the order it read.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('sla-policy-order'))`;
    const order = await tx.slaPolicy.findMany({ where: { isDefault: false }, orderBy: [{ position: "asc" }, { id: "asc" }], select: { id: true } });
    const from = order.findIndex((p) => p.id === input.id);
    if (from < 0) throw new AppError("SLA_POLICY_NOT_FOUND");
    const to = input.direction === "up" ? from - 1 : from + 1;
    if (to < 0 || to >= order.length) return;
    [order[from], order[to]] = [order[to]!, order[from]!];
    for (const [i, p] of order.entries()) await tx.slaPolicy.update({ where: { id: p.id }, data: { position: i + 1 } });
  });
}

/** Each write, then this process's cache dropped so its next ticket counts with the change. */
function thenDrop<A extends unknown[], R>(write: (deps: Deps, ...args: A) => Promise<R>) {
  return async (deps: Deps, ...args: A): Promise<R> => {
    try {
      return await write(deps, ...args);
    } finally {
      deps.sla.dropCache();
    }
  };
}

export const saveCalendar = thenDrop(saveCalendarNow);
export const deleteCalendar = thenDrop(deleteCalendarNow);
export const addClosedDay = thenDrop(addClosedDayNow);
export const removeClosedDay = thenDrop(removeClosedDayNow);
export const savePolicy = thenDrop(savePolicyNow);
export const deletePolicy = thenDrop(deletePolicyNow);
export const movePolicy = thenDrop(movePolicyNow);
