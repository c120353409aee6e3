import { AppError } from "~/server/errors";
import { STAFF_ONLY_EVENT_TYPES, type Role } from "~/shared/enums";
import { sqlOf } from "~/server/db/client";
import { sql } from "~/server/db/sql";
import type { Channel, Prisma } from "~/server/generated/prisma/client";
import type { Actor } from "../actor";
import type { Deps } from "../deps";
import { fieldShapeSelect, shapeField, shapeValues } from "../custom-fields/field-value";
import { canReadTicket, canSeeInternal, readsThroughOrganization } from "./access";
import { nameOnly } from "./staff-identity";

const person = { select: { id: true, name: true, email: true, role: true } } as const;

/**
 * Loads the minimum needed to authorize; a customer asking for another's ticket sees "not found".
 * `shared`: reading only, where an organization's shared tickets count too (access.ts).
 */
export async function findReadableTicket(deps: Deps, actor: Actor, where: Prisma.TicketWhereUniqueInput, opts: { shared?: boolean } = {}) {
  const ticket = await deps.db.ticket.findUnique({
    where,
    select: { id: true, number: true, status: true, requesterId: true, subject: true, trackingId: true, categoryId: true, channel: true },
  });
  if (!ticket || !(canReadTicket(actor, ticket) || (opts.shared && (await readsThroughOrganization(deps, actor, ticket.requesterId))))) {
    throw new AppError("TICKET_NOT_FOUND");
  }
  return ticket;
}

export async function getTicket(deps: Deps, actor: Actor, number: number) {
  const { id } = await findReadableTicket(deps, actor, { number }, { shared: true });
  const internal = canSeeInternal(actor);
  // Three reads side by side rather than one nested read: Prisma loads each relation with a query of
  // its own, one after the other, and a thread of 300 messages made that chain the page's cost (bench:portal).
  // The thread itself is one SQL statement (threadMessages).
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
        product: { select: { id: true, name: true } },
        requester: person,
        assignee: person,
        team: { select: { id: true, name: true } },
        customFields: { orderBy: { field: { position: "asc" } }, select: { value: true, field: { select: fieldShapeSelect } } },
      },
    }),
    threadMessages(deps, id, internal),
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

interface ThreadMessage {
  id: string;
  internal: boolean;
  bodyText: string;
  bodyHtml: string;
  fullHtml: string | null;
  automated: boolean;
  unverifiedSender: boolean;
  dmarcFailed: boolean;
  channel: Channel;
  createdAt: Date;
  author: { id: string; name: string | null; email: string; role: Role } | null;
  mergedFromTicket: { number: number } | null;
  attachments: Array<{ id: string; filename: string; contentType: string; size: number }>;
}

/**
 * A ticket's messages, oldest first, each with its author, its files and the duplicate it was merged
 * from: one statement (Prisma sent four, one after the other). Authors and the merged-from ticket are
 * per-row index lookups, so a long thread never turns into a scan of every user.
 */
async function threadMessages(deps: Deps, ticketId: string, internal: boolean): Promise<ThreadMessage[]> {
  const { rows } = await sqlOf(deps.db).query<ThreadMessage>(sql`SELECT m.id, m.internal, m."bodyText", m."bodyHtml", m."fullHtml", m.automated,
      m."unverifiedSender", m."dmarcFailed", m.channel::text AS channel, m."createdAt",
      (SELECT json_build_object('id', u.id, 'name', u.name, 'email', u.email, 'role', u.role::text) FROM "User" u WHERE u.id = m."authorId") AS author,
      (SELECT json_build_object('number', f.number) FROM "Ticket" f WHERE f.id = m."mergedFromTicketId") AS "mergedFromTicket",
      COALESCE((SELECT json_agg(json_build_object('id', a.id, 'filename', a.filename, 'contentType', a."contentType", 'size', a.size) ORDER BY a."createdAt", a.id)
        FROM "Attachment" a WHERE a."messageId" = m.id), '[]'::json) AS attachments
    FROM "Message" m WHERE m."ticketId" = ${ticketId} AND (${internal}::boolean OR NOT m.internal)
    ORDER BY m."createdAt" ASC, m.id ASC`);
  return rows;
}

export type TicketDetail = Awaited<ReturnType<typeof getTicket>>;
