import { z } from "zod";
import { sqlOf } from "~/server/db/client";
import { newId, sql } from "~/server/db/sql";
import { AppError } from "~/server/errors";
import type { TicketStatus } from "~/shared/enums";
import type { Actor } from "../actor";
import type { Deps } from "../deps";
import { limitFailures, type RateLimits } from "../security/rate-limit";
import { ticketIdOf, verifyEvaluationToken } from "./evaluation-link";

/** The longest comment an evaluation keeps. */
export const EVALUATION_COMMENT_MAX = 2000;

/** Tickets whose answer can be evaluated (and the evaluation changed): resolved, or closed after that. */
const EVALUABLE: readonly TicketStatus[] = ["RESOLVED", "CLOSED"];

const answer = {
  helpful: z.boolean(),
  /** Optional; blank is none. */
  comment: z.string().trim().max(EVALUATION_COMMENT_MAX, "COMMENT_TOO_LONG").nullish(),
};

export const evaluationToken = z.string().min(1).max(200);
export const evaluateByTokenInput = z.strictObject({ token: evaluationToken, ...answer });
export const evaluateAsRequesterInput = z.strictObject({ ticketId: z.string().min(1).max(64), ...answer });

/** Who presents a mail link, for its budget (POLICIES.evaluationIp). */
export interface LinkCaller {
  limits: Pick<RateLimits, "evaluationIp">;
  ip: string;
}

export interface EvaluationView {
  ticket: { number: number; subject: string; status: TicketStatus };
  /** Whether an answer can be given (or changed) now. */
  open: boolean;
  evaluation: { helpful: boolean; comment: string | null; updatedAt: Date } | null;
}

interface TicketRow {
  id: string;
  number: number;
  subject: string;
  status: TicketStatus;
  requesterId: string;
  mergedIntoId: string | null;
}

async function ticketOfToken(deps: Deps, token: string): Promise<TicketRow> {
  const id = ticketIdOf(token);
  const ticket = id
    ? await deps.db.ticket.findUnique({ where: { id }, select: ticketSelect })
    : null;
  // An unknown ticket and a bad signature look the same to whoever holds the link.
  if (!ticket || !verifyEvaluationToken(deps, token, ticket)) throw new AppError("EVALUATION_LINK_INVALID");
  return ticket;
}

async function viewOf(deps: Deps, t: TicketRow): Promise<EvaluationView> {
  const evaluation = await deps.db.ticketEvaluation.findUnique({ where: { ticketId: t.id }, select: { helpful: true, comment: true, updatedAt: true } });
  return { ticket: { number: t.number, subject: t.subject, status: t.status }, open: EVALUABLE.includes(t.status) && !t.mergedIntoId, evaluation };
}

const linkFailed = (o: { ok: boolean; error?: unknown }) => !o.ok && o.error instanceof AppError && o.error.code === "EVALUATION_LINK_INVALID";

/** The public page of the mail's link: the ticket it is about and the answer given so far. */
export function evaluationByToken(deps: Deps, token: string, caller: LinkCaller): Promise<EvaluationView> {
  const keys = [{ limiter: caller.limits.evaluationIp, key: caller.ip, onSuccess: "refund" as const }];
  return limitFailures(keys, async () => viewOf(deps, await ticketOfToken(deps, token)), linkFailed);
}

/** "Sí me ayudó / No me ayudó" through the mail's link, with no session: every submission counts against the caller's address. */
export function evaluateByToken(deps: Deps, raw: z.input<typeof evaluateByTokenInput>, caller: LinkCaller): Promise<EvaluationView> {
  const input = evaluateByTokenInput.parse(raw);
  const keys = [{ limiter: caller.limits.evaluationIp, key: caller.ip, onSuccess: "keep" as const }];
  return limitFailures(
    keys,
    async () => {
      const ticket = await ticketOfToken(deps, input.token);
      await recordEvaluation(deps, ticket, input.helpful, input.comment || null, null);
      return viewOf(deps, await ticketById(deps, ticket.id));
    },
    linkFailed,
  );
}

const ticketSelect = { id: true, number: true, subject: true, status: true, requesterId: true, mergedIntoId: true } as const;

