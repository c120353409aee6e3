import type { Deps } from "~/server/modules/deps";

/**
 * The demo's teams: first-line support with the demo agent, and "Gestión superior" (seed 000: where a
 * ticket reopened twice is escalated) with the demo admin. Only when no team exists yet, so running
 * the seed twice, or after an admin changed them, adds nothing.
 */
export async function seedDemoTeams(deps: Pick<Deps, "db">): Promise<number> {
  if ((await deps.db.team.count()) > 0) return 0;
  const people = await deps.db.user.findMany({ where: { email: { in: ["agente@ventanilla.test", "admin@ventanilla.test"] } }, select: { id: true, email: true } });
  const id = (email: string) => people.filter((p) => p.email === email).map((p) => ({ userId: p.id }));
  await deps.db.team.create({ data: { name: "Soporte", description: "Primera línea: todas las consultas entrantes", members: { create: id("agente@ventanilla.test") } } });
  await deps.db.team.create({ data: { name: "Gestión superior", description: "Escalados: tickets reabiertos dos veces (seed 000)", members: { create: id("admin@ventanilla.test") } } });
  return 2;
}
