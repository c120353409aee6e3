import { z } from "zod";
import {
  KB_LANGUAGES,
  articleInput,
  createArticle,
  deleteArticle,
  getArticleForEditing,
  getPublishedArticle,
  kbHome,
  listKbCategories,
  recordArticleView,
  setArticlePublished,
  updateArticle,
  updateArticleInput,
} from "~/server/modules/kb/articles";
import { categoryWithArticles } from "~/server/modules/kb/category";
import { articleStats, voteInput, voteOnArticle } from "~/server/modules/kb/feedback";
import { renderMarkdown } from "~/server/modules/kb/markdown";
import { listSynonyms, saveSynonyms, searchArticles, searchInput, suggestArticles, suggestInput, synonymsInput } from "~/server/modules/kb/search-articles";
import * as out from "~/shared/schemas/kb";
import { adminProcedure, agentProcedure, publicProcedure, router } from "../trpc";

const id = z.string().min(1).max(64);
const language = z.enum(KB_LANGUAGES);

export const kbRouter = router({
  home: publicProcedure.input(z.strictObject({ language })).output(out.kbHome).query(({ ctx, input }) => kbHome(ctx.deps, input.language)),
  categories: publicProcedure.output(out.kbCategories).query(({ ctx }) => listKbCategories(ctx.deps)),
  /** A public category page: null when there is no such category. */
  category: publicProcedure
    .input(z.strictObject({ language, slug: z.string().min(1).max(80) }))
    .output(out.kbCategoryPage)
    .query(({ ctx, input }) => categoryWithArticles(ctx.deps, input.language, input.slug)),
  article: publicProcedure
    .input(z.strictObject({ language, slug: z.string().min(1).max(80) }))
    .output(out.publishedArticle)
    .query(({ ctx, input }) => getPublishedArticle(ctx.deps, input.language, input.slug)),
  recordView: publicProcedure.input(z.strictObject({ articleId: id })).mutation(({ ctx, input }) => recordArticleView(ctx.deps, input.articleId)),
  vote: publicProcedure.input(voteInput).mutation(({ ctx, input }) => voteOnArticle(ctx.deps, ctx.actor, input)),
  /** Published articles only: nothing else is ever indexed. */
  search: publicProcedure.input(searchInput).output(out.searchHits).query(({ ctx, input }) => searchArticles(ctx.deps, input)),
  /** Up to five articles for a ticket subject being typed (3+ characters). */
  suggest: publicProcedure.input(suggestInput).output(out.searchHits).query(({ ctx, input }) => suggestArticles(ctx.deps, input)),

  stats: agentProcedure.output(out.articleStats).query(({ ctx }) => articleStats(ctx.deps, ctx.actor)),
  forEditing: agentProcedure.input(z.strictObject({ id })).output(out.articleForEditing).query(({ ctx, input }) => getArticleForEditing(ctx.deps, ctx.actor, input.id)),
  preview: agentProcedure.input(z.strictObject({ bodyMarkdown: z.string().max(200_000) })).output(out.articlePreview).query(({ input }) => ({ html: renderMarkdown(input.bodyMarkdown) })),
  create: agentProcedure.input(articleInput).output(out.savedArticle).mutation(({ ctx, input }) => createArticle(ctx.deps, ctx.actor, input)),
  update: agentProcedure.input(updateArticleInput).output(out.savedArticle).mutation(({ ctx, input }) => updateArticle(ctx.deps, ctx.actor, input)),
  publish: agentProcedure.input(z.strictObject({ id, published: z.boolean() })).mutation(({ ctx, input }) => setArticlePublished(ctx.deps, ctx.actor, input.id, input.published)),
  remove: agentProcedure.input(z.strictObject({ id })).mutation(({ ctx, input }) => deleteArticle(ctx.deps, ctx.actor, input.id)),

  synonyms: adminProcedure.input(z.strictObject({ language })).output(out.synonymGroups).query(({ ctx, input }) => listSynonyms(ctx.deps, ctx.actor, input.language)),
  setSynonyms: adminProcedure.input(synonymsInput).mutation(({ ctx, input }) => saveSynonyms(ctx.deps, ctx.actor, input)),
});
