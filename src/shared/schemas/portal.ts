import { z } from "zod";
import { TICKET_STATUSES } from "~/shared/enums";

// "Mis tickets" (seed 004) and the customer's own actions on a ticket (reopen, deflection).

export const MY_TICKET_FILTERS = ["open", "closed", "all"] as const;
export type MyTicketFilter = (typeof MY_TICKET_FILTERS)[number];
/** Whose tickets "Mis tickets" lists: one's own, or (when it shares them) one's organization's. */
export const MY_TICKET_SCOPES = ["mine", "organization"] as const;

/** One row of the customer's list: Número, Motivo, Asunto, Fecha de creación, Fecha de respuesta, Estado, Evaluación. */
export const myTicket = z.object({
  id: z.string(),
  number: z.number(),
  subject: z.string(),
  status: z.enum(TICKET_STATUSES),
  category: z.object({ id: z.string(), nameEs: z.string(), nameEn: z.string() }).nullable(),
  createdAt: z.date(),
  /** The first public answer of an agent ("Fecha de respuesta"). */
  firstResponseAt: z.date().nullable(),
  /** "Sí me ayudó" (true), "No me ayudó" (false), or not evaluated. */
  helpful: z.boolean().nullable(),
  /** An agent answered publicly since the customer last opened the ticket. */
  unread: z.boolean(),
  /** Place in the line of tickets waiting for a first answer (1 = next); null when not waiting. */
  waitingPosition: z.number().int().positive().nullable(),
  /** Who opened it, when it is another customer's of the organization (scope "organization"); null for one's own. */
  requesterName: z.string().nullable().default(null),
});
export type MyTicket = z.infer<typeof myTicket>;

export const myTicketPage = z.object({ items: z.array(myTicket), nextCursor: z.string().nullable() });
export type MyTicketPage = z.infer<typeof myTicketPage>;

/** portal.reopenState: whether "Reabrir ticket" is offered now, and until when. */
export const reopenState = z.object({ open: z.boolean(), until: z.date().nullable() });

/** portal.reopen: the ticket reopened, or (a close raced the button) the follow-up the reason opened. */
export const reopenResult = z.object({ reopened: z.boolean(), number: z.number() });

export const deflectionResult = z.object({ counted: z.boolean() });
