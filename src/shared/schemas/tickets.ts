import { z } from "zod";
import { CHANNELS, PRIORITIES, ROLES, TICKET_EVENT_TYPES, TICKET_STATUSES } from "~/shared/enums";
import { customFieldShape, customFieldValue } from "./custom-fields";
import { person } from "./person";

// Output schemas are z.object, which strips: a field the domain adds by mistake (a password, an
// address, a token) never reaches the browser. Keep them z.object, not z.looseObject.

const categoryName = z.object({ id: z.string(), nameEs: z.string(), nameEn: z.string() });

/** ticket.categories: the active ticket categories of the new-ticket form. */
export const ticketCategory = categoryName.extend({ slug: z.string(), usesProducts: z.boolean().default(false) });
export const ticketCategories = z.array(ticketCategory);
export type TicketCategory = z.infer<typeof ticketCategory>;

/** What every view of a ticket shows. */
const ticketCore = z.object({
  id: z.string(),
  number: z.number(),
  subject: z.string(),
  status: z.enum(TICKET_STATUSES),
  priority: z.enum(PRIORITIES),
  channel: z.enum(CHANNELS),
  createdAt: z.date(),
  updatedAt: z.date(),
  firstResponseAt: z.date().nullable(),
  category: categoryName.nullable(),
});

/** One row of ticket.list: the agents' queue and the customer's portal. */
export const ticketListItem = ticketCore.extend({
  requester: person,
  assignee: person.nullable(),
});
export type TicketListItem = z.infer<typeof ticketListItem>;

export const ticketPage = z.object({ items: z.array(ticketListItem), nextCursor: z.string().nullable() });
export type TicketPage = z.infer<typeof ticketPage>;

const participant = person.extend({ role: z.enum(ROLES) });

const attachment = z.object({ id: z.string(), filename: z.string(), contentType: z.string(), size: z.number() });

const message = z.object({
  id: z.string(),
  internal: z.boolean(),
  bodyText: z.string(),
  bodyHtml: z.string(),
  fullHtml: z.string().nullable(),
  automated: z.boolean(),
  unverifiedSender: z.boolean(),
  dmarcFailed: z.boolean(),
  channel: z.enum(CHANNELS),
  createdAt: z.date(),
  author: participant.nullable(),
  /** Moved here from a merged duplicate (tickets/merge.ts): "Fusionado desde #N". */
  mergedFromTicket: z.object({ number: z.number() }).nullable(),
  attachments: z.array(attachment),
});
export type TicketMessage = z.infer<typeof message>;

const event = z.object({
  id: z.string(),
  type: z.enum(TICKET_EVENT_TYPES),
  fromValue: z.string().nullable(),
  toValue: z.string().nullable(),
  createdAt: z.date(),
  actor: person.nullable(),
  /** CUSTOM_FIELD_CHANGED: the field, to name it and render its values. */
  customField: customFieldShape.nullable(),
});
export type TicketEvent = z.infer<typeof event>;

const customField = z.object({
  // A value stored by hand in another shape is left out by the domain (custom-fields/field-value.ts), not a failed page.
  value: customFieldValue,
  field: customFieldShape,
});

/**
 * ticket.get, for staff and customers alike. For a customer the domain leaves out internal notes
 * (and their events) and passes staff through nameOnly; that is checked by tests, not by shape.
 */
export const ticketDetail = ticketCore.extend({
  trackingId: z.string(),
  /** The product the customer chose (categories that ask for one). */
  product: z.object({ id: z.string(), name: z.string() }).nullable(),
  resolvedAt: z.date().nullable(),
  closedAt: z.date().nullable(),
  firstResponseDueAt: z.date().nullable(),
  resolutionDueAt: z.date().nullable(),
  /** What an edit names as the version it was made from (tickets/version.ts). */
  version: z.number().int(),
  /** A duplicate merged into another ticket: the one the conversation goes on in. */
  mergedInto: z.object({ number: z.number() }).nullable(),
  /** A follow-up (a reply after the ticket closed) points at the ticket it continues: the same requester's. */
  parentTicket: z.object({ number: z.number() }).nullable(),
  /** "¿Le ayudó esta respuesta?" (evaluations/): the requester's answer, if any. */
  evaluation: z.object({ helpful: z.boolean(), comment: z.string().nullable(), updatedAt: z.date() }).nullable(),
  requester: participant,
  assignee: participant.nullable(),
  /** The team working it (staff only; null for the customer). */
  team: z.object({ id: z.string(), name: z.string() }).nullable(),
  customFields: z.array(customField),
  messages: z.array(message),
  events: z.array(event),
});
export type TicketDetail = z.infer<typeof ticketDetail>;

/** ticket.create: where the form goes next; `created` is false for a retried submit. */
export const createdTicket = z.object({ id: z.string(), number: z.number(), trackingId: z.string(), created: z.boolean() });
export type CreatedTicket = z.infer<typeof createdTicket>;
