import { z } from "zod";
import type { Prisma } from "~/server/generated/prisma/client";
import type { Deps } from "../deps";

export const AUDIT_PAGE_MAX = 100;

export const listAuditInput = z.strictObject({
  /** The last entry of the previous page. */
  cursor: z.string().max(64).optional(),
  limit: z.number().int().min(1).max(AUDIT_PAGE_MAX).default(50),
  /** Sent by useInfiniteQuery with every page; pages only go forward. */
  direction: z.enum(["forward", "backward"]).optional(),
  actorId: z.string().max(64).optional(),
  action: z.string().max(100).optional(),
  entityType: z.string().max(100).optional(),
  /** Inclusive bounds on when the change was made. */
  from: z.date().optional(),
  to: z.date().optional(),
});

export interface AuditEntryView {
  id: string;
  createdAt: Date;
  actor: { id: string; name: string } | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
}

/** The audit log newest first, a page at a time (a keyset cursor: pages hold still while entries are added). */
export async function listAudit(deps: Pick<Deps, "db">, raw: z.input<typeof listAuditInput>): Promise<{ items: AuditEntryView[]; nextCursor: string | null }> {
  const input = listAuditInput.parse(raw);
  const where: Prisma.AuditLogWhereInput = {
    ...(input.actorId && { actorId: input.actorId }),
    ...(input.action && { action: input.action }),
    ...(input.entityType && { entityType: input.entityType }),
    ...((input.from || input.to) && { createdAt: { ...(input.from && { gte: input.from }), ...(input.to && { lte: input.to }) } }),
  };
  if (input.cursor) {
    const last = await deps.db.auditLog.findUnique({ where: { id: input.cursor }, select: { id: true, createdAt: true } });
    if (last) where.OR = [{ createdAt: { lt: last.createdAt } }, { createdAt: last.createdAt, id: { lt: last.id } }];
  }
  const rows = await deps.db.auditLog.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: input.limit + 1,
    include: { actor: { select: { id: true, name: true, email: true } } },
  });
  const page = rows.slice(0, input.limit);
  return {
    items: page.map((r) => ({
      id: r.id,
      createdAt: r.createdAt,
      actor: r.actor ? { id: r.actor.id, name: r.actor.name ?? r.actor.email } : null,
      action: r.action,
      entityType: r.entityType,
      entityId: r.entityId,
      before: r.before,
      after: r.after,
    })),
    nextCursor: rows.length > input.limit ? page[page.length - 1]!.id : null,
  };
}

/** What the filters offer: the people who made changes, and the actions and kinds of thing recorded. */
export async function auditFilters(deps: Pick<Deps, "db">): Promise<{ actors: Array<{ id: string; name: string }>; actions: string[]; entityTypes: string[] }> {
  const [actors, actions, entityTypes] = await Promise.all([
    deps.db.$queryRaw<Array<{ id: string; name: string }>>`SELECT u.id, COALESCE(u.name, u.email) AS name FROM "User" u
      WHERE EXISTS (SELECT 1 FROM "AuditLog" a WHERE a."actorId" = u.id) ORDER BY 2`,
    deps.db.$queryRaw<Array<{ action: string }>>`SELECT DISTINCT action FROM "AuditLog" ORDER BY 1`,
    deps.db.$queryRaw<Array<{ entityType: string }>>`SELECT DISTINCT "entityType" FROM "AuditLog" ORDER BY 1`,
  ]);
  return { actors, actions: actions.map((a) => a.action), entityTypes: entityTypes.map((e) => e.entityType) };
}
