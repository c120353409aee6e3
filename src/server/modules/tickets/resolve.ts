import { z } from "zod";
import { BODY_MAX } from "~/shared/enums";
import type { Actor } from "../actor";
import type { Deps } from "../deps";
import { evaluationUrl } from "../evaluations/evaluation-link";
import { resolvedEmail } from "../notifications/action-templates";
import { answerAndMove } from "./answer-and-move";
import { clientRequestId } from "./request-info";
import { expectedVersion } from "./version";

export const resolveInput = z.strictObject({
  ticketId: z.string().min(1).max(64),
  /** The solution, required: the customer receives it by mail. */
  body: z.string().trim().min(1, "SOLUTION_REQUIRED").max(BODY_MAX, "BODY_TOO_LONG"),
  version: expectedVersion,
  clientRequestId,
});
export type ResolveInput = z.input<typeof resolveInput>;

/**
 * "Resolver": the solution as a public message, the ticket resolved (it closes by itself after the
 * reopen window, auto-close.ts), and the mail "su ticket fue resuelto" with the solution and the
 * signed link to "¿Le ayudó esta respuesta?" (evaluations/).
 */
export function resolveTicket(deps: Deps, actor: Actor, raw: ResolveInput) {
  const input = resolveInput.parse(raw);
  return answerAndMove(deps, actor, {
    ticketId: input.ticketId,
    body: input.body,
    to: "RESOLVED",
    from: ["OPEN", "IN_PROGRESS", "WAITING_ON_CUSTOMER"],
    expectedVersion: input.version,
    clientRequestId: input.clientRequestId,
    mailKind: "ticket_resolved",
    mail: (c, ticket) => resolvedEmail({ ...c, evaluateUrl: evaluationUrl(deps, ticket), reopenHours: deps.mail.reopenWindowHours }),
  });
}
