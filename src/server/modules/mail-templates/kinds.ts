import { translator, type Locale } from "~/i18n";
import type { TemplateText } from "../settings/live-settings";

/** Every kind of mail Ventanilla sends, as the outbox names it (OutboundEmail.kind). */
export const MAIL_KINDS = [
  "ticket_created",
  "agent_reply",
  "status_changed",
  "info_requested",
  "ticket_resolved",
  "ticket_merged",
  "attachments_too_large",
  "invitation",
  "password-reset",
  "signup",
  "signup-existing",
  "sla_breached",
  "escalated",
] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

export function isMailKind(v: unknown): v is MailKind {
  return typeof v === "string" && (MAIL_KINDS as readonly string[]).includes(v);
}

const TICKET = ["ticket.number", "ticket.subject", "ticket.trackingId", "ticket.url", "requester.name", "team"] as const;
const AGENT_WORDS = [...TICKET, "agent.name", "message"] as const;

/** The placeholders each kind offers: a template naming any other is refused when saved. */
export const PLACEHOLDERS: Record<MailKind, readonly string[]> = {
  ticket_created: TICKET,
  agent_reply: AGENT_WORDS,
  status_changed: [...TICKET, "status.from", "status.to", "status.reason", "status.hint"],
  info_requested: AGENT_WORDS,
  ticket_resolved: [...AGENT_WORDS, "evaluation.url", "reopen.hours"],
  ticket_merged: [...TICKET, "survivor.number", "survivor.url"],
  attachments_too_large: [...TICKET, "attachments.size", "attachments.max"],
  invitation: ["user.name", "invitation.url", "invitation.days", "team"],
  "password-reset": ["user.name", "reset.url", "reset.minutes", "team"],
  signup: ["user.name", "signup.url", "signup.hours", "team"],
  "signup-existing": ["recover.url", "team"],
  sla_breached: ["ticket.number", "ticket.subject", "ticket.url", "sla.target", "sla.due", "ticket.assignee", "team"],
  escalated: ["ticket.number", "ticket.subject", "ticket.url", "team"],
};

/** Placeholders whose value is a link: in the HTML part a clickable one. */
export const URL_PLACEHOLDERS: ReadonlySet<string> = new Set(["ticket.url", "evaluation.url", "survivor.url", "invitation.url", "reset.url", "signup.url", "recover.url"]);

/** The agent's words: in the HTML part the message's own (already sanitized) HTML, in the text part its text. */
export const MESSAGE_PLACEHOLDER = "message";

const p = (name: string) => `{{${name}}}`;

/**
 * The built-in text of each kind as a template, in the same words the code sends (i18n `email.*`,
 * `accounts.mail.*`): what the editor starts from and what "restore default" brings back.
 */
