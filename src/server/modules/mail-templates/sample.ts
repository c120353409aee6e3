import { translator, type Locale } from "~/i18n";
import { textToHtml } from "../tickets/message-body";
import { PLACEHOLDERS, type MailKind } from "./kinds";
import type { TemplateValues } from "./render";

/** Made-up values for the editor's preview: a ticket, a customer, an agent, the links as they would be. */
export function sampleValues(kind: MailKind, locale: Locale, mail: { publicUrl: string; team: string }): TemplateValues {
  const t = translator(locale);
  const es = locale === "es";
  const message = es
    ? "Hemos reiniciado su acceso a la VPN.\nPruebe a conectarse de nuevo y díganos si funciona."
    : "We have reset your VPN access.\nPlease try to connect again and tell us whether it works.";
  const all: Record<string, string> = {
    "ticket.number": "1042",
    "ticket.subject": es ? "No puedo conectarme a la VPN" : "I cannot connect to the VPN",
    "ticket.trackingId": "VT-7K3M-Q9PX",
    "ticket.url": `${mail.publicUrl}/portal/tickets/1042`,
    "requester.name": "Carla Gómez",
    "user.name": "Carla Gómez",
    "agent.name": "Luis Martín",
    team: mail.team,
    message,
    "status.from": t("status.OPEN"),
    "status.to": t("status.RESOLVED"),
    "status.reason": "",
    "status.hint": t("email.status.hint.RESOLVED", { hours: 72 }),
    "evaluation.url": `${mail.publicUrl}/evaluar/ejemplo`,
    "reopen.hours": "72",
    "survivor.number": "1040",
    "survivor.url": `${mail.publicUrl}/portal/tickets/1040`,
    "attachments.size": "27.5",
    "attachments.max": "20",
    "invitation.url": `${mail.publicUrl}/invitacion/ejemplo`,
    "invitation.days": "7",
    "reset.url": `${mail.publicUrl}/restablecer/ejemplo`,
    "reset.minutes": "60",
    "signup.url": `${mail.publicUrl}/registro/activar/ejemplo`,
    "signup.hours": "24",
    "recover.url": `${mail.publicUrl}/recuperar`,
    "sla.target": t("email.sla.target.FIRST_RESPONSE"),
    "sla.due": es ? "2 de marzo de 2026, 12:00 (Europe/Madrid)" : "2 March 2026 at 12:00 (Europe/Madrid)",
    "ticket.assignee": "Luis Martín",
  };
  const text: Record<string, string> = {};
  for (const name of PLACEHOLDERS[kind]) text[name] = all[name] ?? "";
  return { text, ...(PLACEHOLDERS[kind].includes("message") && { messageHtml: textToHtml(message) }) };
}
