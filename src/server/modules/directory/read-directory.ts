import { z } from "zod";
import { AppError } from "~/server/errors";
import { ROLES, isStaff } from "~/shared/enums";
import type { Actor } from "../actor";
import type { Deps } from "../deps";

// Read-only views of people and organizations for staff (the integration API's /users and
// /organizations). Pages are keyset on id: complete and without duplicates while rows are added.

const id = z.string().min(1).max(64);

export const listUsersInput = z.strictObject({
  role: z.enum(ROLES).optional(),
  organizationId: id.optional(),
  /** Part of the name or address, any case. */
  q: z.string().trim().min(1).max(100).optional(),
  cursor: id.nullish(),
  limit: z.number().int().min(1).max(100).default(50),
});

export const listOrganizationsInput = z.strictObject({
  q: z.string().trim().min(1).max(100).optional(),
  cursor: id.nullish(),
  limit: z.number().int().min(1).max(100).default(50),
});

const USER = {
  id: true,
  name: true,
  email: true,
  role: true,
  locale: true,
  company: true,
  createdAt: true,
  organization: { select: { id: true, name: true } },
} as const;

function requireStaff(actor: Actor) {
  if (!isStaff(actor.role)) throw new AppError("FORBIDDEN");
}

function page<T extends { id: string }>(rows: T[], limit: number) {
  const hasMore = rows.length > limit;
  const items = hasMore ? rows.slice(0, limit) : rows;
  return { items, nextCursor: hasMore ? items[items.length - 1]!.id : null };
}

export async function listUsers(deps: Pick<Deps, "db">, actor: Actor, raw: z.input<typeof listUsersInput>) {
  requireStaff(actor);
  const input = listUsersInput.parse(raw);
  const rows = await deps.db.user.findMany({
    where: {
      role: input.role,
      organizationId: input.organizationId,
      ...(input.q ? { OR: [{ name: { contains: input.q, mode: "insensitive" } }, { email: { contains: input.q, mode: "insensitive" } }] } : {}),
      ...(input.cursor ? { id: { gt: input.cursor } } : {}),
    },
    orderBy: { id: "asc" },
    take: input.limit + 1,
    select: USER,
  });
  return page(rows, input.limit);
}

export async function getUser(deps: Pick<Deps, "db">, actor: Actor, userId: string) {
  requireStaff(actor);
  const user = await deps.db.user.findUnique({ where: { id: userId }, select: USER });
  if (!user) throw new AppError("USER_NOT_FOUND");
  return user;
}

// An organization has several mail domains (OrganizationDomain, /admin/organizaciones): `domain` is the first, by name.
const ORGANIZATION = { id: true, name: true, domains: { select: { domain: true }, orderBy: { domain: "asc" }, take: 1 }, createdAt: true, _count: { select: { users: true } } } as const;

function organizationView(o: { id: string; name: string; domains: Array<{ domain: string }>; createdAt: Date; _count: { users: number } }) {
  return { id: o.id, name: o.name, domain: o.domains[0]?.domain ?? null, createdAt: o.createdAt, userCount: o._count.users };
}

export async function listOrganizations(deps: Pick<Deps, "db">, actor: Actor, raw: z.input<typeof listOrganizationsInput>) {
  requireStaff(actor);
  const input = listOrganizationsInput.parse(raw);
  const rows = await deps.db.organization.findMany({
    where: { ...(input.q ? { name: { contains: input.q, mode: "insensitive" } } : {}), ...(input.cursor ? { id: { gt: input.cursor } } : {}) },
    orderBy: { id: "asc" },
    take: input.limit + 1,
    select: ORGANIZATION,
  });
  const { items, nextCursor } = page(rows, input.limit);
  return { items: items.map(organizationView), nextCursor };
}

export async function getOrganization(deps: Pick<Deps, "db">, actor: Actor, organizationId: string) {
  requireStaff(actor);
  const org = await deps.db.organization.findUnique({ where: { id: organizationId }, select: ORGANIZATION });
  if (!org) throw new AppError("ORGANIZATION_NOT_FOUND");
  return organizationView(org);
}
