/** Prisma's unique-constraint violation: the other writer won; re-read instead of failing. */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: string }).code === "P2002";
}

/** The same for plain SQL through `pg` (SQLSTATE 23505). */
export function isPgUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: string }).code === "23505";
}
