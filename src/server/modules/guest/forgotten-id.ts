import { z } from "zod";
import { isLocale, type Locale } from "~/i18n";
import { newId } from "~/server/db/sql";
import type { TicketStatus } from "~/shared/enums";
import { afterAnswer } from "../accounts/after-answer";
import { emailSchema } from "../accounts/tokens";
import type { Deps } from "../deps";
import { mailDomain, stageEmail } from "../notifications/outbox";
import { hashedKey, limitFailures, type RateLimits } from "../security/rate-limit";
import { guestReminderEmail } from "./guest-mail";

/*
 * "¿Olvidó su ID de seguimiento?" (seed 001: "Recordar su ID de seguimiento"): the address receives
 * the list of its tickets with their IDs and links, closed ones left out if asked. The answer (and
 * its timing) is the same for every address: the request is counted and answered, and the lookup
 * and the mail happen afterwards (as password-reset.ts does). An address with no tickets gets no mail.
 */

/** The newest tickets listed; older ones are reached from the portal or by asking support. */
export const REMINDER_MAX_TICKETS = 50;
const CLOSED: TicketStatus[] = ["CLOSED", "REJECTED"];

export const forgottenIdInput = z.strictObject({ email: emailSchema, includeClosed: z.boolean().default(false) });
export type ForgottenIdInput = z.input<typeof forgottenIdInput>;

export interface ReminderCaller {
  limits: Pick<RateLimits, "guestReminderAddress" | "guestReminderIp">;
  ip: string;
  locale: Locale;
}

export async function requestTrackingReminder(deps: Deps, raw: ForgottenIdInput, caller: ReminderCaller): Promise<{ done: Promise<void> }> {
  const input = forgottenIdInput.parse(raw);
  const keys = [
    { limiter: caller.limits.guestReminderAddress, key: hashedKey(input.email), onSuccess: "keep" as const },
    { limiter: caller.limits.guestReminderIp, key: caller.ip, onSuccess: "keep" as const },
  ];
  await limitFailures(keys, async () => undefined, () => true);
  return { done: afterAnswer(() => sendTrackingReminder(deps, input.email, input.includeClosed, caller.locale)).then(() => undefined) };
}

/** The work behind a request: the mail, when the address has tickets to list. Returns the staged mail's id. */
export async function sendTrackingReminder(deps: Deps, email: string, includeClosed: boolean, fallbackLocale: Locale): Promise<string | null> {
  const user = await deps.db.user.findUnique({ where: { email }, select: { id: true, email: true, locale: true } });
  if (!user) return null;
  const tickets = await deps.db.ticket.findMany({
    where: { requesterId: user.id, mergedIntoId: null, ...(includeClosed ? {} : { status: { notIn: CLOSED } }) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: REMINDER_MAX_TICKETS,
    select: { number: true, subject: true, trackingId: true, status: true },
  });
  if (!tickets.length) return null;
  const id = newId();
  const rendered = guestReminderEmail({
    locale: isLocale(user.locale) ? user.locale : fallbackLocale,
    publicUrl: deps.mail.publicUrl,
    team: deps.mail.team,
    tickets,
    includeClosed,
  });
  const emailId = await deps.db.$transaction((tx) =>
    stageEmail(tx, { ...rendered, dedupeKey: `guest-reminder:${id}`, kind: "guest-reminder", to: user.email, ticketId: null, messageId: `<guest-reminder-${id}@${mailDomain(deps.mail.fromAddress)}>` }),
  );
  await deps.queues.enqueueEmails([emailId]);
  return emailId;
}
