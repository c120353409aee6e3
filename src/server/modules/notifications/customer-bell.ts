import { sqlOf } from "~/server/db/client";
import { newId, sql } from "~/server/db/sql";
import type { Deps } from "../deps";
import type { TicketEvent } from "../events";

/** How far back a ticket.updated looks for status changes it has not yet told the requester of. */
const STATUS_WINDOW_MS = 10 * 60_000;

export type StoredNotification = { id: string; userId: string };

/**
 * The customer's bell, fed by the dispatcher from the events it already receives: an agent's public
 * reply (message.created) and a status change someone else made (ticket.updated, read from the
 * "Movimientos" it wrote). Internal notes never reach it, nor the customer's own doing (their reply,
 * their closing). One row per change, keyed by what caused it (`reply:<message>`, `status:<entry>`),
 * so a dispatch retried, or two events naming one change, store it once; only new rows are returned.
 * A status change written together with an agent's reply ("Resolver", "Solicitar información") is
 * that reply's row, not a second one: both "Movimientos" entries were inserted by one transaction,
 * which PostgreSQL records as the rows' equal `xmin` (entries are never updated, so it stays).
 */
export async function notifyRequester(deps: Pick<Deps, "db" | "clock">, event: TicketEvent): Promise<StoredNotification[]> {
  if (event.type === "message.created") return event.internal ? [] : agentReplied(deps, event.messageId);
  if (event.type === "ticket.updated") return statusChanged(deps, event.ticketId);
  return [];
}

async function agentReplied(deps: Pick<Deps, "db" | "clock">, messageId: string): Promise<StoredNotification[]> {
  const { rows } = await sqlOf(deps.db).query<StoredNotification>(sql`
    INSERT INTO "Notification" (id, "userId", kind, "ticketId", "actorId", "dedupeKey", "createdAt")
    SELECT ${newId()}, t."requesterId", 'AGENT_REPLIED', t.id, m."authorId", 'reply:' || m.id, ${deps.clock.now()}
    FROM "Message" m
    JOIN "Ticket" t ON t.id = m."ticketId"
    JOIN "User" a ON a.id = m."authorId"
    JOIN "User" r ON r.id = t."requesterId"
    WHERE m.id = ${messageId} AND NOT m.internal AND a.role IN ('AGENT', 'ADMIN') AND r.role = 'CUSTOMER' AND a.id <> r.id
    ON CONFLICT ("dedupeKey") DO NOTHING
    RETURNING id, "userId"`);
  return rows;
}

async function statusChanged(deps: Pick<Deps, "db" | "clock">, ticketId: string): Promise<StoredNotification[]> {
  const now = deps.clock.now();
  // md5 of the entry's id: a fresh, deterministic id per row without a round trip per entry.
  const { rows } = await sqlOf(deps.db).query<StoredNotification>(sql`
    INSERT INTO "Notification" (id, "userId", kind, "ticketId", "actorId", "dedupeKey", detail, "createdAt")
    SELECT 'n' || substr(md5(e.id), 1, 24), t."requesterId", 'STATUS_CHANGED', t.id, e."actorId", 'status:' || e.id, e."toValue", ${now}
    FROM "TicketEvent" e
    JOIN "Ticket" t ON t.id = e."ticketId"
    JOIN "User" r ON r.id = t."requesterId"
    WHERE e."ticketId" = ${ticketId} AND e.type = 'STATUS_CHANGED' AND e."createdAt" >= ${new Date(now.getTime() - STATUS_WINDOW_MS)}
      AND r.role = 'CUSTOMER' AND e."actorId" IS DISTINCT FROM t."requesterId"
      AND NOT EXISTS (
        SELECT 1 FROM "TicketEvent" reply
        WHERE reply."ticketId" = e."ticketId" AND reply.type = 'REPLIED' AND reply.xmin = e.xmin
      )
    ON CONFLICT ("dedupeKey") DO NOTHING
    RETURNING id, "userId"`);
  return rows;
}
