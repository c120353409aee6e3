import nodemailer, { type Transporter } from "nodemailer";

/**
 * SMTP when SMTP_URL is set; otherwise the demo keeps mail only in the outbox table, which admins
 * read at /admin/mailbox (nodemailer's stream transport renders the message without sending).
 */
export function createMailTransport(smtpUrl?: string): Transporter {
  if (smtpUrl) return nodemailer.createTransport(smtpUrl);
  return nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
}
