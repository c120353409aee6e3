import { z } from "zod";
import { AppError } from "~/server/errors";
import { Prisma } from "~/server/generated/prisma/client";
import { ORGANIZATION_DOMAINS_MAX, ORGANIZATION_NAME_MAX, type Organization } from "~/shared/schemas/people";
import type { Actor } from "../actor";
import { changedFields, recordAudit } from "../audit/record-audit";
import type { Deps } from "../deps";
import type { Tx } from "../notifications/outbox";

// Customer companies (/admin/organizaciones). A customer joins the organization that owns their
// address's domain when their User row is created, by whichever path (the database trigger
// user_organization_from_domain, migration 20261207110000_people); customers who existed before a
// domain was added are attached in bulk on request. With membersSeeTickets on, its customers see
// and follow each other's tickets (organization-access.ts); customers never see another
// organization's.

// A host name: labels of letters, digits and hyphens, at least one dot, no leading/trailing hyphen.
const DOMAIN_RE = /^(?=.{3,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}[a-z0-9]$/;

/** "@Empresa.com, otra.es" → ["empresa.com", "otra.es"]; an invalid one is refused by name. */
export function parseDomains(raw: string[]): string[] {
  const out = new Set<string>();
  for (const item of raw) {
    for (const part of item.split(/[\s,;]+/)) {
      const domain = part.trim().toLowerCase().replace(/^@/, "").replace(/\.$/, "");
      if (!domain) continue;
      if (!DOMAIN_RE.test(domain)) throw new AppError("DOMAIN_INVALID", { domain: domain.slice(0, 80) });
      out.add(domain);
    }
  }
  if (out.size > ORGANIZATION_DOMAINS_MAX) throw new AppError("DOMAINS_TOO_MANY", { max: ORGANIZATION_DOMAINS_MAX });
  return [...out];
}

const name = z.string().trim().min(1, "NAME_REQUIRED").max(ORGANIZATION_NAME_MAX, "NAME_TOO_LONG");
const domains = z.array(z.string().max(2000)).max(ORGANIZATION_DOMAINS_MAX);
export const createOrganizationInput = z.strictObject({
  name,
  domains: domains.default([]),
  membersSeeTickets: z.boolean().default(false),
  /** Also attach the customers who already have an address at these domains and no organization. */
  attachExisting: z.boolean().default(false),
});
export const updateOrganizationInput = z.strictObject({
  id: z.string().min(1).max(64),
  name: name.optional(),
  domains: domains.optional(),
  membersSeeTickets: z.boolean().optional(),
  attachExisting: z.boolean().default(false),
});

function requireAdmin(actor: Actor) {
  if (actor.role !== "ADMIN") throw new AppError("FORBIDDEN");
}

const view = {
  id: true,
  name: true,
  membersSeeTickets: true,
  domains: { select: { domain: true }, orderBy: { domain: "asc" } },
  _count: { select: { users: true } },
} satisfies Prisma.OrganizationSelect;
type Row = Prisma.OrganizationGetPayload<{ select: typeof view }>;
const shape = (o: Row): Organization => ({ id: o.id, name: o.name, membersSeeTickets: o.membersSeeTickets, domains: o.domains.map((d) => d.domain), memberCount: o._count.users });

export async function listOrganizations(deps: Pick<Deps, "db">, actor: Actor): Promise<Organization[]> {
  requireAdmin(actor);
  const rows = await deps.db.organization.findMany({ select: view, orderBy: { name: "asc" }, take: 2000 });
  return rows.map(shape);
}

/** A domain another organization owns is refused by name, and nothing is saved. */
function domainTaken(err: unknown, wanted: string[]): never {
  if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") throw new AppError("DOMAIN_TAKEN", { domain: wanted.join(", ") });
  throw err;
}

async function setDomains(tx: Tx, organizationId: string, wanted: string[]) {
  const owned = await tx.organizationDomain.findMany({ where: { domain: { in: wanted }, organizationId: { not: organizationId } }, select: { domain: true } });
  if (owned.length) throw new AppError("DOMAIN_TAKEN", { domain: owned[0]!.domain });
  await tx.organizationDomain.deleteMany({ where: { organizationId, domain: { notIn: wanted } } });
  await tx.organizationDomain.createMany({ data: wanted.map((domain) => ({ domain, organizationId })), skipDuplicates: true });
}

/**
 * Customers with an address at the organization's domains and no organization yet join it: one
 * UPDATE over the domain list (the address's part after its last '@', as the trigger reads it).
 */
async function attachExisting(tx: Tx, organizationId: string): Promise<number> {
  return tx.$executeRaw`UPDATE "User" u SET "organizationId" = ${organizationId}, "updatedAt" = now()
    FROM "OrganizationDomain" d
    WHERE d."organizationId" = ${organizationId} AND u.role = 'CUSTOMER' AND u."organizationId" IS NULL
      AND lower(substring(u.email FROM '@([^@]*)$')) = d.domain`;
}

export async function createOrganization(deps: Pick<Deps, "db">, actor: Actor, raw: z.input<typeof createOrganizationInput>) {
  requireAdmin(actor);
  const input = createOrganizationInput.parse(raw);
  const wanted = parseDomains(input.domains);
  const { id, attached } = await deps.db
    .$transaction(async (tx) => {
      const org = await tx.organization.create({ data: { name: input.name, membersSeeTickets: input.membersSeeTickets }, select: { id: true } });
      await setDomains(tx, org.id, wanted);
      const attached = input.attachExisting ? await attachExisting(tx, org.id) : 0;
      await recordAudit(tx, {
        actorId: actor.id,
        action: "organization.create",
        entityType: "organization",
        entityId: org.id,
        after: { name: input.name, domains: wanted, membersSeeTickets: input.membersSeeTickets, attached },
      });
      return { id: org.id, attached };
    })
    .catch((err: unknown) => domainTaken(err, wanted));
  return { ...shape(await deps.db.organization.findUniqueOrThrow({ where: { id }, select: view })), attached };
}

export async function updateOrganization(deps: Pick<Deps, "db">, actor: Actor, raw: z.input<typeof updateOrganizationInput>) {
  requireAdmin(actor);
  const input = updateOrganizationInput.parse(raw);
  const wanted = input.domains ? parseDomains(input.domains) : undefined;
  const attached = await deps.db
    .$transaction(async (tx) => {
      const before = await tx.organization.findUnique({ where: { id: input.id }, select: view });
      if (!before) throw new AppError("ORGANIZATION_NOT_FOUND");
      const data = { ...(input.name !== undefined && { name: input.name }), ...(input.membersSeeTickets !== undefined && { membersSeeTickets: input.membersSeeTickets }) };
      if (Object.keys(data).length) await tx.organization.update({ where: { id: input.id }, data });
      if (wanted) await setDomains(tx, input.id, wanted);
      const attached = input.attachExisting ? await attachExisting(tx, input.id) : 0;
      const was = shape(before);
      const diff = changedFields({ name: was.name, domains: was.domains, membersSeeTickets: was.membersSeeTickets }, { ...data, ...(wanted && { domains: [...wanted].sort() }) });
      if (diff || attached) {
        await recordAudit(tx, {
          actorId: actor.id,
          action: "organization.update",
          entityType: "organization",
          entityId: input.id,
          before: diff?.before ?? {},
          after: { ...diff?.after, ...(attached && { attached }) },
        });
      }
      return attached;
    })
    .catch((err: unknown) => domainTaken(err, wanted ?? []));
  return { ...shape(await deps.db.organization.findUniqueOrThrow({ where: { id: input.id }, select: view })), attached };
}
