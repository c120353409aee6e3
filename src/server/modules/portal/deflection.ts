import { z } from "zod";
import { sqlOf } from "~/server/db/client";
import { newId, sql } from "~/server/db/sql";
import { AppError } from "~/server/errors";
import type { Actor } from "../actor";
import type { Deps } from "../deps";

export const deflectInput = z.strictObject({
  articleId: z.string().min(1).max(64),
  /** The new-ticket form's own key (its clientRequestId): one draft counts an article once. */
  draftId: z.string().min(8).max(64),
});

/**
 * "Esto resolvió mi problema" on a suggested article (seeds 001, 002): the ticket is not sent and a
 * deflection is counted, once per (user, article, draft) however often the button is pressed.
 * Only published articles are ever suggested, so only they count.
 */
export async function recordDeflection(deps: Deps, actor: Actor, raw: z.input<typeof deflectInput>): Promise<{ counted: boolean }> {
  const input = deflectInput.parse(raw);
  const { rows } = await sqlOf(deps.db).query<{ published: boolean; counted: boolean }>(sql`WITH
    a AS (SELECT id FROM "Article" WHERE id = ${input.articleId} AND state = 'PUBLISHED'),
    ins AS (INSERT INTO "KbDeflection" (id, "articleId", "userId", "draftId", "createdAt")
      SELECT ${newId()}, a.id, ${actor.id}, ${input.draftId}, ${deps.clock.now()} FROM a
      ON CONFLICT ("userId", "articleId", "draftId") DO NOTHING RETURNING id)
    SELECT EXISTS (SELECT 1 FROM a) AS published, EXISTS (SELECT 1 FROM ins) AS counted`);
  if (!rows[0]?.published) throw new AppError("ARTICLE_NOT_FOUND");
  return { counted: rows[0].counted };
}
