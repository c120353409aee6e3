/** Prisma's unique-constraint violation: the other writer won; re-read instead of failing. */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: string }).code === "P2002";
}
