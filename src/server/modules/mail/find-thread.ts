import type { Db } from "~/server/db/client";
import { replyTokenOf, type MailboxConfig } from "./addresses";
import type { MailView } from "./parse-mail";

type ThreadView = Partial<Pick<MailView, "to" | "cc" | "inReplyTo" | "references" | "subject">>;

export const threadTicketSelect = { id: true, number: true, status: true, resolvedAt: true, requesterId: true, subject: true } as const;
export type ThreadTicket = { id: string; number: number; status: string; resolvedAt: Date | null; requesterId: string; subject: string };
export type ThreadMatch = { ticket: ThreadTicket; by: "token" | "references" | "subject-tag" } | null;

function addressesOf(mail: ThreadView): string[] {
  const out: string[] = [];
  for (const field of [mail.to, mail.cc]) {
    for (const group of Array.isArray(field) ? field : field ? [field] : []) {
      for (const v of group.value) if (v.address) out.push(v.address.toLowerCase());
    }
  }
  return out;
}

function referencedIds(mail: ThreadView): string[] {
  const refs = Array.isArray(mail.references) ? mail.references : mail.references ? [mail.references] : [];
  return [...new Set([mail.inReplyTo, ...refs].filter((x): x is string => !!x).flatMap((x) => x.split(/\s+/)).filter(Boolean))];
}

/**
 * Which ticket a mail continues, in order of trust: our unguessable reply-address token; the
 * Message-IDs it answers (ours or stored ones); a `[#1042]` subject tag, only from a participant.
 */
export async function findThread(db: Db, mailbox: MailboxConfig, mail: ThreadView, envelopeTo: string[], senderId: string | null): Promise<ThreadMatch> {
  for (const address of [...envelopeTo, ...addressesOf(mail)]) {
    const token = replyTokenOf(mailbox, address);
    if (!token) continue;
    const ticket = await db.ticket.findUnique({ where: { replyToken: token }, select: threadTicketSelect });
    if (ticket) return { ticket, by: "token" };
  }

  const ids = referencedIds(mail);
  if (ids.length) {
    const ours = await db.outboundEmail.findFirst({ where: { messageId: { in: ids }, ticketId: { not: null } }, select: { ticket: { select: threadTicketSelect } } });
    if (ours?.ticket) return { ticket: ours.ticket, by: "references" };
    const theirs = await db.message.findFirst({ where: { emailMessageId: { in: ids } }, select: { ticket: { select: threadTicketSelect } } });
    if (theirs) return { ticket: theirs.ticket, by: "references" };
    // Our thread root ids are derived from the ticket id, and need no stored row.
    for (const id of ids) {
      const m = /^<ticket-([a-z0-9]+)@/.exec(id);
      if (!m) continue;
      const ticket = await db.ticket.findUnique({ where: { id: m[1] }, select: threadTicketSelect });
      if (ticket) return { ticket, by: "references" };
    }
  }

  const tag = /\[#(\d{1,9})\]/.exec(mail.subject ?? "");
  if (tag && senderId) {
    const ticket = await db.ticket.findUnique({ where: { number: Number(tag[1]) }, select: threadTicketSelect });
    if (ticket) {
      const participant =
        ticket.requesterId === senderId || (await db.message.count({ where: { ticketId: ticket.id, authorId: senderId } })) > 0;
      if (participant) return { ticket, by: "subject-tag" };
    }
  }
  return null;
}
