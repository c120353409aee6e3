import { translator, type Locale } from "~/i18n";
import { guestTrackingPath, GUEST_TRACKING_PATH } from "~/shared/guest-paths";
import type { TicketStatus } from "~/shared/enums";
import { escapeHtml } from "../tickets/message-body";
import { compose, type RenderedEmail, type TicketMailContext } from "../notifications/templates";

/** The guest's confirmation: the tracking ID, the page to follow the ticket with it, and "answer this mail". */
export function guestTicketCreatedEmail(c: TicketMailContext): RenderedEmail {
  const t = translator(c.locale);
  return {
    subject: t("guest.mail.created.subject", { number: c.number, subject: c.subject }),
    ...compose(
      [
        t("guest.mail.created.greeting", { name: c.requesterName }),
        "",
        t("guest.mail.created.body", { number: c.number }),
        t("guest.mail.created.tracking", { trackingId: c.trackingId }),
        t("guest.mail.created.keep"),
        t("guest.mail.created.link", { url: c.ticketUrl }),
        "",
        t("guest.mail.created.replyHint"),
      ],
      c.team,
      c.locale,
    ),
  };
}

export interface ReminderTicket {
  number: number;
  subject: string;
  trackingId: string;
  status: TicketStatus;
}

/** "¿Olvidó su ID de seguimiento?": the address's tickets, each with its ID and its tracking link. */
export function guestReminderEmail(c: { locale: Locale; publicUrl: string; team: string; tickets: ReminderTicket[]; includeClosed: boolean }): RenderedEmail {
  const t = translator(c.locale);
  const lines = c.tickets.map((k) => ({
    head: t("guest.mail.reminder.item", { number: k.number, subject: k.subject, status: t(`status.${k.status}`) }),
    id: t("guest.mail.created.tracking", { trackingId: k.trackingId }),
    url: `${c.publicUrl}${guestTrackingPath(k.trackingId)}`,
  }));
  const intro = [t("guest.mail.reminder.greeting"), t(c.includeClosed ? "guest.mail.reminder.bodyAll" : "guest.mail.reminder.bodyOpen")];
  const outro = [t("guest.mail.reminder.page", { url: `${c.publicUrl}${GUEST_TRACKING_PATH}` }), t("guest.mail.reminder.ignore")];
  const signature = t("email.signature", { team: c.team });
  const text = [...intro, "", ...lines.flatMap((l) => [l.head, l.id, l.url, ""]), ...outro, "", signature].join("\n");
  const html =
    `<!doctype html><html lang="${c.locale}"><body>` +
    intro.map((l) => `<p>${escapeHtml(l)}</p>`).join("") +
    `<ul>${lines.map((l) => `<li><p>${escapeHtml(l.head)}<br>${escapeHtml(l.id)}<br><a href="${escapeHtml(l.url)}">${escapeHtml(l.url)}</a></p></li>`).join("")}</ul>` +
    outro.map((l) => `<p>${escapeHtml(l)}</p>`).join("") +
    `<p>${escapeHtml(signature)}</p></body></html>`;
  return { subject: t("guest.mail.reminder.subject", { team: c.team }), text, html };
}
