import { z } from "zod";
import { sqlOf } from "~/server/db/client";
import { sql, type SqlQuery } from "~/server/db/sql";
import type { AgentEvaluationRow, DeflectionReport, EvaluationCommentPage } from "~/shared/schemas/evaluation-reports";
import type { Deps } from "../deps";

/** A period of answers, [from, to): by when the answer was last given (TicketEvaluation.updatedAt). */
export const periodInput = z.strictObject({ from: z.date(), to: z.date() });

export const commentsInput = periodInput.extend({
  /** One agent's evaluations only; "none" for those of tickets closed without a resolving agent. */
  agentId: z.string().min(1).max(64).optional(),
  cursor: z.string().min(1).max(64).nullish(),
  direction: z.enum(["forward", "backward"]).optional(),
  limit: z.number().int().min(1).max(50).default(10),
});

const inPeriod = (p: z.output<typeof periodInput>): SqlQuery => sql`e."updatedAt" >= ${p.from} AND e."updatedAt" < ${p.to}`;

/**
 * Per agent (whose resolution was judged): "Sí me ayudó" and "No me ayudó" counts and the share of
 * helpful answers over the period, most evaluated first. Answers with no resolving agent are one row
 * with agent null.
 */
export async function evaluationsByAgent(deps: Pick<Deps, "db">, raw: z.input<typeof periodInput>): Promise<AgentEvaluationRow[]> {
  const p = periodInput.parse(raw);
  const { rows } = await sqlOf(deps.db).query<{ id: string | null; name: string | null; email: string | null; helpful: string; notHelpful: string }>(sql`
    SELECT a.id, a.name, a.email, count(*) FILTER (WHERE e.helpful) AS helpful, count(*) FILTER (WHERE NOT e.helpful) AS "notHelpful"
    FROM "TicketEvaluation" e LEFT JOIN "User" a ON a.id = e."agentId"
    WHERE ${inPeriod(p)}
    GROUP BY a.id, a.name, a.email
    ORDER BY count(*) DESC, a.name NULLS LAST, a.id`);
  return rows.map((r) => {
    const helpful = Number(r.helpful);
    const notHelpful = Number(r.notHelpful);
    return {
      agent: r.id ? { id: r.id, name: r.name, email: r.email! } : null,
      helpful,
      notHelpful,
      total: helpful + notHelpful,
      helpfulPercent: Math.round((helpful / (helpful + notHelpful)) * 100),
    };
  });
}

/** The latest answers that carry a comment, newest first, keyset pages on (updatedAt, id). */
export async function evaluationComments(deps: Pick<Deps, "db">, raw: z.input<typeof commentsInput>): Promise<EvaluationCommentPage> {
  const input = commentsInput.parse(raw);
  const conditions: SqlQuery[] = [inPeriod(input), sql`e.comment IS NOT NULL`];
  if (input.agentId) conditions.push(input.agentId === "none" ? sql`e."agentId" IS NULL` : sql`e."agentId" = ${input.agentId}`);
  if (input.cursor) conditions.push(sql`(e."updatedAt", e.id) < (SELECT k."updatedAt", k.id FROM "TicketEvaluation" k WHERE k.id = ${input.cursor})`);
  const where = conditions.reduce((acc, c) => sql`${acc} AND ${c}`);
  const { rows } = await sqlOf(deps.db).query<{
    id: string;
    helpful: boolean;
    comment: string;
    updatedAt: Date;
    number: number;
    subject: string;
    aId: string | null;
    aName: string | null;
    aEmail: string | null;
  }>(sql`SELECT e.id, e.helpful, e.comment, e."updatedAt", t.number, t.subject, a.id AS "aId", a.name AS "aName", a.email AS "aEmail"
    FROM "TicketEvaluation" e JOIN "Ticket" t ON t.id = e."ticketId" LEFT JOIN "User" a ON a.id = e."agentId"
    WHERE ${where} ORDER BY e."updatedAt" DESC, e.id DESC LIMIT ${input.limit + 1}`);
  const hasMore = rows.length > input.limit;
  const page = hasMore ? rows.slice(0, input.limit) : rows;
  return {
    items: page.map((r) => ({
      id: r.id,
      helpful: r.helpful,
      comment: r.comment,
      updatedAt: r.updatedAt,
      ticket: { number: r.number, subject: r.subject },
      agent: r.aId ? { id: r.aId, name: r.aName, email: r.aEmail! } : null,
    })),
    nextCursor: hasMore ? page[page.length - 1]!.id : null,
  };
}

/** Tickets the knowledge base avoided (KbDeflection) over the period: in total and per article, most first. */
export async function deflectionReport(deps: Pick<Deps, "db">, raw: z.input<typeof periodInput>): Promise<DeflectionReport> {
  const p = periodInput.parse(raw);
  const { rows } = await sqlOf(deps.db).query<{ id: string; title: string; slug: string; language: string; count: string }>(sql`
    SELECT a.id, a.title, a.slug, a.language, count(*) AS count
    FROM "KbDeflection" d JOIN "Article" a ON a.id = d."articleId"
    WHERE d."createdAt" >= ${p.from} AND d."createdAt" < ${p.to}
    GROUP BY a.id ORDER BY count(*) DESC, a.title, a.id`);
  const articles = rows.map((r) => ({ article: { id: r.id, title: r.title, slug: r.slug, language: r.language }, count: Number(r.count) }));
  return { total: articles.reduce((n, a) => n + a.count, 0), articles };
}
