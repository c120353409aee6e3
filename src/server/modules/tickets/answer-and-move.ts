import { translate } from "~/i18n";
import { sqlOf, type Sql } from "~/server/db/client";
import { isPgUniqueViolation } from "~/server/db/errors";
import { newId, sql } from "~/server/db/sql";
import { AppError } from "~/server/errors";
import { isStaff, type TicketStatus } from "~/shared/enums";
import type { Actor } from "../actor";
import type { Deps } from "../deps";
import type { RenderedEmail, TicketMailContext } from "../notifications/templates";
import { restartedDueDates } from "../sla/due-times";
import { autoCloseAt } from "./auto-close";
import { textToHtml } from "./message-body";
import { replyTargetById, type ReplyTarget } from "./reply-target";
import { mailContext, ticketEmailRow } from "./ticket-mail";
import { writeMessage } from "./ticket-writer";
import { assertVersion } from "./version";

/** What the mail of an action is rendered from: the ticket's mail context and the agent's words. */
export type ActionMailContext = TicketMailContext & { agentName: string; bodyText: string; bodyHtml: string };

/**
 * An agent's action that is a public message moving the ticket to a new status: "Solicitar
 * información" (→ waiting on the customer) and "Resolver" (→ resolved).
 */
export interface AnswerAndMove {
  ticketId: string;
  body: string;
  to: Extract<TicketStatus, "WAITING_ON_CUSTOMER" | "RESOLVED">;
  /** The statuses the action makes sense from; any other is ACTION_NOT_ALLOWED. */
  from: readonly TicketStatus[];
  /** The version the agent saw (tickets/version.ts). */
  expectedVersion?: number;
  /** A retry with the same key returns the first result and writes nothing. */
  clientRequestId?: string;
  /** The outbox kind of the mail, and how it is rendered. */
  mailKind: string;
  mail: (c: ActionMailContext, ticket: ReplyTarget) => RenderedEmail;
}

export interface AnswerAndMoveResult {
  messageId: string;
  status: TicketStatus;
  /** False when this was a retry of an action already done: nothing was written. */
  created: boolean;
}

/**
 * One write through the ticket writer (one statement: message, "Movimientos", status, SLA pause or
 * restart, staged mail), holding only if the ticket still has the status and version read here: an
 * agent or a timer moving it in between makes the action decide again, and refuses it as
 * TICKET_CHANGED when the agent named the version they saw.
 */
export async function answerAndMove(deps: Deps, actor: Actor, a: AnswerAndMove): Promise<AnswerAndMoveResult> {
  if (!isStaff(actor.role)) throw new AppError("FORBIDDEN");
  const pool = sqlOf(deps.db);
  for (let attempt = 1; ; attempt++) {
    const done = await attemptOnce(deps, actor, a, pool);
    if (done) return done;
    if (attempt === 3) throw new AppError("TICKET_CHANGED");
  }
}

async function earlierResult(pool: Sql, ticketId: string, clientRequestId: string | undefined): Promise<AnswerAndMoveResult | null> {
  if (!clientRequestId) return null;
  const { rows } = await pool.query<{ id: string; status: TicketStatus }>(
    sql`SELECT m.id, t.status::text AS status FROM "Message" m JOIN "Ticket" t ON t.id = m."ticketId"
      WHERE m."ticketId" = ${ticketId} AND m."clientRequestId" = ${clientRequestId}`,
  );
  return rows[0] ? { messageId: rows[0].id, status: rows[0].status, created: false } : null;
}

async function attemptOnce(deps: Deps, actor: Actor, a: AnswerAndMove, pool: Sql): Promise<AnswerAndMoveResult | null> {
  const ticket = await replyTargetById(pool, a.ticketId);
  if (!ticket) throw new AppError("TICKET_NOT_FOUND");
  const earlier = await earlierResult(pool, ticket.id, a.clientRequestId);
  if (earlier) return earlier;
  if (ticket.mergedIntoId) throw await mergedError(pool, ticket.mergedIntoId);
  assertVersion(ticket.version, a.expectedVersion);
  if (!a.from.includes(ticket.status)) throw new AppError("ACTION_NOT_ALLOWED");

  const now = deps.clock.now();
  const messageId = newId();
  const bodyHtml = textToHtml(a.body);
  const { rows } = await pool.query<{ name: string }>(sql`SELECT COALESCE(name, email) AS name FROM "User" WHERE id = ${actor.id}`);
  const agentName = rows[0]?.name ?? deps.mail.team;
  const ctx = mailContext(deps, ticket);
  const mail = a.mail({ ...ctx, agentName, bodyText: a.body, bodyHtml }, ticket);
  const fromName = translate(ctx.locale, "email.via", { agent: agentName, team: deps.mail.team });
  const waiting = a.to === "WAITING_ON_CUSTOMER";
  let written;
  try {
    written = await writeMessage(pool, {
      ticketId: ticket.id,
      person: { known: actor.id },
      message: { id: messageId, clientRequestId: a.clientRequestId ?? null, authorId: actor.id, internal: false, channel: "PORTAL", body: { bodyText: a.body, bodyHtml } },
      history: [{ type: "REPLIED" }, { type: "STATUS_CHANGED", fromValue: ticket.status, toValue: a.to }],
      expectedStatus: ticket.status,
      expectedVersion: ticket.version,
      status: a.to,
      firstResponse: true,
      // Waiting on the customer stops the SLA clock; leaving that wait (resolving) starts it where it stopped.
      pauseSla: waiting,
      resumedDueDates: waiting ? null : restartedDueDates(await deps.sla.forTicket(ticket), ticket, now),
      emails: [ticketEmailRow(deps, ticket, a.mailKind, messageId, mail, { fromName })],
      now,
    });
  } catch (err) {
    // The same retry key written by a concurrent call: the next attempt returns its result.
    if (a.clientRequestId && isPgUniqueViolation(err)) return null;
    throw err;
  }
  if (!written.written) return null;

  const closesAt = await autoCloseAt(deps, ticket, a.to, now);
  // A timer lost here (Redis away) is found by the sweep within a minute of its time (auto-close.ts).
  if (closesAt) await deps.queues.scheduleAutoClose(ticket.id, closesAt).catch(() => {});
  const hint = { ticketId: ticket.id, number: ticket.number, requesterId: ticket.requesterId };
  await deps.bus.publish({ type: "message.created", ...hint, messageId, internal: false, emailIds: written.emailIds });
  await deps.bus.publish({ type: "ticket.updated", ...hint, emailIds: [] });
  return { messageId, status: a.to, created: true };
}

/** TICKET_MERGED naming where the conversation went. */
export async function mergedError(pool: Sql, survivorId: string): Promise<AppError> {
  const { rows } = await pool.query<{ number: number }>(sql`SELECT number FROM "Ticket" WHERE id = ${survivorId}`);
  return new AppError("TICKET_MERGED", { number: rows[0]?.number ?? "?" });
}
