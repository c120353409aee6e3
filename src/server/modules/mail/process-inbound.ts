import { randomUUID } from "node:crypto";
import { simpleParser, type ParsedMail } from "mailparser";
import { isUniqueViolation } from "~/server/db/errors";
import type { Deps } from "../deps";
import type { DomainEvent } from "../events";
import type { BlobStore } from "../storage/blob-store";
import { insertTicket } from "../tickets/insert-ticket";
import { textToHtml } from "../tickets/message-body";
import { stageInvitation } from "../users/invitations";
import type { MailboxConfig } from "./addresses";
import { classifyMail } from "./classify";
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

function safeFilename(name: string | undefined, fallback: string): string {
  const cleaned = (name ?? "")
    .normalize("NFC")
    .replace(/[\u0000-\u001f\u007f/\\:*?"<>|]+/g, "_")
    .replace(/^\.+/, "")
    .trim()
    .slice(0, 180);
  return cleaned || fallback;
}

/** Final: the mail is recorded with the reason; nothing is deleted. */
async function settle(deps: InboundDeps, id: string, status: "DUPLICATE" | "IGNORED" | "HELD" | "UNPROCESSABLE", reason: string, dedupeKey?: string) {
  await deps.db.inboundMail.update({ where: { id }, data: { status, reason, dedupeKey: dedupeKey ?? null, processedAt: deps.clock.now() } });
  return { status, reason } as const;
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

  let mail: ParsedMail;
  try {
    mail = await simpleParser(await deps.store.readBuffer(row.storageKey), { skipTextToHtml: true });
  } catch (err) {
    return settle(deps, row.id, "UNPROCESSABLE", `parse error: ${(err as Error).message}`.slice(0, 500));
  }
  const dedupeKey = mail.messageId?.trim() || `sha256:${row.sha256}`;
  const seen = await deps.db.message.findUnique({ where: { emailMessageId: dedupeKey }, select: { ticketId: true } });
  if (seen) return settle(deps, row.id, "DUPLICATE", `already stored on ticket ${seen.ticketId}`, dedupeKey);

  const kind = classifyMail(mail, row.envelopeFrom, deps.mail.fromAddress);
  if (kind === "own-loop") return settle(deps, row.id, "IGNORED", "our own mail came back (X-Loop)", dedupeKey);
  const from = mail.from?.value[0];
  const senderAddress = from?.address?.trim().toLowerCase();
  if (!senderAddress || !/^[^@\s]+@[^@\s]+$/.test(senderAddress)) {
    return settle(deps, row.id, "UNPROCESSABLE", "no usable From address", dedupeKey);
  }

  const existingSender = await deps.db.user.findUnique({ where: { email: senderAddress }, select: { id: true } });
  const thread = await findThread(deps.db, deps.mailbox, mail, row.envelopeTo, existingSender?.id ?? null);
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

  // Attachments go to storage first (streamed there; orphans of a failed transaction are harmless).
  const totalAttachmentBytes = mail.attachments.reduce((n, a) => n + a.size, 0);
  const keepAttachments = totalAttachmentBytes <= deps.limits.maxAttachmentBytes;
  const attachments = keepAttachments
    ? await Promise.all(
        mail.attachments.map(async (a, i) => {
          const blob = await deps.store.put("att", a.content);
          return {
            id: randomUUID(),
            cid: a.contentId?.replace(/^<|>$/g, ""),
            filename: safeFilename(a.filename, `adjunto-${i + 1}`),
            contentType: a.contentType || "application/octet-stream",
            size: blob.size,
            sha256: blob.sha256,
            storageKey: blob.key,
          };
        }),
      )
    : [];
  const cidUrls = Object.fromEntries(attachments.filter((a) => a.cid).map((a) => [a.cid!, `/api/attachments/${a.id}`]));
  const text = (mail.text ?? "").trim() || (mail.subject ?? "").trim() || "(sin texto)";
  const { reply } = extractReply(text);
  const fullHtml = mail.html ? sanitizeMailHtml(mail.html, cidUrls) : textToHtml(text);
  const body = { bodyText: reply, bodyHtml: textToHtml(reply), fullHtml, emailMessageId: dedupeKey, automated };

  const events: DomainEvent[] = [];
  let outcome: InboundOutcome;
  try {
    outcome = await deps.db.$transaction(async (tx) => {
      const sender = await tx.user.upsert({
        where: { email: senderAddress },
        create: { email: senderAddress, name: from?.name?.trim() || null, role: "CUSTOMER" },
        update: {},
        select: { id: true, email: true, name: true, locale: true },
      });
      let ticketId: string;
      let messageId: string;
      let created = false;
      if (target) {
        const message = await tx.message.create({
          data: { ...body, ticketId: target.id, authorId: kind === "bounce" ? null : sender.id, internal: kind === "bounce", channel: "EMAIL", createdAt: now },
          select: { id: true },
        });
        const reopen = !automated && (target.status === "RESOLVED" || target.status === "WAITING_ON_CUSTOMER");
        await tx.ticketEvent.create({ data: { ticketId: target.id, actorId: sender.id, type: kind === "bounce" ? "NOTE_ADDED" : "REPLIED", createdAt: now } });
        if (reopen) {
          await tx.ticketEvent.create({ data: { ticketId: target.id, actorId: sender.id, type: "STATUS_CHANGED", fromValue: target.status, toValue: "OPEN", createdAt: now } });
        }
        await tx.ticket.update({ where: { id: target.id }, data: { updatedAt: now, ...(reopen ? { status: "OPEN", resolvedAt: null } : {}) } });
        ticketId = target.id;
        messageId = message.id;
        events.push({ type: "message.created", ticketId, number: target.number, requesterId: target.requesterId, messageId, internal: kind === "bounce", emailIds: [] });
        if (reopen) events.push({ type: "ticket.updated", ticketId, number: target.number, requesterId: target.requesterId, emailIds: [] });
      } else {
        const subject = (mail.subject ?? "").replace(/\s+/g, " ").trim().slice(0, SUBJECT_MAX) || "(sin asunto)";
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
      await tx.inboundMail.update({
        where: { id: row.id },
        data: {
          status: "PROCESSED",
          dedupeKey,
          ticketId,
          messageId,
          processedAt: now,
          reason: keepAttachments ? null : `attachments (${totalAttachmentBytes} bytes) over the limit were not kept`,
        },
      });
      return { status: "PROCESSED" as const, ticketId, messageId, created };
    });
  } catch (err) {
    // The same Message-ID processed at the same moment by another job: that one won.
    if (isUniqueViolation(err)) return settle(deps, row.id, "DUPLICATE", "processed concurrently", dedupeKey);
    throw err;
  }
  for (const e of events) await deps.bus.publish(e);
  return outcome;
}
