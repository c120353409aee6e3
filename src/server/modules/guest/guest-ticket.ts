import { z } from "zod";
import { isLocale } from "~/i18n";
import { AppError } from "~/server/errors";
import type { Actor } from "../actor";
import type { Deps } from "../deps";
import { evaluateAsRequester, evaluateAsRequesterInput, type EvaluationView } from "../evaluations/evaluate-ticket";
import { limitFailures, type RateLimits } from "../security/rate-limit";
import { getTicket } from "../tickets/get-ticket";
import { openAttachment } from "../tickets/open-attachment";
import { replyInput, replyToTicket, type ReplyResult } from "../tickets/reply-to-ticket";
import { guestUploadOwner } from "./capability";

/*
 * What a guest does with the ticket their cookie opens (capability.ts): read it as its requester
 * sees it in the portal (get-ticket's customer view: no internal notes, no staff-only events), reply,
 * evaluate. The domain functions run for the requester as a CUSTOMER, always, whatever the row's
 * role (a staff address that opened a guest ticket sees no more than a customer would), and only on
 * the ticket the cookie names.
 */

async function requesterOf(deps: Pick<Deps, "db">, ticketId: string | null): Promise<{ actor: Actor; number: number; trackingId: string }> {
  const ticket = ticketId
    ? await deps.db.ticket.findUnique({ where: { id: ticketId }, select: { number: true, trackingId: true, requester: { select: { id: true, locale: true } } } })
    : null;
  if (!ticket) throw new AppError("GUEST_ACCESS_EXPIRED");
  const locale = isLocale(ticket.requester.locale) ? ticket.requester.locale : "es";
  return { actor: { id: ticket.requester.id, role: "CUSTOMER", locale }, number: ticket.number, trackingId: ticket.trackingId };
}

/** A file of the ticket the guest's cookie opens (GET /api/attachments/<id> without a session). */
export async function openGuestAttachment(deps: Deps, ticketId: string, attachmentId: string) {
  const { actor } = await requesterOf(deps, ticketId);
  return openAttachment(deps, actor, attachmentId, { ticketId });
}

export async function getGuestTicket(deps: Deps, ticketId: string | null) {
  const { actor, number } = await requesterOf(deps, ticketId);
  return getTicket(deps, actor, number);
}

export interface GuestWriter {
  limits: Pick<RateLimits, "guestWriteIp">;
  ip: string;
  draftKey: string | null;
}

const writeKeys = (w: GuestWriter) => [{ limiter: w.limits.guestWriteIp, key: w.ip, onSuccess: "keep" as const }];

export const guestReplyInput = replyInput.omit({ ticketId: true, internal: true });
export type GuestReplyInput = z.input<typeof guestReplyInput>;

/** A reply on the tracking page. A ticket that takes no more replies opens its follow-up (reply-rule.ts): its tracking ID comes back. */
export async function replyAsGuest(deps: Deps, ticketId: string | null, raw: GuestReplyInput, w: GuestWriter): Promise<ReplyResult & { followUpTicketId?: string; followUpTrackingId?: string }> {
  const input = guestReplyInput.parse(raw);
  const { actor } = await requesterOf(deps, ticketId);
  if ((input.attachmentIds?.length ?? 0) > 0 && !w.draftKey) throw new AppError("UPLOAD_NOT_FOUND");
  return limitFailures(
    writeKeys(w),
    async () => {
      const result = await replyToTicket(deps, actor, { ...input, ticketId: ticketId!, internal: false }, { uploadOwner: w.draftKey ? guestUploadOwner(w.draftKey) : "guest:none", channel: "GUEST" });
      if (!result.followUp) return result;
      const followUp = await deps.db.ticket.findUniqueOrThrow({ where: { id: result.followUp.id }, select: { trackingId: true } });
      return { ...result, followUpTicketId: result.followUp.id, followUpTrackingId: followUp.trackingId };
    },
    () => false,
  );
}

export const guestEvaluateInput = evaluateAsRequesterInput.omit({ ticketId: true });

export async function evaluateAsGuest(deps: Deps, ticketId: string | null, raw: z.input<typeof guestEvaluateInput>, w: GuestWriter): Promise<EvaluationView> {
  const input = guestEvaluateInput.parse(raw);
  const { actor } = await requesterOf(deps, ticketId);
  return limitFailures(writeKeys(w), () => evaluateAsRequester(deps, actor, { ...input, ticketId: ticketId! }), () => false);
}
