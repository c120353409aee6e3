import type { Deps } from "../deps";

/** Staff who can be handed work: a deactivated person (/admin/personas) is not offered. */
export function listAgents(deps: Pick<Deps, "db">) {
  return deps.db.user.findMany({
    where: { role: { in: ["AGENT", "ADMIN"] }, deactivatedAt: null },
    select: { id: true, name: true, email: true },
    orderBy: [{ name: "asc" }, { email: "asc" }],
  });
}
