import type { Locale } from "~/i18n";

/**
 * An article's public path. Slugs are unique per language only, so a link to an article in
 * another language than the page's says which (`?lang=`); the article page honours it.
 */
export function articlePath(slug: string, language: string, pageLocale?: Locale): string {
  const base = `/kb/${encodeURIComponent(slug)}`;
  return language === pageLocale ? base : `${base}?lang=${encodeURIComponent(language)}`;
}

/** The address to share (in a reply, a mail): always names the language, whoever opens it. */
export function articlePublicUrl(origin: string, slug: string, language: string): string {
  return `${origin.replace(/\/$/, "")}${articlePath(slug, language)}`;
}
