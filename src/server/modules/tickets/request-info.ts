import { z } from "zod";
import { BODY_MAX } from "~/shared/enums";
import type { Actor } from "../actor";
import type { Deps } from "../deps";
import { infoRequestedEmail } from "../notifications/action-templates";
import { answerAndMove } from "./answer-and-move";
import { expectedVersion } from "./version";

export const clientRequestId = z.string().min(8).max(64).regex(/^[A-Za-z0-9_-]+$/).optional();

export const requestInfoInput = z.strictObject({
  ticketId: z.string().min(1).max(64),
  body: z.string().trim().min(1, "INFO_REQUEST_REQUIRED").max(BODY_MAX, "BODY_TOO_LONG"),
  version: expectedVersion,
  clientRequestId,
});
export type RequestInfoInput = z.input<typeof requestInfoInput>;

/**
 * "Solicitar información" (seed 003: a ticket that lacks what is needed goes back to the requester
 * to complete it): the agent's question as a public message, the ticket waiting on the customer with
 * its SLA clock stopped, and the question mailed to them. Their reply restarts the clock (reply-rule.ts).
 */
export function requestInformation(deps: Deps, actor: Actor, raw: RequestInfoInput) {
  const input = requestInfoInput.parse(raw);
  return answerAndMove(deps, actor, {
    ticketId: input.ticketId,
    body: input.body,
    to: "WAITING_ON_CUSTOMER",
    from: ["OPEN", "IN_PROGRESS"],
    expectedVersion: input.version,
    clientRequestId: input.clientRequestId,
    mailKind: "info_requested",
    mail: (c) => infoRequestedEmail(c),
  });
}
