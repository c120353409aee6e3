import { translator } from "~/i18n";
import { oneLine } from "../mail-templates/render";
import { escapeHtml } from "../tickets/message-body";
import { customMail } from "../mail-templates/custom-mail";
import { compose, ticketValues, type RenderedEmail, type TicketMailContext } from "./templates";

// The mails of the agents' actions on a ticket: request information, resolve (with the evaluation
// link), merge. Each carries the agent's own words as the thread shows them.

type AgentWords = TicketMailContext & { agentName: string; bodyText: string; bodyHtml: string };

/** A link shown as a button, with the bare address for text-only clients. */
interface Call {
  question: string;
  button: string;
  url: string;
}

function withQuote(c: AgentWords, before: string[], after: string[], call?: Call): Omit<RenderedEmail, "subject"> {
  const t = translator(c.locale);
  const signature = t("email.signature", { team: c.team });
  const callText = call ? [call.question, call.url, ""] : [];
  const text = [...before, "", c.bodyText, "", ...callText, ...after, "", signature].join("\n");
  const p = (lines: string[]) => lines.map((l) => `<p>${escapeHtml(l)}</p>`).join("");
  const href = call ? escapeHtml(call.url) : "";
  const callHtml = call
    ? `<p>${escapeHtml(call.question)}</p>` +
      `<p><a href="${href}" style="display:inline-block;padding:10px 18px;border-radius:6px;background:#1f5fbf;color:#ffffff;text-decoration:none;font-weight:600">${escapeHtml(call.button)}</a></p>` +
      `<p><a href="${href}">${href}</a></p>`
    : "";
  const html = `<!doctype html><html lang="${c.locale}"><body>${p(before)}<blockquote>${c.bodyHtml}</blockquote>${callHtml}${p(after)}<p>${escapeHtml(signature)}</p></body></html>`;
  return { text, html };
}

/** "Solicitar información": what the agent needs, and that the clock waits for the answer. */
export function infoRequestedEmail(c: AgentWords): RenderedEmail {
  const custom = customMail(c.templates, "info_requested", c.locale, () => ticketValues(c, { "agent.name": c.agentName, message: c.bodyText }, c.bodyHtml));
  if (custom) return custom;
  const t = translator(c.locale);
  return {
    subject: oneLine(t("email.actions.infoRequested.subject", { number: c.number, subject: c.subject })),
    ...withQuote(c, [t("email.actions.infoRequested.intro", { agent: c.agentName, number: c.number })], [
      t("email.actions.infoRequested.answer", { url: c.ticketUrl }),
      t("email.actions.infoRequested.paused"),
    ]),
  };
}

/** "Su ticket fue resuelto": the solution, the evaluation link, the reopen window. */
export function resolvedEmail(c: AgentWords & { evaluateUrl: string; reopenHours: number }): RenderedEmail {
  const custom = customMail(c.templates, "ticket_resolved", c.locale, () =>
    ticketValues(c, { "agent.name": c.agentName, message: c.bodyText, "evaluation.url": c.evaluateUrl, "reopen.hours": c.reopenHours }, c.bodyHtml),
  );
  if (custom) return custom;
  const t = translator(c.locale);
  return {
    subject: oneLine(t("email.actions.resolved.subject", { number: c.number, subject: c.subject })),
    ...withQuote(
      c,
      [t("email.actions.resolved.intro", { agent: c.agentName, number: c.number })],
      [t("email.actions.resolved.reopen", { hours: c.reopenHours }), t("email.actions.resolved.link", { url: c.ticketUrl })],
      { question: t("email.actions.resolved.question"), button: t("email.actions.resolved.button"), url: c.evaluateUrl },
    ),
  };
}

/** Told once, on the duplicate's thread: where the conversation continues. */
export function mergedEmail(c: TicketMailContext & { survivor: number; survivorUrl: string }): RenderedEmail {
  const custom = customMail(c.templates, "ticket_merged", c.locale, () => ticketValues(c, { "survivor.number": c.survivor, "survivor.url": c.survivorUrl }));
  if (custom) return custom;
  const t = translator(c.locale);
  const p = { number: c.number, survivor: c.survivor };
  return {
    subject: oneLine(t("email.actions.merged.subject", p)),
    ...compose(
      [
        t("email.created.greeting", { name: c.requesterName }),
        "",
        t("email.actions.merged.body", p),
        t("email.actions.merged.replyHint", p),
        t("email.actions.merged.link", { ...p, url: c.survivorUrl }),
      ],
      c.team,
      c.locale,
    ),
  };
}