export function defaultTemplate(kind: MailKind, locale: Locale): TemplateText {
  const t = translator(locale);
  const sign = t("email.signature", { team: p("team") });
  const num = p("ticket.number");
  const lines = (subject: string, body: Array<string | null>) => ({ subject, body: [...body.filter((l): l is string => l !== null), "", sign].join("\n") });
  switch (kind) {
    case "ticket_created":
      return lines(t("email.created.subject", { number: num, subject: p("ticket.subject") }), [
        t("email.created.greeting", { name: p("requester.name") }),
        "",
        t("email.created.body", { number: num }),
        t("email.created.tracking", { trackingId: p("ticket.trackingId") }),
        t("email.created.link", { url: p("ticket.url") }),
        "",
        t("email.created.replyHint"),
      ]);
    case "agent_reply":
      return lines(t("email.reply.subject", { number: num, subject: p("ticket.subject") }), [
        t("email.reply.intro", { agent: p("agent.name"), number: num }),
        "",
        p("message"),
        "",
        t("email.reply.link", { url: p("ticket.url") }),
      ]);
    case "status_changed":
      return lines(t("email.status.subject", { number: num, status: p("status.to") }), [
        t("email.status.body", { number: num, from: p("status.from"), to: p("status.to") }),
        p("status.reason"),
        p("status.hint"),
        t("email.status.link", { url: p("ticket.url") }),
      ]);
    case "info_requested":
      return lines(t("email.actions.infoRequested.subject", { number: num, subject: p("ticket.subject") }), [
        t("email.actions.infoRequested.intro", { agent: p("agent.name"), number: num }),
        "",
        p("message"),
        "",
        t("email.actions.infoRequested.answer", { url: p("ticket.url") }),
        t("email.actions.infoRequested.paused"),
      ]);
    case "ticket_resolved":
      return lines(t("email.actions.resolved.subject", { number: num, subject: p("ticket.subject") }), [
        t("email.actions.resolved.intro", { agent: p("agent.name"), number: num }),
        "",
        p("message"),
        "",
        t("email.actions.resolved.question"),
        p("evaluation.url"),
        "",
        t("email.actions.resolved.reopen", { hours: p("reopen.hours") }),
        t("email.actions.resolved.link", { url: p("ticket.url") }),
      ]);
    case "ticket_merged": {
      const m = { number: num, survivor: p("survivor.number") };
      return lines(t("email.actions.merged.subject", m), [
        t("email.created.greeting", { name: p("requester.name") }),
        "",
        t("email.actions.merged.body", m),
        t("email.actions.merged.replyHint", m),
        t("email.actions.merged.link", { ...m, url: p("survivor.url") }),
      ]);
    }
    case "attachments_too_large":
      return lines(t("email.tooLarge.subject", { number: num }), [
        t("email.tooLarge.body", { number: num, size: p("attachments.size"), max: p("attachments.max") }),
        t("email.tooLarge.hint"),
        t("email.created.link", { url: p("ticket.url") }),
      ]);
    case "invitation":
      return lines(t("email.invitation.subject", { team: p("team") }), [
        t("email.invitation.greeting", { name: p("user.name") }),
        "",
        t("email.invitation.body", { team: p("team") }),
        "",
        `${t("email.invitation.button")}: ${p("invitation.url")}`,
        "",
        t("email.invitation.expiry", { days: p("invitation.days") }),
        t("email.invitation.ignore"),
      ]);
    case "password-reset":
      return lines(t("accounts.mail.reset.subject", { team: p("team") }), [
        t("accounts.mail.reset.greeting", { name: p("user.name") }),
        "",
        t("accounts.mail.reset.body"),
        "",
        t("accounts.mail.reset.noPassword"),
        "",
        `${t("accounts.mail.reset.button")}: ${p("reset.url")}`,
        "",
        t("accounts.mail.reset.expiry", { minutes: p("reset.minutes") }),
        t("accounts.mail.reset.ignore"),
      ]);
    case "signup":
      return lines(t("accounts.mail.signup.subject", { team: p("team") }), [
        t("accounts.mail.signup.greeting", { name: p("user.name") }),
        "",
        t("accounts.mail.signup.body"),
        "",
        `${t("accounts.mail.signup.button")}: ${p("signup.url")}`,
        "",
        t("accounts.mail.signup.expiry", { hours: p("signup.hours") }),
        t("accounts.mail.signup.ignore"),
      ]);
    case "signup-existing":
      return lines(t("accounts.mail.existing.subject", { team: p("team") }), [
        t("accounts.mail.existing.greeting"),
        "",
        t("accounts.mail.existing.body"),
        "",
        t("accounts.mail.existing.hint"),
        "",
        `${t("accounts.mail.existing.button")}: ${p("recover.url")}`,
        "",
        t("accounts.mail.existing.ignore"),
      ]);
    case "sla_breached":
      return lines(t("email.sla.breachedSubject", { number: num, target: p("sla.target") }), [
        t("email.sla.breachedBody", { target: p("sla.target"), number: num, subject: p("ticket.subject"), due: p("sla.due") }),
        t("email.sla.assignee", { name: p("ticket.assignee") }),
        t("email.sla.link", { url: p("ticket.url") }),
      ]);
    case "escalated":
      return lines(t("email.sla.escalatedSubject", { number: num }), [
        t("email.sla.escalatedBody", { number: num, subject: p("ticket.subject") }),
        t("email.sla.link", { url: p("ticket.url") }),
      ]);
  }
}
