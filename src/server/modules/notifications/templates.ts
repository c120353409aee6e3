import { translator, type Locale } from "~/i18n";
import { oneLine } from "../mail-templates/render";
import type { TicketStatus } from "~/shared/enums";
import { escapeHtml } from "../tickets/message-body";
import { customMail } from "../mail-templates/custom-mail";
import type { TemplateValues } from "../mail-templates/render";
import type { TemplateOverrides } from "../settings/live-settings";

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
  /** The admins' templates (deps.mail.templates): a kind found there is sent with the admin's text. */
  templates?: TemplateOverrides;
}

/** The placeholders every mail about a ticket offers (mail-templates/kinds.ts). */
export function ticketValues(c: TicketMailContext, extra: Record<string, string | number> = {}, messageHtml?: string): TemplateValues {
  const text: Record<string, string> = {
    "ticket.number": String(c.number),
    "ticket.subject": c.subject,
    "ticket.trackingId": c.trackingId,
    "ticket.url": c.ticketUrl,
    "requester.name": c.requesterName,
    team: c.team,
  };
  for (const [k, v] of Object.entries(extra)) text[k] = String(v);
  return { text, ...(messageHtml !== undefined && { messageHtml }) };
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
  const custom = customMail(c.templates, "ticket_created", c.locale, () => ticketValues(c));
  if (custom) return custom;
  const t = translator(c.locale);
  return {
    subject: oneLine(t("email.created.subject", { number: c.number, subject: c.subject })),
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
  const custom = customMail(c.templates, "agent_reply", c.locale, () => ticketValues(c, { "agent.name": c.agentName, message: c.bodyText }, c.bodyHtml));
  if (custom) return custom;
  const t = translator(c.locale);
  const intro = t("email.reply.intro", { agent: c.agentName, number: c.number });
  const link = t("email.reply.link", { url: c.ticketUrl });
  const text = [intro, "", c.bodyText, "", link, "", t("email.signature", { team: c.team })].join("\n");
  const html = `<!doctype html><html lang="${c.locale}"><body><p>${escapeHtml(intro)}</p><blockquote>${c.bodyHtml}</blockquote><p>${escapeHtml(link)}</p><p>${escapeHtml(t("email.signature", { team: c.team }))}</p></body></html>`;
  return { subject: oneLine(t("email.reply.subject", { number: c.number, subject: c.subject })), text, html };
}

/** Mail that reached us some other way than SMTP (IMAP) can still be over the attachment limit. */
export function attachmentsTooLargeEmail(c: TicketMailContext & { sizeBytes: number; maxBytes: number }): RenderedEmail {
  const mb = (n: number) => (n / (1024 * 1024)).toFixed(1).replace(/\.0$/, "");
  const custom = customMail(c.templates, "attachments_too_large", c.locale, () => ticketValues(c, { "attachments.size": mb(c.sizeBytes), "attachments.max": mb(c.maxBytes) }));
  if (custom) return custom;
  const t = translator(c.locale);
  return {
    subject: oneLine(t("email.tooLarge.subject", { number: c.number })),
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
  const custom = customMail(c.templates, "status_changed", c.locale, () =>
    ticketValues(c, { "status.from": from, "status.to": to, "status.reason": c.reason ? t("email.status.reason", { reason: c.reason }) : "", "status.hint": hint ?? "" }),
  );
  if (custom) return custom;
  const lines = [
    t("email.status.body", { number: c.number, from, to }),
    ...(c.reason ? [t("email.status.reason", { reason: c.reason })] : []),
    ...(hint ? [hint] : []),
    t("email.status.link", { url: c.ticketUrl }),
  ];
  return { subject: oneLine(t("email.status.subject", { number: c.number, status: to })), ...compose(lines, c.team, c.locale) };
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
  templates?: TemplateOverrides;
}

/** The portal invitation: a button (and the bare link, for text-only clients) to set a password. */
export function invitationEmail(c: InvitationMailContext): RenderedEmail {
  const custom = customMail(c.templates, "invitation", c.locale, () => ({ text: { "user.name": c.name, "invitation.url": c.url, "invitation.days": String(c.days), team: c.team } }));
  if (custom) return custom;
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
  return { subject: oneLine(c.staffRole ? t("people.invitationMail.subject", { team: c.team }) : t("email.invitation.subject", { team: c.team })), text, html };
}
