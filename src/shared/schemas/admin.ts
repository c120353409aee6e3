import { z } from "zod";
import { INBOUND_MAIL_STATUSES, OUTBOUND_EMAIL_STATUSES } from "~/shared/enums";

const ticketRef = z.object({ number: z.number() }).nullable();

/** admin.mailbox: every mail the app sent or tried to send. */
export const outboundEmails = z.array(
  z.object({
    id: z.string(),
    kind: z.string(),
    to: z.string(),
    subject: z.string(),
    text: z.string(),
    status: z.enum(OUTBOUND_EMAIL_STATUSES),
    attempts: z.number(),
    lastError: z.string().nullable(),
    heldReason: z.string().nullable(),
    createdAt: z.date(),
    sentAt: z.date().nullable(),
    ticket: ticketRef,
  }),
);
export type OutboundEmailRow = z.infer<typeof outboundEmails>[number];

const loopScope = z.enum(["ticket", "to"]);

/** admin.mailLoops: the open mail-loop alerts and the mail held back. */
export const mailLoops = z.object({
  alerts: z.array(
    z.object({
      id: z.string(),
      createdAt: z.date(),
      scope: loopScope,
      ticketId: z.string().nullable(),
      number: z.number().nullable(),
      to: z.string(),
      max: z.number(),
      minutes: z.number(),
      held: z.number(),
    }),
  ),
  held: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      to: z.string(),
      subject: z.string(),
      heldReason: z.string().nullable(),
      createdAt: z.date(),
      ticket: ticketRef,
      scope: loopScope,
    }),
  ),
});
export type MailLoops = z.infer<typeof mailLoops>;

/** admin.inbound: what arrived by mail and what became of it. */
export const inboundMails = z.array(
  z.object({
    id: z.string(),
    envelopeFrom: z.string().nullable(),
    envelopeTo: z.array(z.string()),
    size: z.number(),
    source: z.string(),
    receivedAt: z.date(),
    status: z.enum(INBOUND_MAIL_STATUSES),
    reason: z.string().nullable(),
    attempts: z.number(),
    ticketId: z.string().nullable(),
  }),
);
export type InboundMailRow = z.infer<typeof inboundMails>[number];

/** An IMAP mailbox as the browser may see it: `hasPassword`, never the password. */
export const imapMailbox = z.object({
  id: z.string(),
  name: z.string(),
  host: z.string(),
  port: z.number(),
  secure: z.boolean(),
  username: z.string(),
  folder: z.string(),
  moveTo: z.string().nullable(),
  active: z.boolean(),
  lastPolledAt: z.date().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.date(),
  hasPassword: z.boolean(),
});
export const imapMailboxes = z.array(imapMailbox);
export type ImapMailboxView = z.infer<typeof imapMailbox>;

/** admin.testImapMailbox: a failed connection is a result, with the server's own words in `detail`. */
export const imapConnectionTest = z.discriminatedUnion("ok", [
  z.object({ ok: z.literal(true), message: z.string(), folder: z.string(), messages: z.number(), unseen: z.number().nullable() }),
  z.object({
    ok: z.literal(false),
    message: z.string(),
    reason: z.enum(["passwordUnreadable", "auth", "hostNotFound", "refused", "unreachable", "timeout", "tls", "folder", "other"]),
    detail: z.string(),
  }),
]);
export type ImapConnectionTest = z.infer<typeof imapConnectionTest>;
