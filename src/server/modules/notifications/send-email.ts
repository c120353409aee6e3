import type { Transporter } from "nodemailer";
import type { Clock } from "~/server/clock";
import { sqlOf, type Db } from "~/server/db/client";
import { sql } from "~/server/db/sql";
import { personalReplyAddress } from "../mail/trust/support-addresses";
import { ensureStaffReplyToken } from "../mail/trust/staff-reply-token";
import { claimOrHold, DEFAULT_LOOP_LIMITS, type LoopLimits } from "./loop-guard";
import { threadMessageId } from "./outbox";
import { oneLine } from "../mail-templates/render";

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
  /** The recipient, when they are staff (an agent or admin as a ticket's requester), and their own reply token. */
  staffId: string | null;
  staffToken: string | null;
}

export interface SendDeps {
  db: Db;
  clock: Clock;
  transport: Transporter;
  /** deps.mail: `senderName` (/admin/ajustes) names the team's own mails, else `team`. */
  mail: { fromAddress: string; team: string; senderName?: string };
  /** Mail-loop windows (loop-guard.ts); default 10 per ticket and 30 per address in 10 minutes. */
  limits?: LoopLimits;
}

/**
 * Sends one staged email. Safe to run twice: a mail already sent is skipped. A failure is recorded
 * on the row (visible to admins) and rethrown so the queue retries with backoff; after the last
 * attempt the row is marked FAILED rather than dropped. A mail over a mail-loop window is HELD for an
 * admin instead of sent (one more statement per mail: loop-guard.ts).
 */
export async function sendOutboundEmail(deps: SendDeps, emailId: string, opts: { finalAttempt: boolean }) {
  // Plain SQL: every new ticket by mail sends one or two of these (see db/client.ts on why).
  const pool = sqlOf(deps.db);
  const { rows } = await pool.query<OutboundRow>(sql`SELECT o."ticketId", o."to", o.subject, o.text, o.html, o."messageId", o."fromName", o."replyTo", o."inReplyTo",
      o.status::text AS status, u.id AS "staffId", u."replyToken" AS "staffToken"
    FROM "OutboundEmail" o LEFT JOIN "User" u ON u.email = o."to" AND u.role IN ('AGENT', 'ADMIN') WHERE o.id = ${emailId}`);
  const email = rows[0];
  if (!email || email.status === "SENT" || email.status === "HELD") return "skipped" as const;
  const verdict = await claimOrHold(pool, emailId, deps.clock.now(), deps.limits ?? DEFAULT_LOOP_LIMITS);
  if (verdict !== "send") return verdict === "held" ? ("held" as const) : ("skipped" as const);
  // Staff answer from their personal reply address: mail from a staff address is posted as them only
  // when it comes back there (or carries our DKIM signature), so a forged From cannot speak for them.
  if (email.staffId && email.replyTo) {
    const token = email.staffToken ?? (await ensureStaffReplyToken(pool, email.staffId));
    if (token) email.replyTo = personalReplyAddress(email.replyTo, token);
  }
  const thread = email.ticketId ? threadMessageId(email.ticketId, deps.mail.fromAddress) : null;
  const isRoot = thread === email.messageId;
  try {
    await deps.transport.sendMail({
      // Header-bound values carry no line break, whatever a template or a name held (no header injection).
      from: { name: oneLine(email.fromName ?? (deps.mail.senderName || deps.mail.team)), address: deps.mail.fromAddress },
      ...(email.replyTo ? { replyTo: email.replyTo } : {}),
      to: email.to,
      subject: oneLine(email.subject),
      text: email.text,
      html: email.html,
      messageId: email.messageId,
      ...(thread && !isRoot ? { inReplyTo: email.inReplyTo ?? thread, references: [thread, ...(email.inReplyTo ? [email.inReplyTo] : [])] } : {}),
      headers: { "Auto-Submitted": "auto-generated", "X-Loop": deps.mail.fromAddress },
    });
  } catch (err) {
    // "sentAt" was the claim (loop-guard.ts): a mail that did not go out does not count against a window.
    await pool.query(sql`UPDATE "OutboundEmail" SET attempts = attempts + 1, "lastError" = ${String((err as Error).message).slice(0, 1000)}, "sentAt" = NULL,
      status = ${opts.finalAttempt ? "FAILED" : "QUEUED"}::"OutboundEmailStatus" WHERE id = ${emailId}`);
    throw err;
  }
  await pool.query(sql`UPDATE "OutboundEmail" SET status = 'SENT', "sentAt" = ${deps.clock.now()}, attempts = attempts + 1, "lastError" = NULL,
    "replyTo" = ${email.replyTo} WHERE id = ${emailId}`);
  return "sent" as const;
}
