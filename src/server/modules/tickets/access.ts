import type { Actor } from "../actor";
import type { Deps } from "../deps";
import { isStaff } from "~/shared/enums";

interface TicketOwnership {
  requesterId: string;
}

/** The one rule for reading a ticket: staff read all, a customer only their own. */
export function canReadTicket(actor: Pick<Actor, "id" | "role">, ticket: TicketOwnership): boolean {
  return isStaff(actor.role) || ticket.requesterId === actor.id;
}

export function canSeeInternal(actor: Pick<Actor, "role">): boolean {
  return isStaff(actor.role);
}

/**
 * The one widening of that rule, for reading only (the page, its attachments, its live updates):
 * a customer whose organization shares tickets (Organization.membersSeeTickets, /admin/organizaciones)
 * reads the tickets of its other customers. Never another organization's; replying, closing,
 * reopening and evaluating stay the requester's own.
 */
export async function readsThroughOrganization(deps: Pick<Deps, "db">, actor: Pick<Actor, "id" | "role">, requesterId: string): Promise<boolean> {
  if (actor.role !== "CUSTOMER" || requesterId === actor.id) return false;
  const shared = await deps.db.user.count({
    where: { id: requesterId, role: "CUSTOMER", organization: { membersSeeTickets: true, users: { some: { id: actor.id, role: "CUSTOMER" } } } },
  });
  return shared > 0;
}

/** canReadTicket, or the organization's shared tickets for its customers. */
export async function canReadSharedTicket(deps: Pick<Deps, "db">, actor: Pick<Actor, "id" | "role">, ticket: TicketOwnership): Promise<boolean> {
  return canReadTicket(actor, ticket) || readsThroughOrganization(deps, actor, ticket.requesterId);
}
