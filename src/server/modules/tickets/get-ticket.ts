import { AppError } from "~/server/errors";
import { STAFF_ONLY_EVENT_TYPES } from "~/shared/enums";
import type { Prisma } from "~/server/generated/prisma/client";
import type { Actor } from "../actor";
import type { Deps } from "../deps";
import { fieldShapeSelect, shapeField, shapeValues } from "../custom-fields/field-value";
import { canReadTicket, canSeeInternal } from "./access";
import { nameOnly } from "./staff-identity";

const person = { select: { id: true, name: true, email: true, role: true } } as const;

/** Loads the minimum needed to authorize; a customer asking for another's ticket sees "not found". */
export async function findReadableTicket(deps: Deps, actor: Actor, where: Prisma.TicketWhereUniqueInput) {
  const ticket = await deps.db.ticket.findUnique({
    where,
    select: { id: true, number: true, status: true, requesterId: true, subject: true, trackingId: true, categoryId: true, channel: true },
  });
  if (!ticket || !canReadTicket(actor, ticket)) throw new AppError("TICKET_NOT_FOUND");
  return ticket;
}

export async function getTicket(deps: Deps, actor: Actor, number: number) {
  const { id } = await findReadableTicket(deps, actor, { number });
  const internal = canSeeInternal(actor);
  // Three reads side by side rather than one nested read: Prisma loads each relation with a query of
  // its own, one after the other, and a thread of 300 messages made that chain the page's cost (bench:portal).
  const [base, messages, events] = await Promise.all([
    deps.db.ticket.findUniqueOrThrow({
      where: { id },
      select: {
        id: true,
        number: true,
        trackingId: true,
        subject: true,
        status: true,
        priority: true,
        channel: true,
        createdAt: true,
        updatedAt: true,
        firstResponseAt: true,
        resolvedAt: true,
        closedAt: true,
        firstResponseDueAt: true,
        resolutionDueAt: true,
        version: true,
        mergedInto: { select: { number: true } },
        parentTicket: { select: { number: true } },
        evaluation: { select: { helpful: true, comment: true, updatedAt: true } },
        category: { select: { id: true, nameEs: true, nameEn: true } },
        requester: person,
        assignee: person,
        team: { select: { id: true, name: true } },
        customFields: { orderBy: { field: { position: "asc" } }, select: { value: true, field: { select: fieldShapeSelect } } },
      },
    }),
    deps.db.message.findMany({
      where: { ticketId: id, ...(internal ? {} : { internal: false }) },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: {
        id: true,
        internal: true,
        bodyText: true,
        bodyHtml: true,
        fullHtml: true,
        automated: true,
        unverifiedSender: true,
        dmarcFailed: true,
        channel: true,
        createdAt: true,
        author: person,
        mergedFromTicket: { select: { number: true } },
        attachments: { select: { id: true, filename: true, contentType: true, size: true } },
      },
    }),
    deps.db.ticketEvent.findMany({
      where: { ticketId: id, ...(internal ? {} : { type: { notIn: [...STAFF_ONLY_EVENT_TYPES] } }) },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: {
        id: true,
        type: true,
        fromValue: true,
        toValue: true,
        createdAt: true,
        actor: { select: { id: true, name: true, email: true } },
        customField: { select: fieldShapeSelect },
      },
    }),
  ]);
  const row = { ...base, messages, events };
  const ticket = {
    ...row,
    customFields: shapeValues(row.customFields),
    events: row.events.map((e) => ({ ...e, customField: e.customField && shapeField(e.customField) })),
  };
  if (internal) return ticket;
  // A customer sees who answered by name only (staff-identity.ts).
  const shown = <P extends Person | null>(p: P): P => (p && p.id !== actor.id && p.role !== "CUSTOMER" ? nameOnly(p) : p);
  return {
    ...ticket,
    assignee: shown(ticket.assignee),
    // Teams are how the staff route work, not something a customer is told.
    team: null,
    messages: ticket.messages.map((m) => ({ ...m, author: shown(m.author), unverifiedSender: false, dmarcFailed: false })),
    events: ticket.events.map((e) => ({
      ...e,
      ...(e.type === "ASSIGNED" && { fromValue: teamIfAddress(deps, e.fromValue), toValue: teamIfAddress(deps, e.toValue) }),
      actor: e.actor && e.actor.id !== actor.id ? nameOnly(e.actor) : e.actor,
    })),
  };
}

/** An assignment names the agent as staff saw them: a staff member without a name is their address, which customers never see. */
function teamIfAddress(deps: Deps, value: string | null): string | null {
  return value?.includes("@") ? deps.mail.team : value;
}

type Person = { id: string; name: string | null; email: string; role: string };

export type TicketDetail = Awaited<ReturnType<typeof getTicket>>;
