import type { Actor } from "../actor";
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
