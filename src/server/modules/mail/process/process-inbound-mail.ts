import { localeFromMailHeaders } from "../parse/mail-locale";
import { sqlOf } from "~/server/db/client";
import { isPgUniqueViolation } from "~/server/db/errors";
import { newId } from "~/server/db/sql";
import { isStaff, type Role, type TicketStatus } from "~/shared/enums";
import type { Deps } from "../../deps";
import type { TicketEvent } from "../../events";
import type { BlobStore } from "../../storage/blob-store";
import { attachmentsTooLargeEmail, ticketCreatedEmail } from "../../notifications/templates";
import { mailContext, ticketEmailRow, type TicketForMail } from "../../tickets/ticket-mail";
import { textToHtml } from "../../tickets/message-body";
import { newReplyToken, newTrackingId } from "../../tickets/tracking-id";
import { draftInvitation } from "../../users/invitations";
import { supportDomain, type MailboxConfig } from "../trust/support-addresses";
import { authenticateMail, type DnsResolver, type MailAuthentication } from "../trust/authenticate-mail";
import { bounceReferences } from "../threading/bounce-references";
import { classifyMail } from "../parse/classify-mail";
import { parseMailStreaming, type ParsedInbound } from "../parse/parse-mail";
import { findThread, hasThreadEvidence, personalTokensOf } from "../threading/find-thread";
import {
  claimInboundMail,
  lookupSender,
  nextTicketNumber,
  settleInboundMail,
  settleProcessed,
  ticketOfStoredMessage,
  type FinalStatus,
  type KnownSender,
} from "../inbound-mail-sql";
import { restartedDueDates } from "../../sla/due-times";
import { afterStatusChange } from "../../sla/escalation";
import { newTicketDueDates } from "../../sla/ticket-sla";
import { scheduleSlaTimer } from "../../sla/timers";
import { replyEffect } from "../../tickets/reply-rule";
import { writeMessage, writeNewTicket, type EmailToStage, type Person } from "../../tickets/ticket-writer";
import { extractReply } from "../parse/extract-reply";
import { sanitizeMailHtml } from "../parse/sanitize-mail-html";

