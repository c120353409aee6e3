import { z } from "zod";
import { AppError } from "~/server/errors";
import type { Actor } from "../actor";
import type { Deps } from "../deps";
import { KB_LANGUAGES, type KbLanguage } from "./articles";
import { normalizeSynonymGroups } from "./search/text";

// Knowledge-base search for everyone (the help centre, the ticket form, agents' replies). The
// index only ever holds published articles, so nothing here filters drafts: there are none to find.

export const searchInput = z.strictObject({
  q: z.string().trim().min(1).max(200),
  language: z.enum(KB_LANGUAGES).optional(),
  categoryId: z.string().min(1).max(64).optional(),
  tag: z.string().trim().toLowerCase().min(1).max(40).optional(),
  limit: z.number().int().min(1).max(20).default(10),
});

export function searchArticles(deps: Pick<Deps, "search">, input: z.output<typeof searchInput>) {
  return deps.search.search(input);
}

export const SUGGEST_MIN_CHARS = 3;
export const SUGGEST_LIMIT = 5;

export const suggestInput = z.strictObject({
  q: z.string().trim().min(SUGGEST_MIN_CHARS).max(200),
  language: z.enum(KB_LANGUAGES).optional(),
});

/** What a customer typing a ticket subject (or an agent writing a reply) may want to read first. */
export function suggestArticles(deps: Pick<Deps, "search">, input: z.output<typeof suggestInput>) {
  return deps.search.search({ q: input.q, language: input.language, limit: SUGGEST_LIMIT });
}

export const synonymsInput = z.strictObject({
  language: z.enum(KB_LANGUAGES),
  groups: z.array(z.array(z.string().trim().min(1).max(60)).min(2).max(20)).max(500),
});

function requireAdmin(actor: Actor) {
  if (actor.role !== "ADMIN") throw new AppError("FORBIDDEN");
}

export async function listSynonyms(deps: Pick<Deps, "db">, actor: Actor, language: KbLanguage) {
  requireAdmin(actor);
  const rows = await deps.db.searchSynonym.findMany({ where: { language }, orderBy: { id: "asc" }, select: { terms: true } });
  return rows.map((r) => r.terms);
}

/** Replaces a language's synonym groups: stored in "SearchSynonym" (a full reindex pushes them again) and applied by the engine. */
export async function saveSynonyms(deps: Pick<Deps, "db" | "search">, actor: Actor, input: z.output<typeof synonymsInput>) {
  requireAdmin(actor);
  const groups = normalizeSynonymGroups(input.groups);
  await deps.db.$transaction([
    deps.db.searchSynonym.deleteMany({ where: { language: input.language } }),
    deps.db.searchSynonym.createMany({ data: groups.map((terms) => ({ language: input.language, terms })) }),
  ]);
  await deps.search.setSynonyms(input.language, groups);
  return { groups: groups.length };
}
