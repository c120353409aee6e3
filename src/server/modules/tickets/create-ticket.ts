import { z } from "zod";
import { isUniqueViolation } from "~/server/db/errors";
import { AppError } from "~/server/errors";
import { BODY_MAX, CHANNELS, PRIORITIES, SUBJECT_MAX, isStaff } from "~/shared/enums";
import type { Actor } from "../actor";
import type { Deps } from "../deps";
import { stageInvitation, type InvitedUser } from "../users/invitations";
import { insertTicket } from "./insert-ticket";
import { textToHtml } from "./message-body";

export const createTicketInput = z.strictObject({
  subject: z.string().trim().min(1, "SUBJECT_REQUIRED").max(SUBJECT_MAX, "SUBJECT_TOO_LONG"),
  description: z.string().trim().min(1, "BODY_REQUIRED").max(BODY_MAX, "BODY_TOO_LONG"),
  priority: z.enum(PRIORITIES).default("MEDIUM"),
  categoryId: z.string().min(1).max(64).nullish(),
  /** Staff opening a ticket for a customer (phone): whose ticket it is. */
  requesterEmail: z.string().trim().toLowerCase().email().max(320).optional(),
  channel: z.enum(CHANNELS).optional(),
  /** Chosen by the client once per form; a retried submit returns the same ticket. */
  clientRequestId: z.string().min(8).max(64).optional(),
});
export type CreateTicketInput = z.infer<typeof createTicketInput>;

export interface CreatedTicket {
  id: string;
  number: number;
  trackingId: string;
  created: boolean;
}

/** Whose ticket it is; `created` when staff named an address nobody had yet (that customer is invited). */
async function resolveRequester(deps: Deps, actor: Actor, input: CreateTicketInput): Promise<{ id: string; created: InvitedUser | null }> {
  if (!input.requesterEmail) return { id: actor.id, created: null };
  if (!isStaff(actor.role)) throw new AppError("FORBIDDEN");
  const known = await deps.db.user.findUnique({ where: { email: input.requesterEmail }, select: { id: true } });
  if (known) return { id: known.id, created: null };
  const user = await deps.db.user.upsert({
    where: { email: input.requesterEmail },
    create: { email: input.requesterEmail, role: "CUSTOMER" },
    update: {},
    select: { id: true, email: true, name: true, locale: true },
  });
  return { id: user.id, created: user };
}

export async function createTicket(deps: Deps, actor: Actor, raw: CreateTicketInput): Promise<CreatedTicket> {
  const input = createTicketInput.parse(raw);
  const requester = await resolveRequester(deps, actor, input);
  const requesterId = requester.id;
  const channel = isStaff(actor.role) ? (input.channel ?? (input.requesterEmail ? "PHONE" : "PORTAL")) : "PORTAL";

  const existing = async () =>
    input.clientRequestId
      ? deps.db.ticket.findUnique({
          where: { requesterId_clientRequestId: { requesterId, clientRequestId: input.clientRequestId } },
          select: { id: true, number: true, trackingId: true },
        })
      : null;
  const prior = await existing();
  if (prior) return { ...prior, created: false };

  if (input.categoryId) {
    const cat = await deps.db.category.findFirst({ where: { id: input.categoryId, active: true }, select: { id: true } });
    if (!cat) throw new AppError("CATEGORY_NOT_FOUND");
  }

  let result: { ticket: CreatedTicket; emailIds: string[] };
  try {
    result = await deps.db.$transaction(async (tx) => {
      const { ticket, emailIds } = await insertTicket(deps, tx, {
        subject: input.subject,
        priority: input.priority,
        channel,
        categoryId: input.categoryId,
        requesterId,
        actorId: actor.id,
        clientRequestId: input.clientRequestId,
        message: { bodyText: input.description, bodyHtml: textToHtml(input.description) },
        notify: true,
      });
      const invitation = requester.created ? await stageInvitation(deps, tx, requester.created) : null;
      return {
        ticket: { id: ticket.id, number: ticket.number, trackingId: ticket.trackingId, created: true },
        emailIds: invitation ? [...emailIds, invitation.emailId] : emailIds,
      };
    });
  } catch (err) {
    // Two concurrent submits with one clientRequestId: the loser returns the winner's ticket.
    const winner = isUniqueViolation(err) ? await existing() : null;
    if (winner) return { ...winner, created: false };
    throw err;
  }

  await deps.bus.publish({
    type: "ticket.created",
    ticketId: result.ticket.id,
    number: result.ticket.number,
    requesterId,
    emailIds: result.emailIds,
  });
  return result.ticket;
}
