import type { Sql } from "~/server/db/client";
import { newId, sql, type SqlQuery } from "~/server/db/sql";
import type { Channel, Priority, TicketStatus } from "~/shared/enums";
import type { StagedEmail } from "../notifications/outbox";
import type { RunningDueDates } from "../sla/due-times";

/**
 * The one writer of tickets and messages: the portal, the agent console and mail intake all create
 * tickets and add messages here. Each write is ONE statement of data-modifying CTEs: atomic without
 * a transaction block, one round trip and one commit. A unique violation (a retried form's
 * clientRequestId, a Message-ID stored by a concurrent run) aborts all of it.
 */

export interface MessageBody {
  bodyText: string;
  bodyHtml: string;
  fullHtml?: string | null;
  /** The mail's Message-ID (mail only): a second delivery of the same mail is a unique violation. */
  emailMessageId?: string | null;
  automated?: boolean;
  /** From a staff address that proved nothing (mail): kept as an internal note, flagged. */
  unverifiedSender?: boolean;
  /** The mail failed DMARC for its From domain: shown with a warning. */
  dmarcFailed?: boolean;
}

export interface StoredAttachment {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  storageKey: string;
}

/** A known user (their id), a new one (created unless a concurrent write just did), or none (a bounce's author). */
export type Person = { known: string } | { create: { email: string; name: string | null; locale?: string } } | null;

/** "person": the `person` of the write (the requester of a new ticket, the author of a mail reply). */
export type ActorRef = string | "person";

/** An email to stage, optionally only when this write created its person (the portal invitation). */
export type EmailToStage = StagedEmail & { onlyForNewPerson?: boolean };

/**
 * A condition every row of a write depends on (SQL over the CTEs before it). A reply's write holds
 * only if its ticket still has the status the reply rule read (`tu` updated a row); otherwise
 * nothing of it is written and the caller decides again.
 */
const ALWAYS = sql`true`;
const TICKET_UPDATED = sql`EXISTS (SELECT 1 FROM tu)`;

export interface WriteResult {
  personId: string | null;
  personCreated: boolean;
  /** The staged mails actually inserted (an invitation only when the person was created here). */
  emailIds: string[];
  /** False when the ticket's status changed under a reply: nothing was written (writeMessage). */
  written: boolean;
}

/** `u(id, created)`: the person's row. ON CONFLICT DO UPDATE returns the row a concurrent first write inserted. */
function personCte(person: Person, now: Date): SqlQuery {
  if (!person) return sql`u AS (SELECT NULL::text AS id, false AS created)`;
  if ("known" in person) return sql`u AS (SELECT ${person.known}::text AS id, false AS created)`;
  return sql`u AS (
    INSERT INTO "User" (id, email, name, role, locale, "createdAt", "updatedAt")
    VALUES (${newId()}, ${person.create.email}, ${person.create.name}, 'CUSTOMER', ${person.create.locale ?? "es"}, ${now}, ${now})
    ON CONFLICT (email) DO UPDATE SET email = EXCLUDED.email
    RETURNING id, (xmax = 0) AS created)`;
}

/**
 * Whether a message is the customer writing (the queue's "last customer message"): a public,
 * non-automatic message whose author is a customer, or a person this write created (always a customer).
 */
function fromCustomer(m: NewMessage): SqlQuery {
  if (m.internal || m.body.automated) return sql`false`;
  const isCustomer = sql`EXISTS (SELECT 1 FROM "User" x WHERE x.id = ${actorId(m.authorId)} AND x.role = 'CUSTOMER')`;
  return m.authorId === "person" ? sql`(COALESCE((SELECT created FROM u), false) OR ${isCustomer})` : isCustomer;
}

/** The id of an actor as SQL: a literal id, or the person's row. */
function actorId(ref: ActorRef): SqlQuery {
  return ref === "person" ? sql`(SELECT id FROM u)` : sql`${ref}::text`;
}

interface NewMessage {
  id: string;
  /** An agent action's retry key: a second write with it is a unique violation (the caller returns the first). */
  clientRequestId?: string | null;
  authorId: ActorRef;
  internal: boolean;
  channel: Channel;
  body: MessageBody;
}