/** The ticket as it is after the write, for the answer shown back. */
function ticketById(deps: Deps, id: string): Promise<TicketRow> {
  return deps.db.ticket.findUniqueOrThrow({ where: { id }, select: ticketSelect });
}

/** The same answer from the customer's portal page: only the requester evaluates their ticket. */
export async function evaluateAsRequester(deps: Deps, actor: Actor, raw: z.input<typeof evaluateAsRequesterInput>): Promise<EvaluationView> {
  const input = evaluateAsRequesterInput.parse(raw);
  const ticket = await deps.db.ticket.findUnique({ where: { id: input.ticketId }, select: ticketSelect });
  // Staff read every ticket but answer for no customer; another customer's ticket is "not found".
  if (!ticket || ticket.requesterId !== actor.id) throw new AppError(ticket && actor.role !== "CUSTOMER" ? "FORBIDDEN" : "TICKET_NOT_FOUND");
  await recordEvaluation(deps, ticket, input.helpful, input.comment || null, actor.id);
  return viewOf(deps, await ticketById(deps, ticket.id));
}

/**
 * One statement: the evaluation inserted or changed, and an EVALUATED entry in "Movimientos" only
 * when the answer actually changed, all of it only while the ticket is resolved or closed (checked
 * in the same statement, so a reopen in between wins). Sending the same answer again writes nothing.
 */
async function recordEvaluation(deps: Deps, ticket: TicketRow, helpful: boolean, comment: string | null, userId: string | null): Promise<void> {
  if (ticket.mergedIntoId) throw new AppError("TICKET_MERGED", { number: await survivorNumber(deps, ticket.mergedIntoId) });
  const now = deps.clock.now();
  const { rows } = await sqlOf(deps.db).query<{ open: boolean; changed: boolean }>(sql`WITH
    ok AS (SELECT 1 FROM "Ticket" WHERE id = ${ticket.id} AND status IN ('RESOLVED', 'CLOSED') AND "mergedIntoId" IS NULL),
    -- The agent whose resolution is judged: who last moved the ticket to RESOLVED (none if it closed without that).
    agent AS (SELECT "actorId" AS id FROM "TicketEvent" WHERE "ticketId" = ${ticket.id} AND type = 'STATUS_CHANGED' AND "toValue" = 'RESOLVED'
      ORDER BY "createdAt" DESC, id DESC LIMIT 1),
    up AS (
      INSERT INTO "TicketEvaluation" (id, "ticketId", helpful, comment, "userId", "agentId", "createdAt", "updatedAt")
      SELECT ${newId()}, ${ticket.id}, ${helpful}, ${comment}, ${userId}, (SELECT id FROM agent), ${now}, ${now} FROM ok
      ON CONFLICT ("ticketId") DO UPDATE SET helpful = EXCLUDED.helpful, comment = EXCLUDED.comment, "userId" = EXCLUDED."userId",
        "agentId" = EXCLUDED."agentId", "updatedAt" = EXCLUDED."updatedAt"
        WHERE ("TicketEvaluation".helpful, "TicketEvaluation".comment) IS DISTINCT FROM (EXCLUDED.helpful, EXCLUDED.comment)
      RETURNING id),
    ev AS (
      INSERT INTO "TicketEvent" (id, "ticketId", "actorId", type, "toValue", "createdAt")
      SELECT ${newId()}, ${ticket.id}, ${ticket.requesterId}, 'EVALUATED', ${helpful ? "HELPFUL" : "NOT_HELPFUL"}, ${now} FROM up)
    SELECT EXISTS (SELECT 1 FROM ok) AS open, EXISTS (SELECT 1 FROM up) AS changed`);
  if (!rows[0]?.open) throw new AppError("EVALUATION_NOT_OPEN");
  if (rows[0].changed) {
    await deps.bus.publish({ type: "ticket.updated", ticketId: ticket.id, number: ticket.number, requesterId: ticket.requesterId, emailIds: [] });
  }
}

async function survivorNumber(deps: Deps, id: string): Promise<number | string> {
  return (await deps.db.ticket.findUnique({ where: { id }, select: { number: true } }))?.number ?? "?";
}
