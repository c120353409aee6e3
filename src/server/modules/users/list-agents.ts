import type { Deps } from "../deps";

export function listAgents(deps: Pick<Deps, "db">) {
  return deps.db.user.findMany({
    where: { role: { in: ["AGENT", "ADMIN"] } },
    select: { id: true, name: true, email: true },
    orderBy: [{ name: "asc" }, { email: "asc" }],
  });
}