function messageCte(ticketId: string, m: NewMessage, now: Date, guard: SqlQuery): SqlQuery {
  const b = m.body;
  return sql`m AS (
    INSERT INTO "Message" (id, "ticketId", "authorId", internal, "bodyText", "bodyHtml", "fullHtml", "emailMessageId", automated,
      "unverifiedSender", "dmarcFailed", channel, "clientRequestId", "createdAt")
    SELECT ${m.id}, ${ticketId}, ${actorId(m.authorId)}, ${m.internal}, ${b.bodyText}, ${b.bodyHtml}, ${b.fullHtml ?? null}, ${b.emailMessageId ?? null},
      ${b.automated ?? false}, ${b.unverifiedSender ?? false}, ${b.dmarcFailed ?? false}, ${m.channel}::"Channel", ${m.clientRequestId ?? null}, ${now} WHERE ${guard})`;
}

function attachmentsCte(ticketId: string, messageId: string, list: StoredAttachment[], now: Date, guard: SqlQuery): SqlQuery {
  return sql`a AS (
    INSERT INTO "Attachment" (id, "ticketId", "messageId", filename, "contentType", size, sha256, "storageKey", "createdAt")
    SELECT x.id, ${ticketId}, ${messageId}, x.filename, x.type, x.size, x.sha256, x.key, ${now}
    FROM unnest(${list.map((a) => a.id)}::text[], ${list.map((a) => a.filename)}::text[], ${list.map((a) => a.contentType)}::text[],
                ${list.map((a) => a.size)}::int[], ${list.map((a) => a.sha256)}::text[], ${list.map((a) => a.storageKey)}::text[])
      AS x(id, filename, type, size, sha256, key)
    WHERE ${guard})`;
}

/** "Movimientos" entries, in order. */
export interface HistoryEntry {
  type: "CREATED" | "REPLIED" | "NOTE_ADDED" | "STATUS_CHANGED";
  fromValue?: string | null;
  toValue?: string | null;
}

function eventsCte(ticketId: string, actor: ActorRef, entries: HistoryEntry[], now: Date, guard: SqlQuery): SqlQuery {
  return sql`e AS (
    INSERT INTO "TicketEvent" (id, "ticketId", "actorId", type, "fromValue", "toValue", "createdAt")
    SELECT x.id, ${ticketId}, ${actorId(actor)}, x.type::"TicketEventType", x.from_value, x.to_value, ${now}
    FROM unnest(${entries.map(() => newId())}::text[], ${entries.map((e) => e.type)}::text[],
                ${entries.map((e) => e.fromValue ?? null)}::text[], ${entries.map((e) => e.toValue ?? null)}::text[])
      AS x(id, type, from_value, to_value)
    WHERE ${guard})`;
}

/** `o(id)`: the staged mails (outbox rows) the queue is told about once this commits. */
function emailsCte(emails: EmailToStage[], now: Date, guard: SqlQuery): SqlQuery {
  const list = emails.map((e) => ({ ...e, id: newId() }));
  const col = <K extends keyof EmailToStage>(k: K) => list.map((e) => e[k] ?? null);
  return sql`o AS (
    INSERT INTO "OutboundEmail" (id, "dedupeKey", "ticketId", kind, "to", subject, text, html, "messageId", "fromName", "replyTo", "createdAt")
    SELECT x.id, x.key, x.ticket, x.kind, x.to, x.subject, x.text, x.html, x.mid, x.from_name, x.reply_to, ${now}
    FROM unnest(${list.map((e) => e.id)}::text[], ${col("dedupeKey")}::text[], ${col("ticketId")}::text[], ${col("kind")}::text[],
                ${col("to")}::text[], ${col("subject")}::text[], ${col("text")}::text[], ${col("html")}::text[], ${col("messageId")}::text[],
                ${col("fromName")}::text[], ${col("replyTo")}::text[], ${list.map((e) => !!e.onlyForNewPerson)}::bool[])
      AS x(id, key, ticket, kind, "to", subject, text, html, mid, from_name, reply_to, only_new)
    WHERE (NOT x.only_new OR (SELECT created FROM u)) AND ${guard}
    ON CONFLICT ("dedupeKey") DO NOTHING
    RETURNING id)`;
}

/** More CTEs written in the same statement by the caller (mail intake settles its InboundMail row so); named `x1`, `x2`… */
export type AlsoWrite = (name: string, guard: SqlQuery) => SqlQuery;

