import { z } from "zod";
import { isUniqueViolation } from "~/server/db/errors";
import { AppError } from "~/server/errors";
import { isStaff } from "~/shared/enums";
import type { Actor } from "../actor";
import type { Deps } from "../deps";

/** Seed 002's reasons for a "No". */
export const FEEDBACK_REASONS = ["NOT_SOLVED", "HARD_TO_UNDERSTAND", "OUTDATED", "OTHER"] as const;

export const voteInput = z
  .strictObject({
    articleId: z.string().min(1).max(64),
    helpful: z.boolean(),
    reasons: z.array(z.enum(FEEDBACK_REASONS)).max(FEEDBACK_REASONS.length).default([]),
    comment: z.string().trim().max(2000).optional(),
    /** A random id the browser keeps; signed-in users vote as themselves. */
    visitorKey: z.string().min(8).max(64),
  })
  .refine((v) => v.helpful || v.reasons.length > 0, { message: "REASON_REQUIRED_FEEDBACK", path: ["reasons"] });

/** "¿Le ha sido útil este artículo?": one vote per visitor and article. */
export async function voteOnArticle(deps: Pick<Deps, "db" | "clock">, actor: Actor | null, raw: z.input<typeof voteInput>) {
  const input = voteInput.parse(raw);
  const article = await deps.db.article.findFirst({ where: { id: input.articleId, state: "PUBLISHED" }, select: { id: true } });
  if (!article) throw new AppError("ARTICLE_NOT_FOUND");
  try {
    await deps.db.articleFeedback.create({
      data: {
        articleId: article.id,
        visitorKey: actor ? `user:${actor.id}` : `visitor:${input.visitorKey}`,
        helpful: input.helpful,
        reasons: input.helpful ? [] : [...new Set(input.reasons)],
        comment: input.comment || null,
        createdAt: deps.clock.now(),
      },
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("ALREADY_VOTED");
    throw err;
  }
  return { ok: true };
}

/** For agents: which articles help and which do not, and why. */
export async function articleStats(deps: Pick<Deps, "db">, actor: Actor) {
  if (!isStaff(actor.role)) throw new AppError("FORBIDDEN");
  const [articles, votes, reasons] = await Promise.all([
    deps.db.article.findMany({
      orderBy: [{ updatedAt: "desc" }],
      select: { id: true, title: true, slug: true, language: true, state: true, views: true, updatedAt: true },
    }),
    deps.db.articleFeedback.groupBy({ by: ["articleId", "helpful"], _count: { _all: true } }),
    deps.db.$queryRaw<Array<{ articleId: string; reason: string; n: bigint }>>`
      SELECT "articleId", unnest("reasons") AS reason, count(*) AS n FROM "ArticleFeedback" GROUP BY 1, 2`,
  ]);
  return articles.map((a) => {
    const yes = votes.find((v) => v.articleId === a.id && v.helpful)?._count._all ?? 0;
    const no = votes.find((v) => v.articleId === a.id && !v.helpful)?._count._all ?? 0;
    const why = Object.fromEntries(reasons.filter((r) => r.articleId === a.id).map((r) => [r.reason, Number(r.n)]));
    return { ...a, yes, no, helpfulRate: yes + no ? yes / (yes + no) : null, reasons: why };
  });
}