export interface InboundDeps extends Deps {
  store: BlobStore;
  mailbox: MailboxConfig;
  /** The reopen window is the team's (deps.mail.reopenWindowHours), as for every reply. */
  limits: { maxAttachmentBytes: number; newTicketsPerHour: number };
  /** DNS for SPF/DKIM/DMARC/ARC (default: the system's resolver) and the timeout of each lookup. */
  dns?: { resolver?: DnsResolver; timeoutMs?: number };
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
async function settle(
  deps: InboundDeps,
  id: string,
  status: FinalStatus,
  reason: string,
  dedupeKey?: string,
  auth?: MailAuthentication,
): Promise<InboundOutcome> {
  const settled = await settleInboundMail(sqlOf(deps.db), id, status, clean(reason).slice(0, 1000), dedupeKey ?? null, deps.clock.now(), auth?.results ?? null);
  return settled ? { status, reason } : { status: "SKIPPED" };
}

/**
 * Whether mail from a staff address may be posted as that staff member: it came to their own
 * reply address (the user token only they were sent), or it carries a passing DKIM signature of
 * the support domain over its From. A From header alone proves nothing.
 */
function staffSenderVerified(
  deps: InboundDeps,
  auth: MailAuthentication,
  sender: { replyToken?: string | null },
  personal: Array<{ ticket: string; user: string }>,
  ticketToken: string | null,
): boolean {
  // Only on this ticket's own address: a personal address that leaked from one thread opens no other.
  if (sender.replyToken && ticketToken && personal.some((p) => p.user === sender.replyToken && p.ticket === ticketToken)) return true;
  return auth.dkimPassDomains.includes(supportDomain(deps.mailbox));
}

/**
 * Turns one stored mail into a ticket or a message of an existing ticket. Idempotent: a mail
 * delivered twice (same Message-ID, or same bytes without one) or a job run twice changes nothing
 * the second time. Plain SQL, five statements or fewer per mail; the rows are written by the ticket writer (tickets/ticket-writer.ts).
 */
export async function processInboundMail(deps: InboundDeps, inboundId: string, opts: { release?: boolean } = {}): Promise<InboundOutcome> {
  const pool = sqlOf(deps.db);
  const row = await claimInboundMail(pool, inboundId);
  if (!row) return { status: "SKIPPED" };

  // Authentication reads the raw bytes a second time, alongside the parser; its DNS lookups overlap
  // the parsing. A DNS failure is a temperror verdict; only a storage error throws (and is retried).
  const authenticating = authenticateMail(() => deps.store.read(row.storageKey), {
    smtp: row.source === "smtp" && row.clientIp ? { ip: row.clientIp, helo: row.helo, sender: row.envelopeFrom } : null,
    resolver: deps.dns?.resolver,
    timeoutMs: deps.dns?.timeoutMs,
  });
  authenticating.catch(() => {}); // awaited below; the parser's own error may be thrown first

  let parsed: ParsedInbound;
  try {
    parsed = await parseMailStreaming(() => deps.store.read(row.storageKey), deps.store, deps.limits.maxAttachmentBytes);
  } catch (err) {
    // Storage trouble is passing: the queue retries. Only the mail itself can be unprocessable.
    if ((err as { source?: string }).source === "storage") throw err;
    return settle(deps, row.id, "UNPROCESSABLE", `parse error: ${(err as Error).message}`.slice(0, 500), undefined, await authenticating);
  }
  const auth = await authenticating;
  const { mail } = parsed;
  const dedupeKey = clean(mail.messageId).trim().slice(0, 900) || `sha256:${row.sha256}`;
  const kind = classifyMail(mail, row.envelopeFrom, deps.mail.fromAddress);
  const from = mail.from?.value[0];
  const senderAddress = clean(from?.address).trim().toLowerCase();
  const now = deps.clock.now();
  // A person's mail with nothing to thread it by opens a ticket: its number comes in the same round trip.
  const likelyNew = kind === "normal" && !hasThreadEvidence(deps.mailbox, mail, row.envelopeTo);
  const { seenTicketId, sender: existingSender, recentTickets, ticketNumber } = await lookupSender(
    pool,
    dedupeKey,
    senderAddress,
    new Date(now.getTime() - 3600_000),
    likelyNew,
  );
  const drop = async (outcome: InboundOutcome) => {
    await Promise.all(parsed.attachments.map((a) => deps.store.remove(a.blob.key)));
    return outcome;
  };
  if (seenTicketId) return drop(await settle(deps, row.id, "DUPLICATE", `already stored on ticket ${seenTicketId}`, dedupeKey, auth));
  if (kind === "own-loop") return drop(await settle(deps, row.id, "IGNORED", "our own mail came back (X-Loop)", dedupeKey, auth));
  if (kind !== "bounce" && !/^[^@\s]+@[^@\s]+$/.test(senderAddress)) {
    return drop(await settle(deps, row.id, "UNPROCESSABLE", "no usable From address", dedupeKey, auth));
  }

  const staffSender = !!existingSender && isStaff(existingSender.role as Role);
  let thread = await findThread(pool, deps.mailbox, mail, row.envelopeTo, existingSender?.id ?? null, {
    referencesFromAnyone: staffSender || kind === "bounce",
    tokenOnly: auth.dmarcFailed && kind !== "bounce",
  });
  if (!thread && kind === "bounce") {
    const references = await bounceReferences(deps.store, mail.text, parsed.attachments);
    if (references.length) thread = await findThread(pool, deps.mailbox, { references, subject: "" }, [], null, { referencesFromAnyone: true });
  }
  if (kind === "bounce" && !thread) return drop(await settle(deps, row.id, "IGNORED", "bounce that matches no ticket", dedupeKey, auth));

  const automated = kind !== "normal";
  // A staff From that proved nothing is never posted as them: an internal note, flagged, that
  // notifies no one, reopens nothing and customers never see (a forged From is phishing in our voice).
  const unverified = staffSender && kind !== "bounce" && !staffSenderVerified(deps, auth, existingSender!, personalTokensOf(deps.mailbox, mail, row.envelopeTo), thread?.ticket.replyToken ?? null);
  const internal = kind === "bounce" || unverified;
  // Only a staff member's own mail counts as staff; a thread that takes no more replies gets a new ticket (its parent).
  const replier = { staff: staffSender && !unverified, passive: automated || unverified };
  const effect = thread ? replyEffect(thread.ticket, replier, now, deps.mail.reopenWindowHours) : null;
  const target = thread && effect?.accepted ? thread.ticket : null;
  if (!target && !automated && !opts.release && recentTickets >= deps.limits.newTicketsPerHour) {
    return drop(await settle(deps, row.id, "HELD", `rate limit: ${recentTickets} tickets by mail from ${senderAddress} in the last hour`, dedupeKey, auth));
  }
  if (!target && automated) return drop(await settle(deps, row.id, "IGNORED", `${kind} that matches no open ticket`, dedupeKey, auth));

  // Attachments were streamed to storage while parsing; over the limit none were kept.
  const attachments = parsed.attachments.map((a, i) => ({
    id: newId(),
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
  const body = { bodyText: reply, bodyHtml: textToHtml(reply), fullHtml, emailMessageId: dedupeKey, automated, unverifiedSender: unverified, dmarcFailed: auth.dmarcFailed };
  const senderName = clean(from?.name).trim().slice(0, 100) || null;
  // A bounce is written by a mail server, not by a person: it creates no user.
  // A newcomer's mails are written in the language their own mail declares (else the team's default).
  const newcomerLocale = localeFromMailHeaders(mail.headers, deps.mail.defaultLocale);
  const author: Person = kind === "bounce" ? null : existingSender ? { known: existingSender.id } : { create: { email: senderAddress, name: senderName, locale: newcomerLocale } };
  const requester: KnownSender = existingSender ?? { id: "", email: senderAddress, name: senderName, locale: newcomerLocale, role: "CUSTOMER" };
  const storedAttachments = attachments.map(({ cid: _cid, ...a }) => a);
  const outcomeRow = {
    inboundId: row.id,
    dedupeKey,
    now,
    reason:
      [
        parsed.overLimit ? `attachments (${parsed.attachmentBytes} bytes) over the limit were not kept` : null,
        parsed.tooManyParts ? `too many MIME parts: ${parsed.droppedParts} attachments not kept (the raw mail is stored whole)` : null,
      ]
        .filter(Boolean)
        .join("; ") || null,
    authResults: auth.results,
  };
  /** The message is kept; the customer learns why its attachments were not. */
  const overLimitMail = (ticket: TicketForMail): EmailToStage[] =>
    parsed.overLimit && !automated && !unverified
      ? [ticketEmailRow(deps, ticket, "attachments_too_large", row.id, attachmentsTooLargeEmail({ ...mailContext(deps, ticket), sizeBytes: parsed.attachmentBytes, maxBytes: deps.limits.maxAttachmentBytes }))]
      : [];

  const events: TicketEvent[] = [];
  let outcome: Extract<InboundOutcome, { status: "PROCESSED" }>;
  let reopenedFrom: TicketStatus | null = null;
  const messageId = newId();
  try {
    if (target) {
      const reopen = !!effect?.accepted && effect.reopen;
      const recorded = await writeMessage(pool, {
        ticketId: target.id,
        person: author,
        message: { id: messageId, authorId: "person", internal, channel: "EMAIL", body },
        history: [
          { type: internal ? "NOTE_ADDED" : "REPLIED" },
          ...(reopen ? [{ type: "STATUS_CHANGED" as const, fromValue: target.status, toValue: "OPEN" }] : []),
        ],
        expectedStatus: target.status,
        status: reopen ? "OPEN" : null,
        firstResponse: replier.staff && !internal,
        resumedDueDates: reopen ? restartedDueDates(await deps.sla.forTicket(target), target, now) : null,
        attachments: storedAttachments,
        emails: overLimitMail(target),
        also: [settleProcessed(outcomeRow, target.id, messageId)],
        now,
      });
      // The ticket changed status between the rule and the write (an agent, a timer): nothing was
      // written; the queue runs this mail again and the rule decides on the ticket as it is then.
      if (!recorded.written) throw new Error(`ticket ${target.number} changed while this mail was recorded; retrying`);
      events.push({ type: "message.created", ticketId: target.id, number: target.number, requesterId: target.requesterId, messageId, internal, emailIds: recorded.emailIds });
      if (reopen) events.push({ type: "ticket.updated", ticketId: target.id, number: target.number, requesterId: target.requesterId, emailIds: [] });
      if (reopen) reopenedFrom = target.status;
      outcome = { status: "PROCESSED", ticketId: target.id, messageId, created: false };
    } else {
      // Only a person's non-automatic mail gets here (automatic mail with no ticket was ignored).
      const ticket = {
        id: newId(),
        number: ticketNumber ?? (await nextTicketNumber(pool)),
        trackingId: newTrackingId(),
        replyToken: newReplyToken(),
        subject: subjectLine.slice(0, SUBJECT_MAX) || "(sin asunto)",
        parentTicketId: thread?.ticket.id ?? null,
        requester,
      };
      // A customer first known by this mail is invited to the portal (kept only if this mail created them).
      const invite = existingSender ? null : draftInvitation(deps, requester);
      const recorded = await writeNewTicket(pool, {
        ticket: { ...ticket, priority: "MEDIUM", channel: "EMAIL", ...(await newTicketDueDates(deps, { categoryId: null, channel: "EMAIL" }, now, "MEDIUM")) },
        requester: author!,
        openedBy: "person",
        message: { id: messageId, authorId: "person", internal, body },
        attachments: storedAttachments,
        // An unverified staff sender's ticket mails no one: its "requester" may never have written it.
        emails: unverified
          ? []
          : [
              ticketEmailRow(deps, ticket, "ticket_created", ticket.id, ticketCreatedEmail(mailContext(deps, ticket))),
              ...overLimitMail(ticket),
              ...(invite ? [{ ...invite.email, onlyForNewPerson: true }] : []),
            ],
        invitation: invite?.invitation ?? null,
        also: [settleProcessed(outcomeRow, ticket.id, messageId)],
        now,
      });
      events.push({ type: "ticket.created", ticketId: ticket.id, number: ticket.number, requesterId: recorded.personId!, emailIds: recorded.emailIds });
      outcome = { status: "PROCESSED", ticketId: ticket.id, messageId, created: true };
    }
  } catch (err) {
    await Promise.all(parsed.attachments.map((a) => deps.store.remove(a.blob.key)));
    // The same Message-ID stored at the same moment by another job: that one won. Any other
    // conflict is retried by the queue; a mail is never settled as a duplicate of nothing.
    if (isPgUniqueViolation(err) && (await ticketOfStoredMessage(pool, dedupeKey))) {
      return settle(deps, row.id, "DUPLICATE", "processed concurrently", dedupeKey, auth);
    }
    throw err;
  }
  for (const e of events) await deps.bus.publish(e);
  // A new ticket, or one back at work: its SLA timer; a second reopening escalates.
  if (outcome.created || reopenedFrom) await scheduleSlaTimer(deps, outcome.ticketId);
  if (reopenedFrom) await afterStatusChange(deps, outcome.ticketId, reopenedFrom, "OPEN");
  return outcome;
}
