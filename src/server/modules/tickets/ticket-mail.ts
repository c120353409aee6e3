import { isLocale } from "~/i18n";
import type { Deps } from "../deps";
import { replyAddress } from "../mail/trust/support-addresses";
import { mailDomain, stageEmail, threadMessageId, type StagedEmail, type Tx } from "../notifications/outbox";
import type { RenderedEmail, TicketMailContext } from "../notifications/templates";
import { guestTrackingPath } from "~/shared/guest-paths";

export interface TicketForMail {
  id: string;
  number: number;
  subject: string;
  trackingId: string;
  replyToken: string;
  requester: { email: string; name: string | null; locale: string; role: string };
  /** A GUEST ticket's mails link to the tracking page (issue 15), not the portal its requester may have no account for. */
  channel?: string;
}

export const requesterForMail = { select: { email: true, name: true, locale: true, role: true } } as const;

export function mailContext(deps: Deps, t: TicketForMail): TicketMailContext {
  const path =
    t.requester.role !== "CUSTOMER" ? `/agent/tickets/${t.number}` : t.channel === "GUEST" ? guestTrackingPath(t.trackingId) : `/portal/tickets/${t.number}`;
  return {
    locale: isLocale(t.requester.locale) ? t.requester.locale : (deps.mail.defaultLocale ?? "es"),
    number: t.number,
    subject: t.subject,
    trackingId: t.trackingId,
    requesterName: t.requester.name ?? t.requester.email,
    ticketUrl: `${deps.mail.publicUrl}${path}`,
    team: deps.mail.team,
    templates: deps.mail.templates,
  };
}

/** The outbox row of a mail to the ticket's requester; `key` names the change it reports, once. */
export function ticketEmailRow(deps: Deps, t: TicketForMail, kind: string, key: string, mail: RenderedEmail, opts: { fromName?: string } = {}): StagedEmail {
  const messageId = kind === "ticket_created" ? threadMessageId(t.id, deps.mail.fromAddress) : `<${kind}-${key}@${mailDomain(deps.mail.fromAddress)}>`;
  return {
    ...mail,
    dedupeKey: `${kind}:${key}`,
    kind,
    to: t.requester.email,
    ticketId: t.id,
    messageId,
    // Replies come back to the ticket's own token address, so they thread even when the subject was changed.
    replyTo: replyAddress(deps.mail, t.replyToken),
    fromName: opts.fromName ?? null,
  };
}

/** Stages a mail to the ticket's requester inside the caller's transaction. */
export function stageTicketEmail(
  deps: Deps,
  tx: Tx,
  t: TicketForMail,
  kind: string,
  key: string,
  mail: RenderedEmail,
  opts: { fromName?: string } = {},
) {
  return stageEmail(tx, ticketEmailRow(deps, t, kind, key, mail, opts));
}
