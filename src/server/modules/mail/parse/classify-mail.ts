import type { MailView } from "./parse-mail";

export type MailKind = "normal" | "auto-reply" | "bounce" | "own-loop";

function header(mail: Pick<MailView, "headers">, name: string): string {
  const v = mail.headers.get(name);
  if (v === undefined || v === null) return "";
  if (typeof v === "string") return v;
  if (typeof v === "object" && "value" in v) return String((v as { value: unknown }).value);
  return String(v);
}

/**
 * RFC 3834 and the common de-facto headers: anything automatic is never answered automatically,
 * so two auto-responders can never start a mail loop with us.
 */
export function classifyMail(mail: Pick<MailView, "headers" | "from">, envelopeFrom: string | null, ownLoopAddress: string): MailKind {
  if (header(mail, "x-loop").toLowerCase().includes(ownLoopAddress.toLowerCase())) return "own-loop";
  const from = (mail.from?.value[0]?.address ?? "").toLowerCase();
  const contentType = header(mail, "content-type").toLowerCase();
  if (/^(mailer-daemon|postmaster)@/.test(from) || contentType.includes("multipart/report") || contentType.includes("report-type=delivery-status")) {
    return "bounce";
  }
  const autoSubmitted = header(mail, "auto-submitted").toLowerCase();
  const precedence = header(mail, "precedence").toLowerCase();
  if (
    (autoSubmitted && autoSubmitted !== "no") ||
    ["bulk", "junk", "list", "auto_reply"].includes(precedence) ||
    mail.headers.has("x-autoreply") ||
    mail.headers.has("x-autorespond")
  ) {
    return "auto-reply";
  }
  // An empty return path with no auto-reply headers (RFC 3834 replies have them) is a bounce.
  if (envelopeFrom === "") return "bounce";
  return "normal";
}
