import { randomUUID } from "node:crypto";
import { isUniqueViolation } from "~/server/db/errors";
import type { Deps } from "../deps";
import type { TicketEvent } from "../events";
import type { BlobStore } from "../storage/blob-store";
import { attachmentsTooLargeEmail } from "../notifications/templates";
import { insertTicket } from "../tickets/insert-ticket";
import { mailContext, requesterForMail, stageTicketEmail } from "../tickets/ticket-mail";
import { textToHtml } from "../tickets/message-body";
import { stageInvitation } from "../users/invitations";
import type { MailboxConfig } from "./addresses";
import { bounceReferences } from "./bounce-references";
import { classifyMail } from "./classify";
import { parseMailStreaming, type ParsedInbound } from "./parse-mail";
import { findThread, type ThreadTicket } from "./find-thread";
import { extractReply } from "./reply-text";
import { sanitizeMailHtml } from "./sanitize";

export interface InboundDeps extends Deps {
  store: BlobStore;
  mailbox: MailboxConfig;
  limits: { maxAttachmentBytes: number; newTicketsPerHour: number; reopenWindowHours: number };
}

export type InboundOutcome =
  | { status: "PROCESSED"; ticketId: string; messageId: string; created: boolean }
  | { status: "DUPLICATE" | "IGNORED" | "HELD" | "UNPROCESSABLE"; reason: string }
  | { status: "SKIPPED" };

const SUBJECT_MAX = 200;

/** PostgreSQL text cannot hold NUL, which broken or mislabelled mail (UTF-16 as UTF-8) contains. */
function clean(s: string | undefined | null): string {
  return (s ?? "").replace(/\u0000/g, "");
}

