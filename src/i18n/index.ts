import { en } from "./en";
import { es } from "./es";

type Widen<T> = { -readonly [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
export type Messages = Widen<typeof es>;

export const LOCALES = ["es", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "es";
export const LOCALE_COOKIE = "vt-locale";

type Paths<T, P extends string = ""> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Paths<T[K], `${P}${K}.`>;
}[keyof T & string];
export type MessageKey = Paths<Messages>;
export type Params = Record<string, string | number>;

const catalogs: Record<Locale, Messages> = { es, en };

export function isLocale(v: unknown): v is Locale {
  return typeof v === "string" && (LOCALES as readonly string[]).includes(v);
}

/**
 * The language picked with the language selector (cookie), else the signed-in user's profile
 * language, else the team's default (/admin/ajustes; Spanish unless set). The browser's Accept-Language is deliberately not used: Ventanilla is
 * Spanish first, and many of its users browse with English-language systems.
 */
export function resolveLocale(cookie?: string | null, profile?: string | null, fallback: Locale = DEFAULT_LOCALE): Locale {
  if (isLocale(cookie)) return cookie;
  if (isLocale(profile)) return profile;
  return fallback;
}

export function translate(locale: Locale, key: MessageKey, params?: Params): string {
  let node: unknown = catalogs[locale];
  for (const seg of key.split(".")) node = (node as Record<string, unknown> | undefined)?.[seg];
  const text = typeof node === "string" ? node : key;
  return params ? text.replace(/\{(\w+)\}/g, (m, name: string) => String(params[name] ?? m)) : text;
}

export function translator(locale: Locale) {
  return (key: MessageKey, params?: Params) => translate(locale, key, params);
}
export type T = ReturnType<typeof translator>;
