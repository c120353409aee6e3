import type { Transporter } from "nodemailer";
import type { Clock } from "~/server/clock";
import { sqlOf, type Db } from "~/server/db/client";
import { sql } from "~/server/db/sql";
import { threadMessageId } from "./outbox";

interface OutboundRow {
  ticketId: string | null;
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  fromName: string | null;
  replyTo: string | null;
  inReplyTo: string | null;
  status: string;
}

export interface SendDeps {
  db: Db;
  clock: Clock;
  transport: Transporter;
  mail: { fromAddress: string; team: string };
}

/**
 * Sends one staged email. Safe to run twice: a mail already sent is skipped. A failure is recorded
 * on the row (visible to admins) and rethrown so the queue retries with backoff; after the last
 * attempt the row is marked FAILED rather than dropped.
 */
export async function sendOutboundEmail(deps: SendDeps, emailId: string, opts: { finalAttempt: boolean }) {
  // Plain SQL: every new ticket by mail sends one or two of these (see db/client.ts on why).
  const pool = sqlOf(deps.db);
  const { rows } = await pool.query<OutboundRow>(sql`SELECT "ticketId", "to", subject, text, html, "messageId", "fromName", "replyTo", "inReplyTo", status::text AS status
    FROM "OutboundEmail" WHERE id = ${emailId}`);
  const email = rows[0];
  if (!email || email.status === "SENT") return "skipped" as const;
  const thread = email.ticketId ? threadMessageId(email.ticketId, deps.mail.fromAddress) : null;
  const isRoot = thread === email.messageId;
  try {
    await deps.transport.sendMail({
      from: { name: email.fromName ?? deps.mail.team, address: deps.mail.fromAddress },
      ...(email.replyTo ? { replyTo: email.replyTo } : {}),
      to: email.to,
      subject: email.subject,
      text: email.text,
      html: email.html,
      messageId: email.messageId,
      ...(thread && !isRoot ? { inReplyTo: email.inReplyTo ?? thread, references: [thread, ...(email.inReplyTo ? [email.inReplyTo] : [])] } : {}),
      headers: { "Auto-Submitted": "auto-generated", "X-Loop": deps.mail.fromAddress },
    });
  } catch (err) {
    await pool.query(sql`UPDATE "OutboundEmail" SET attempts = attempts + 1, "lastError" = ${String((err as Error).message).slice(0, 1000)},
      status = ${opts.finalAttempt ? "FAILED" : "QUEUED"}::"OutboundEmailStatus" WHERE id = ${emailId}`);
    throw err;
  }
  await pool.query(sql`UPDATE "OutboundEmail" SET status = 'SENT', "sentAt" = ${deps.clock.now()}, attempts = attempts + 1, "lastError" = NULL WHERE id = ${emailId}`);
  return "sent" as const;
}
