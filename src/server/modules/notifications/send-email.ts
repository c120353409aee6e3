import type { Transporter } from "nodemailer";
import type { Clock } from "~/server/clock";
import type { Db } from "~/server/db/client";
import { threadMessageId } from "./outbox";

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
  const email = await deps.db.outboundEmail.findUnique({ where: { id: emailId } });
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
    await deps.db.outboundEmail.update({
      where: { id: emailId },
      data: { attempts: { increment: 1 }, lastError: String((err as Error).message).slice(0, 1000), status: opts.finalAttempt ? "FAILED" : "QUEUED" },
    });
    throw err;
  }
  await deps.db.outboundEmail.update({
    where: { id: emailId },
    data: { status: "SENT", sentAt: deps.clock.now(), attempts: { increment: 1 }, lastError: null },
  });
  return "sent" as const;
}
