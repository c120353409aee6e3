import type { Actor } from "../actor";
import type { Deps } from "../deps";

/** The customer's organization when it shares tickets among its customers ("Mis tickets" offers its scope); else null. */
export async function mySharingOrganization(deps: Pick<Deps, "db">, actor: Actor): Promise<{ name: string } | null> {
  if (actor.role !== "CUSTOMER") return null;
  const me = await deps.db.user.findUnique({ where: { id: actor.id }, select: { organization: { select: { name: true, membersSeeTickets: true } } } });
  return me?.organization?.membersSeeTickets ? { name: me.organization.name } : null;
}
