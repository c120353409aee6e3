import { translator, type Locale } from "~/i18n";
import type { TicketStatus } from "~/shared/enums";
import { escapeHtml } from "../tickets/message-body";

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export interface TicketMailContext {
  locale: Locale;
  number: number;
  subject: string;
  trackingId: string;
  requesterName: string;
  ticketUrl: string;
  team: string;
}

export function compose(lines: string[], team: string, locale: Locale, bodyHtml?: string): Omit<RenderedEmail, "subject"> {
  const t = translator(locale);
  const signature = t("email.signature", { team });
  const text = [...lines, "", signature].join("\n");
  const htmlLines = lines.map((l) => (l === "" ? "" : `<p>${escapeHtml(l)}</p>`)).join("");
  const html = `<!doctype html><html lang="${locale}"><body>${htmlLines}${bodyHtml ?? ""}<p>${escapeHtml(signature)}</p></body></html>`;
  return { text, html };
}

export function ticketCreatedEmail(c: TicketMailContext): RenderedEmail {
  const t = translator(c.locale);
  return {
    subject: t("email.created.subject", { number: c.number, subject: c.subject }),
    ...compose(
      [
        t("email.created.greeting", { name: c.requesterName }),
        "",
        t("email.created.body", { number: c.number }),
        t("email.created.tracking", { trackingId: c.trackingId }),
        t("email.created.link", { url: c.ticketUrl }),
        "",
        t("email.created.replyHint"),
      ],
      c.team,
      c.locale,
    ),
  };
}

export function agentReplyEmail(c: TicketMailContext & { agentName: string; bodyText: string; bodyHtml: string }): RenderedEmail {
  const t = translator(c.locale);
  const intro = t("email.reply.intro", { agent: c.agentName, number: c.number });
  const link = t("email.reply.link", { url: c.ticketUrl });
  const text = [intro, "", c.bodyText, "", link, "", t("email.signature", { team: c.team })].join("\n");
  const html = `<!doctype html><html lang="${c.locale}"><body><p>${escapeHtml(intro)}</p><blockquote>${c.bodyHtml}</blockquote><p>${escapeHtml(link)}</p><p>${escapeHtml(t("email.signature", { team: c.team }))}</p></body></html>`;
  return { subject: t("email.reply.subject", { number: c.number, subject: c.subject }), text, html };
}

/** Mail that reached us some other way than SMTP (IMAP) can still be over the attachment limit. */
export function attachmentsTooLargeEmail(c: TicketMailContext & { sizeBytes: number; maxBytes: number }): RenderedEmail {
  const t = translator(c.locale);
  const mb = (n: number) => (n / (1024 * 1024)).toFixed(1).replace(/\.0$/, "");
  return {
    subject: t("email.tooLarge.subject", { number: c.number }),
    ...compose(
      [t("email.tooLarge.body", { number: c.number, size: mb(c.sizeBytes), max: mb(c.maxBytes) }), t("email.tooLarge.hint"), t("email.created.link", { url: c.ticketUrl })],
      c.team,
      c.locale,
    ),
  };
}

const STATUS_HINTS = ["WAITING_ON_CUSTOMER", "RESOLVED", "CLOSED", "REJECTED"] as const;

/** Every status change is mailed; the statuses that ask something of the customer say what. */
export function statusChangedEmail(
  c: TicketMailContext & { from: TicketStatus; to: TicketStatus; reason?: string | null; reopenHours: number },
): RenderedEmail {
  const t = translator(c.locale);
  const from = t(`status.${c.from}`);
  const to = t(`status.${c.to}`);
  const hint = (STATUS_HINTS as readonly string[]).includes(c.to) ? t(`email.status.hint.${c.to as (typeof STATUS_HINTS)[number]}`, { hours: c.reopenHours }) : null;
  const lines = [
    t("email.status.body", { number: c.number, from, to }),
    ...(c.reason ? [t("email.status.reason", { reason: c.reason })] : []),
    ...(hint ? [hint] : []),
    t("email.status.link", { url: c.ticketUrl }),
  ];
  return { subject: t("email.status.subject", { number: c.number, status: to }), ...compose(lines, c.team, c.locale) };
}

export interface InvitationMailContext {
  locale: Locale;
  name: string;
  /** The link that accepts the invitation (it carries the single-use token). */
  url: string;
  /** How long the link is valid. */
  days: number;
  team: string;
  /** Invited as staff (/admin/personas): the mail says to which role, not "the portal". */
  staffRole?: "AGENT" | "ADMIN";
}

/** The portal invitation: a button (and the bare link, for text-only clients) to set a password. */
export function invitationEmail(c: InvitationMailContext): RenderedEmail {
  const t = translator(c.locale);
  const greeting = t("email.invitation.greeting", { name: c.name });
  const body = c.staffRole ? t("people.invitationMail.body", { team: c.team, role: t(`people.roles.${c.staffRole}`) }) : t("email.invitation.body", { team: c.team });
  const button = t("email.invitation.button");
  const expiry = t("email.invitation.expiry", { days: c.days });
  const ignore = t("email.invitation.ignore");
  const signature = t("email.signature", { team: c.team });
  const text = [greeting, "", body, "", `${button}: ${c.url}`, "", expiry, ignore, "", signature].join("\n");
  const href = escapeHtml(c.url);
  const html =
    `<!doctype html><html lang="${c.locale}"><body>` +
    `<p>${escapeHtml(greeting)}</p><p>${escapeHtml(body)}</p>` +
    `<p><a href="${href}" style="display:inline-block;padding:10px 18px;border-radius:6px;background:#1f5fbf;color:#ffffff;text-decoration:none;font-weight:600">${escapeHtml(button)}</a></p>` +
    `<p>${escapeHtml(t("email.invitation.fallback"))}<br><a href="${href}">${href}</a></p>` +
    `<p>${escapeHtml(expiry)} ${escapeHtml(ignore)}</p><p>${escapeHtml(signature)}</p></body></html>`;
  return { subject: c.staffRole ? t("people.invitationMail.subject", { team: c.team }) : t("email.invitation.subject", { team: c.team }), text, html };
}
