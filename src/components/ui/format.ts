import type { Locale } from "~/i18n";

/** `timeZone`: the reader's saved zone (useI18n().timeZone); absent, the runtime's own (the browser's). */
export function formatDateTime(d: Date | string, locale: Locale, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale === "es" ? "es-ES" : "en-GB", { dateStyle: "short", timeStyle: "short", timeZone }).format(new Date(d));
}

export function personName(p: { name: string | null; email: string } | null | undefined): string {
  return p ? (p.name ?? p.email) : "";
}

export function formatDate(d: Date | string, locale: Locale, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale === "es" ? "es-ES" : "en-GB", { dateStyle: "long", timeZone }).format(new Date(d));
}
