import type { Prisma } from "~/server/generated/prisma/client";
import type { Tx } from "../notifications/outbox";

/**
 * One admin change for the audit log (/admin/auditoria). `before`/`after` hold the changed values only
 * (never a secret: pass a hash, a "set"/"cleared" marker or leave the key out).
 */
export interface AuditEntry {
  /** The signed-in person; null for the system. */
  actorId: string | null;
  /** Dotted verb: "settings.update", "user.role", "template.update", "webhook.create", … */
  action: string;
  entityType: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
}

function json(value: unknown): Prisma.InputJsonValue | undefined {
  if (value === undefined || value === null) return undefined;
  // A round trip drops undefined keys and turns Dates into strings, as they will read back.
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
}

/** Writes the entry inside the caller's transaction, so a change and its record commit together. */
export async function recordAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.auditLog.create({
    data: {
      actorId: entry.actorId,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId ?? null,
      before: json(entry.before),
      after: json(entry.after),
    },
  });
}

/** The keys whose values differ, as { before, after } holding just those keys (a save that changed nothing gives null). */
export function changedFields<T extends Record<string, unknown>>(before: T, after: Partial<T>): { before: Partial<T>; after: Partial<T> } | null {
  const b: Partial<T> = {};
  const a: Partial<T> = {};
  for (const key of Object.keys(after) as Array<keyof T>) {
    if (after[key] === undefined) continue;
    if (JSON.stringify(before[key]) === JSON.stringify(after[key])) continue;
    b[key] = before[key];
    a[key] = after[key];
  }
  return Object.keys(a).length ? { before: b, after: a } : null;
}
