import type { Locale } from "~/i18n";

export function categoryName(c: { nameEs: string; nameEn: string }, locale: Locale): string {
  return locale === "es" ? c.nameEs : c.nameEn;
}
