import type { Locale } from "~/i18n";

export function formatDateTime(d: Date | string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === "es" ? "es-ES" : "en-GB", { dateStyle: "short", timeStyle: "short" }).format(new Date(d));
}

export function personName(p: { name: string | null; email: string } | null | undefined): string {
  return p ? (p.name ?? p.email) : "";
}

export function formatDate(d: Date | string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === "es" ? "es-ES" : "en-GB", { dateStyle: "long" }).format(new Date(d));
}
