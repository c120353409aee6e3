import { DEFAULT_LOCALE, LOCALES, type Locale } from "~/i18n";

/** What mailparser hands over: header names in lower case; a structured value may be an object with `value`. */
type Headers = ReadonlyMap<string, unknown> | undefined;

function headerText(v: unknown): string {
  if (typeof v === "string") return v;
  if (Array.isArray(v)) return v.map(headerText).join(",");
  if (v && typeof v === "object" && "value" in v) return headerText((v as { value: unknown }).value);
  return "";
}

/**
 * The language a person writing to us by mail reads, for the user their first mail creates: the
 * mail's `Content-Language` (RFC 3282, set by Outlook, Thunderbird and most webmails), else an
 * `Accept-Language` / `X-Accept-Language` that some clients add. The first tag we have a catalog for
 * wins ("en-US, es" → en); no hint, or only languages we do not speak: the team's default
 * (/admin/ajustes, else es).
 */
export function localeFromMailHeaders(headers: Headers, fallback: Locale = DEFAULT_LOCALE): Locale {
  if (!headers) return fallback;
  for (const name of ["content-language", "accept-language", "x-accept-language"]) {
    const text = headerText(headers.get(name));
    if (!text) continue;
    const tags = text
      .split(",")
      .map((part) => part.split(";")[0]!.trim().toLowerCase().split("-")[0]!)
      .filter(Boolean);
    const known = tags.find((tag): tag is Locale => (LOCALES as readonly string[]).includes(tag));
    if (known) return known;
  }
  return fallback;
}