function safeFilename(name: string | undefined, fallback: string): string {
  const cleaned = clean(name)
    .normalize("NFC")
    .replace(/[\u0000-\u001f\u007f/\\:*?"<>|]+/g, "_")
    .replace(/^\.+/, "")
    .trim()
    .slice(0, 180);
  return cleaned || fallback;
}

/**
 * Final: the mail is recorded with the reason; nothing is deleted. Only a mail still waiting is
 * settled, so a run that lost a race never overwrites the winner's outcome.
 */
async function settle(deps: InboundDeps, id: string, status: "DUPLICATE" | "IGNORED" | "HELD" | "UNPROCESSABLE", reason: string, dedupeKey?: string): Promise<InboundOutcome> {
  const { count } = await deps.db.inboundMail.updateMany({
    where: { id, status: "RECEIVED" },
    data: { status, reason: clean(reason).slice(0, 1000), dedupeKey: dedupeKey ?? null, processedAt: deps.clock.now() },
  });
  return count ? { status, reason } : { status: "SKIPPED" };
}

/** A resolved ticket still accepts replies inside the reopen window; a closed one never does. */
function acceptsReply(t: ThreadTicket, now: Date, windowHours: number): boolean {
  if (t.status === "CLOSED" || t.status === "REJECTED") return false;
  if (t.status === "RESOLVED" && t.resolvedAt) return now.getTime() - t.resolvedAt.getTime() <= windowHours * 3600_000;
  return true;
}

/**
 * Turns one stored mail into a ticket or a message of an existing ticket. Idempotent: a mail
 * delivered twice (same Message-ID, or same bytes without one) or a job run twice changes nothing
 * the second time.
 */
export async function processInboundMail(deps: InboundDeps, inboundId: string, opts: { release?: boolean } = {}): Promise<InboundOutcome> {
  const row = await deps.db.inboundMail.findUnique({ where: { id: inboundId } });
  if (!row || row.status !== "RECEIVED") return { status: "SKIPPED" };
  await deps.db.inboundMail.update({ where: { id: row.id }, data: { attempts: { increment: 1 } } });

  let parsed: ParsedInbound;
  try {
    parsed = await parseMailStreaming(deps.store.read(row.storageKey), deps.store, deps.limits.maxAttachmentBytes);
  } catch (err) {
    // Storage trouble is passing: the queue retries. Only the mail itself can be unprocessable.
    if ((err as { source?: string }).source === "storage") throw err;
    return settle(deps, row.id, "UNPROCESSABLE", `parse error: ${(err as Error).message}`.slice(0, 500));
  }
  const { mail } = parsed;
  const dedupeKey = clean(mail.messageId).trim().slice(0, 900) || `sha256:${row.sha256}`;
  const seen = await deps.db.message.findUnique({ where: { emailMessageId: dedupeKey }, select: { ticketId: true } });
  if (seen) return settle(deps, row.id, "DUPLICATE", `already stored on ticket ${seen.ticketId}`, dedupeKey);

  const kind = classifyMail(mail, row.envelopeFrom, deps.mail.fromAddress);
  if (kind === "own-loop") return settle(deps, row.id, "IGNORED", "our own mail came back (X-Loop)", dedupeKey);
  const from = mail.from?.value[0];
  const senderAddress = clean(from?.address).trim().toLowerCase();
  if (kind !== "bounce" && !/^[^@\s]+@[^@\s]+$/.test(senderAddress)) {
    return settle(deps, row.id, "UNPROCESSABLE", "no usable From address", dedupeKey);
  }

  const existingSender = senderAddress ? await deps.db.user.findUnique({ where: { email: senderAddress }, select: { id: true } }) : null;
  let thread = await findThread(deps.db, deps.mailbox, mail, row.envelopeTo, existingSender?.id ?? null);
  if (!thread && kind === "bounce") {
    const references = await bounceReferences(deps.store, mail.text, parsed.attachments);
    if (references.length) thread = await findThread(deps.db, deps.mailbox, { references, subject: "" }, [], null);
  }
  const now = deps.clock.now();
  if (kind === "bounce" && !thread) return settle(deps, row.id, "IGNORED", "bounce that matches no ticket", dedupeKey);

  const automated = kind !== "normal";
  const target = thread && acceptsReply(thread.ticket, now, deps.limits.reopenWindowHours) ? thread.ticket : null;
  if (!target && !automated && !opts.release) {
    const recent = existingSender
      ? await deps.db.ticket.count({ where: { requesterId: existingSender.id, channel: "EMAIL", createdAt: { gt: new Date(now.getTime() - 3600_000) } } })
      : 0;
    if (recent >= deps.limits.newTicketsPerHour) {
      return settle(deps, row.id, "HELD", `rate limit: ${recent} tickets by mail from ${senderAddress} in the last hour`, dedupeKey);
    }
  }
  if (!target && automated) return settle(deps, row.id, "IGNORED", `${kind} that matches no open ticket`, dedupeKey);

  // Attachments were streamed to storage while parsing; over the limit none were kept.
  const attachments = parsed.attachments.map((a, i) => ({
    id: randomUUID(),
    cid: a.cid,
    filename: safeFilename(a.filename, `adjunto-${i + 1}`),
    contentType: a.contentType || "application/octet-stream",
    size: a.blob.size,
    sha256: a.blob.sha256,
    storageKey: a.blob.key,
  }));
  const cidUrls = Object.fromEntries(attachments.filter((a) => a.cid).map((a) => [a.cid!, `/api/attachments/${a.id}`]));
  const subjectLine = clean(mail.subject).replace(/\s+/g, " ").trim();
  const text = clean(mail.text).trim() || subjectLine || "(sin texto)";
  const { reply } = extractReply(text);
  const html = typeof mail.html === "string" ? clean(mail.html) : "";
  const fullHtml = html ? sanitizeMailHtml(html, cidUrls) : textToHtml(text);
  const body = { bodyText: reply, bodyHtml: textToHtml(reply), fullHtml, emailMessageId: dedupeKey, automated };
  const senderName = clean(from?.name).trim().slice(0, 100) || null;

  const events: TicketEvent[] = [];
  let outcome: InboundOutcome;
  try {
    outcome = await deps.db.$transaction(async (tx) => {
      // A bounce is written by a mail server, not by a person: it creates no user.
      // ON CONFLICT: two first mails of one new sender processed at once must both find the user.
      if (kind !== "bounce") {
        await tx.$executeRaw`INSERT INTO "User" ("id", "email", "name", "role", "locale", "createdAt", "updatedAt")
          VALUES (${randomUUID()}, ${senderAddress}, ${senderName}, 'CUSTOMER'::"Role", 'es', ${now}, ${now})
          ON CONFLICT ("email") DO NOTHING`;
      }
      const sender =
        kind === "bounce"
          ? null
          : await tx.user.findUniqueOrThrow({ where: { email: senderAddress }, select: { id: true, email: true, name: true, locale: true } });
      let ticketId: string;
      let messageId: string;
      let created = false;
      if (target) {
        const message = await tx.message.create({
          data: { ...body, ticketId: target.id, authorId: sender?.id ?? null, internal: kind === "bounce", channel: "EMAIL", createdAt: now },
          select: { id: true },
        });
        const reopen = !automated && (target.status === "RESOLVED" || target.status === "WAITING_ON_CUSTOMER");
        await tx.ticketEvent.create({ data: { ticketId: target.id, actorId: sender?.id ?? null, type: kind === "bounce" ? "NOTE_ADDED" : "REPLIED", createdAt: now } });
        if (reopen) {
          await tx.ticketEvent.create({ data: { ticketId: target.id, actorId: sender?.id ?? null, type: "STATUS_CHANGED", fromValue: target.status, toValue: "OPEN", createdAt: now } });
        }
        await tx.ticket.update({ where: { id: target.id }, data: { updatedAt: now, ...(reopen ? { status: "OPEN", resolvedAt: null } : {}) } });
        ticketId = target.id;
        messageId = message.id;
        events.push({ type: "message.created", ticketId, number: target.number, requesterId: target.requesterId, messageId, internal: kind === "bounce", emailIds: [] });
        if (reopen) events.push({ type: "ticket.updated", ticketId, number: target.number, requesterId: target.requesterId, emailIds: [] });
      } else {
        // Only a person's non-automatic mail gets here (automatic mail with no ticket was ignored).
        if (!sender) throw new Error("unreachable: a new ticket needs a sender");
        const subject = subjectLine.slice(0, SUBJECT_MAX) || "(sin asunto)";
        const inserted = await insertTicket(deps, tx, {
          subject,
          priority: "MEDIUM",
          channel: "EMAIL",
          requesterId: sender.id,
          actorId: sender.id,
          parentTicketId: thread?.ticket.id ?? null,
          message: body,
          notify: true,
        });
        ticketId = inserted.ticket.id;
        messageId = inserted.messageId;
        created = true;
        // A customer first known by this mail is invited to the portal, in the same transaction.
        const invitation = !existingSender && !automated ? await stageInvitation(deps, tx, sender) : null;
        const emailIds = invitation ? [...inserted.emailIds, invitation.emailId] : inserted.emailIds;
        events.push({ type: "ticket.created", ticketId, number: inserted.ticket.number, requesterId: sender.id, emailIds });
      }
      if (attachments.length) {
        await tx.attachment.createMany({
          data: attachments.map(({ cid: _cid, ...a }) => ({ ...a, ticketId, messageId, createdAt: now })),
        });
      }
      if (parsed.overLimit && !automated) {
        // The message is kept; the customer learns why its attachments were not.
        const ticket = await tx.ticket.findUniqueOrThrow({
          where: { id: ticketId },
          select: { id: true, number: true, subject: true, trackingId: true, replyToken: true, requester: requesterForMail },
        });
        const mail = attachmentsTooLargeEmail({ ...mailContext(deps, ticket), sizeBytes: parsed.attachmentBytes, maxBytes: deps.limits.maxAttachmentBytes });
        events[0]!.emailIds.push(await stageTicketEmail(deps, tx, ticket, "attachments_too_large", row.id, mail));
      }
      await tx.inboundMail.update({
        where: { id: row.id },
        data: {
          status: "PROCESSED",
          dedupeKey,
          ticketId,
          messageId,
          processedAt: now,
          reason: parsed.overLimit ? `attachments (${parsed.attachmentBytes} bytes) over the limit were not kept` : null,
        },
      });
      return { status: "PROCESSED" as const, ticketId, messageId, created };
    });
  } catch (err) {
    await Promise.all(parsed.attachments.map((a) => deps.store.remove(a.blob.key)));
    // The same Message-ID stored at the same moment by another job: that one won. Any other
    // conflict is retried by the queue; a mail is never settled as a duplicate of nothing.
    if (isUniqueViolation(err) && (await deps.db.message.findUnique({ where: { emailMessageId: dedupeKey }, select: { id: true } }))) {
      return settle(deps, row.id, "DUPLICATE", "processed concurrently", dedupeKey);
    }
    throw err;
  }
  for (const e of events) await deps.bus.publish(e);
  return outcome;
}
