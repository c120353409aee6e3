import { z } from "zod";
import { AppError } from "~/server/errors";
import { fillPlaceholders } from "~/shared/canned-replies";
import { isStaff } from "~/shared/enums";
import type { Actor } from "../actor";
import type { Deps } from "../deps";
import { findReadableTicket } from "../tickets/get-ticket";
import { cannedReplyId } from "./manage-canned-replies";

export const fillCannedReplyInput = z.strictObject({ id: cannedReplyId, ticketId: z.string().min(1).max(64) });

/**
 * A canned reply with its placeholders filled for one ticket, as plain text for the agent's reply
 * box. Filled here rather than in the browser so the names are the ones the server holds (the
 * agent's as it signs their mail, "Agente vía Equipo") and the ticket is authorized like any read.
 * The result is text: the reply it ends up in is escaped as a whole when it is sent.
 */
export async function fillCannedReply(deps: Deps, actor: Actor, raw: z.input<typeof fillCannedReplyInput>): Promise<{ text: string }> {
  const input = fillCannedReplyInput.parse(raw);
  if (!isStaff(actor.role)) throw new AppError("FORBIDDEN");
  const ticket = await findReadableTicket(deps, actor, { id: input.ticketId });
  const [reply, requester, agent] = await Promise.all([
    deps.db.cannedReply.findFirst({ where: { id: input.id, active: true }, select: { body: true } }),
    deps.db.user.findUniqueOrThrow({ where: { id: ticket.requesterId }, select: { name: true, email: true } }),
    deps.db.user.findUniqueOrThrow({ where: { id: actor.id }, select: { name: true, email: true } }),
  ]);
  if (!reply) throw new AppError("CANNED_REPLY_NOT_FOUND");
  return {
    text: fillPlaceholders(reply.body, {
      customerName: requester.name ?? requester.email,
      ticketNumber: String(ticket.number),
      agentName: agent.name ?? agent.email,
    }),
  };
}