function alsoCtes(also: AlsoWrite[], guard: SqlQuery): SqlQuery[] {
  return also.map((f, i) => f(`x${i + 1}`, guard));
}

function joinCtes(ctes: SqlQuery[]): SqlQuery {
  return ctes.reduce((all, cte, i) => (i === 0 ? cte : sql`${all},
    ${cte}`));
}

async function run(pool: Sql, ctes: SqlQuery[], guard: SqlQuery): Promise<WriteResult> {
  const { rows } = await pool.query<WriteResult>(sql`WITH ${joinCtes(ctes)}
    SELECT (SELECT id FROM u) AS "personId", (SELECT created FROM u) AS "personCreated", ARRAY(SELECT id FROM o) AS "emailIds", ${guard} AS written`);
  return rows[0]!;
}

export interface NewTicketWrite {
  ticket: {
    id: string;
    number: number;
    trackingId: string;
    replyToken: string;
    subject: string;
    priority: Priority;
    channel: Channel;
    categoryId?: string | null;
    productId?: string | null;
    clientRequestId?: string | null;
    parentTicketId?: string | null;
    /** The SLA's due and warning times (sla/due-times.ts), set as the ticket opens. */
    firstResponseDueAt: Date;
    resolutionDueAt: Date;
    firstResponseWarnAt: Date;
    resolutionWarnAt: Date;
  };
  /** Whose ticket it is (created, with its invitation, when first known here). */
  requester: Exclude<Person, null>;
  /** Who opened it: the requester, or the agent who took the call. */
  openedBy: ActorRef;
  message: Omit<NewMessage, "channel">;
  attachments?: StoredAttachment[];
  /** The category's custom fields as the requester filled them in (checked: shared/custom-field-rules.ts). */
  fieldValues?: Array<{ fieldId: string; value: string | number | boolean }>;
  emails: EmailToStage[];
  /** The invitation row, kept only when this write created the requester (its mail is `onlyForNewPerson`). */
  invitation?: { id: string; tokenHash: string; expiresAt: Date } | null;
  also?: AlsoWrite[];
  now: Date;
}

function fieldValuesCte(ticketId: string, list: Array<{ fieldId: string; value: unknown }>, guard: SqlQuery): SqlQuery {
  return sql`cf AS (
    INSERT INTO "CustomFieldValue" ("ticketId", "fieldId", value)
    SELECT ${ticketId}, x.field, x.value::jsonb
    FROM unnest(${list.map((v) => v.fieldId)}::text[], ${list.map((v) => JSON.stringify(v.value))}::text[]) AS x(field, value)
    WHERE ${guard})`;
}

/**
 * Requester (if new), ticket, its custom field values, first message, "Movimientos" entry, attachments,
 * staged mails and invitation.
 * A new ticket is the customer's latest contact even when an agent types it for a caller.
 */
export function writeNewTicket(pool: Sql, n: NewTicketWrite): Promise<WriteResult> {
  const { ticket: t, now } = n;
  const inv = n.invitation ?? null;
  return run(pool, [
    personCte(n.requester, now),
    sql`t AS (
      INSERT INTO "Ticket" (id, number, "trackingId", "replyToken", subject, priority, channel, "categoryId", "productId", "clientRequestId", "requesterId",
        "parentTicketId", "firstResponseDueAt", "resolutionDueAt", "firstResponseWarnAt", "resolutionWarnAt", "lastCustomerMessageAt", "createdAt", "updatedAt")
      SELECT ${t.id}, ${t.number}, ${t.trackingId}, ${t.replyToken}, ${t.subject}, ${t.priority}::"Priority", ${t.channel}::"Channel", ${t.categoryId ?? null},
        ${t.productId ?? null}, ${t.clientRequestId ?? null}, u.id, ${t.parentTicketId ?? null}, ${t.firstResponseDueAt}, ${t.resolutionDueAt},
        ${t.firstResponseWarnAt}, ${t.resolutionWarnAt}, ${now}, ${now}, ${now} FROM u)`,
    fieldValuesCte(t.id, n.fieldValues ?? [], ALWAYS),
    messageCte(t.id, { ...n.message, channel: t.channel }, now, ALWAYS),
    eventsCte(t.id, n.openedBy, [{ type: "CREATED", toValue: "OPEN" }], now, ALWAYS),
    sql`inv AS (
      INSERT INTO "Invitation" (id, "userId", "tokenHash", "expiresAt", "createdAt")
      SELECT ${inv?.id ?? null}, u.id, ${inv?.tokenHash ?? null}, ${inv?.expiresAt ?? null}, ${now} FROM u WHERE u.created AND ${!!inv})`,
    attachmentsCte(t.id, n.message.id, n.attachments ?? [], now, ALWAYS),
    emailsCte(n.emails, now, ALWAYS),
    ...alsoCtes(n.also ?? [], ALWAYS),
  ], ALWAYS);
}

