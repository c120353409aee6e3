import { randomBytes } from "node:crypto";
import { Marked } from "marked";
import sanitizeHtml from "sanitize-html";
import type { Locale } from "~/i18n";
import type { RenderedEmail } from "../notifications/templates";
import type { TemplateText } from "../settings/live-settings";
import { HEADER_BREAK } from "../settings/site-schema";
import { escapeHtml } from "../tickets/message-body";
import { MESSAGE_PLACEHOLDER, PLACEHOLDERS, URL_PLACEHOLDERS, type MailKind } from "./kinds";

/** `{{ name }}`: a placeholder, spaces inside the braces allowed. */
const TOKEN = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The placeholder names a template uses, each once. */
export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(TOKEN)].map((m) => m[1]!))];
}

/** The placeholders a template names that its kind does not offer ({{constructor}}, typos, …). */
export function unknownPlaceholders(kind: MailKind, text: string): string[] {
  const known = PLACEHOLDERS[kind];
  return placeholdersIn(text).filter((name) => !known.includes(name));
}

/** A value bound for a header: every line break and control character becomes a space. */
export function oneLine(value: string): string {
  return value.replace(new RegExp(HEADER_BREAK.source, "gu"), " ").replace(/ {2,}/g, " ").trim();
}

/**
 * The values of one mail's placeholders: `text` for each one (plain text), and for {{message}} the
 * message's HTML as the thread stores it (sanitized when it was written) for the HTML part.
 */
export interface TemplateValues {
  text: Record<string, string>;
  messageHtml?: string;
}

const marked = new Marked({ gfm: true, breaks: true });

/** What the HTML part may hold: the Markdown a template can produce and what a message's HTML holds. Never script. */
const SAFE_HTML: sanitizeHtml.IOptions = {
  allowedTags: sanitizeHtml.defaults.allowedTags.concat(["img", "h1", "h2", "span"]),
  allowedAttributes: { a: ["href", "title", "rel"], img: ["src", "alt", "title", "width", "height"], "*": [] },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesByTag: { img: ["http", "https", "cid"] },
  transformTags: { a: sanitizeHtml.simpleTransform("a", { rel: "noopener noreferrer" }) },
};

function lookup(values: TemplateValues, name: string): string {
  return Object.hasOwn(values.text, name) ? values.text[name]! : "";
}

/**
 * One mail from an admin's template. The subject takes each value on one line and is one line (no
 * header injection). The text part takes the values as they are. The HTML part is the body's
 * Markdown rendered first with each placeholder held by a marker nobody can type (a random nonce),
 * then the markers replaced in one pass by the escaped values (a link for URLs, the message's HTML
 * for {{message}}), then sanitized whole: a value can add neither markup nor Markdown, and nothing
 * in the template can add script.
 */
export function renderTemplate(tpl: TemplateText, values: TemplateValues, locale: Locale): RenderedEmail {
  const subject = oneLine(tpl.subject.replace(TOKEN, (_m, name: string) => oneLine(lookup(values, name))));
  const text = tpl.body.replace(TOKEN, (_m, name: string) => lookup(values, name));

  const nonce = randomBytes(6).toString("hex");
  const names: string[] = [];
  const marked_ = tpl.body.replace(TOKEN, (_m, name: string) => {
    names.push(name);
    return `vtph${nonce}x${names.length - 1}x`;
  });
  const rendered = marked.parse(marked_, { async: false });
  const marker = new RegExp(`(href=")?vtph${nonce}x(\\d+)x`, "g");
  const filled = rendered
    // A line holding only the message: the message's own blocks rather than a paragraph around them.
    .replace(new RegExp(`<p>vtph${nonce}x(\\d+)x</p>`, "g"), (m, i: string) =>
      names[Number(i)] === MESSAGE_PLACEHOLDER && values.messageHtml !== undefined ? `<blockquote>${values.messageHtml}</blockquote>` : m,
    )
    .replace(marker, (_m, attr: string | undefined, i: string) => {
      const name = names[Number(i)]!;
      const value = escapeHtml(lookup(values, name));
      if (attr) return `${attr}${value}`;
      if (name === MESSAGE_PLACEHOLDER && values.messageHtml !== undefined) return values.messageHtml;
      if (URL_PLACEHOLDERS.has(name) && value) return `<a href="${value}">${value}</a>`;
      return value;
    });
  const html = `<!doctype html><html lang="${locale}"><body>${sanitizeHtml(filled, SAFE_HTML)}</body></html>`;
  return { subject, text, html };
}