export interface MessageWrite {
  ticketId: string;
  /** The message's author when not a known user: a mail's sender first known here, or none (a bounce). */
  person: Person;
  message: NewMessage;
  history: HistoryEntry[];
  /** The status the reply rule read: the write holds only if the ticket still has it. */
  expectedStatus: TicketStatus;
  /** An agent's action made from this version of the ticket: the write holds only if it still is (version.ts). */
  expectedVersion?: number | null;
  /** The ticket's new status, when the message changes it (see reply-rule.ts). */
  status: TicketStatus | null;
  /** A public staff answer: the ticket's first response, unless it had one. */
  firstResponse: boolean;
  /** The SLA clock runs again (a reply that ends a wait on the customer): the moved due and warning times. */
  resumedDueDates?: RunningDueDates | null;
  /** The ticket now waits on the customer: its SLA clock stops (where it stopped, if it already had). */
  pauseSla?: boolean;
  attachments?: StoredAttachment[];
  emails: EmailToStage[];
  also?: AlsoWrite[];
  now: Date;
}

/** Author (if new), message, "Movimientos" entries, the ticket's update, attachments and staged mails. */
export function writeMessage(pool: Sql, w: MessageWrite): Promise<WriteResult> {
  const { now } = w;
  const resumed = w.resumedDueDates ?? null;
  return run(pool, [
    personCte(w.person, now),
    sql`tu AS (
      UPDATE "Ticket" SET "updatedAt" = ${now},
        status = COALESCE(${w.status}::"TicketStatus", status),
        "resolvedAt" = CASE WHEN ${w.status}::"TicketStatus" IS NULL THEN "resolvedAt" WHEN ${w.status} = 'RESOLVED' THEN ${now} ELSE NULL END,
        "firstResponseAt" = CASE WHEN ${w.firstResponse} THEN COALESCE("firstResponseAt", ${now}) ELSE "firstResponseAt" END,
        "firstResponseDueAt" = CASE WHEN ${!!resumed} THEN ${resumed?.firstResponseDueAt ?? null}::timestamp(3) ELSE "firstResponseDueAt" END,
        "resolutionDueAt" = CASE WHEN ${!!resumed} THEN ${resumed?.resolutionDueAt ?? null}::timestamp(3) ELSE "resolutionDueAt" END,
        "firstResponseWarnAt" = CASE WHEN ${!!resumed} THEN ${resumed?.firstResponseWarnAt ?? null}::timestamp(3) ELSE "firstResponseWarnAt" END,
        "resolutionWarnAt" = CASE WHEN ${!!resumed} THEN ${resumed?.resolutionWarnAt ?? null}::timestamp(3) ELSE "resolutionWarnAt" END,
        "slaPausedAt" = CASE WHEN ${!!resumed} THEN NULL WHEN ${!!w.pauseSla} THEN COALESCE("slaPausedAt", ${now}) ELSE "slaPausedAt" END,
        "lastCustomerMessageAt" = CASE WHEN ${fromCustomer(w.message)} THEN ${now}::timestamp(3) ELSE "lastCustomerMessageAt" END
      WHERE id = ${w.ticketId} AND status = ${w.expectedStatus}::"TicketStatus"
        AND (${w.expectedVersion ?? null}::int IS NULL OR version = ${w.expectedVersion ?? null}::int)
      RETURNING id)`,
    messageCte(w.ticketId, w.message, now, TICKET_UPDATED),
    eventsCte(w.ticketId, w.message.authorId, w.history, now, TICKET_UPDATED),
    attachmentsCte(w.ticketId, w.message.id, w.attachments ?? [], now, TICKET_UPDATED),
    emailsCte(w.emails, now, TICKET_UPDATED),
    ...alsoCtes(w.also ?? [], TICKET_UPDATED),
  ], TICKET_UPDATED);
}
