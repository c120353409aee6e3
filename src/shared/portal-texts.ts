import { z } from "zod";
import { LOCALES, type Locale } from "~/i18n";

/** The pages whose introduction an admin writes (Markdown, per language). */
export const PORTAL_TEXT_PAGES = ["home", "newTicket"] as const;
export type PortalTextPage = (typeof PORTAL_TEXT_PAGES)[number];
export const PORTAL_TEXT_MAX = 4000;

/** The AppSetting row holding them. */
export const PORTAL_TEXTS_KEY = "portalTexts";

export type PortalTexts = Partial<Record<PortalTextPage, Partial<Record<Locale, string>>>>;

const perLocale = z.partialRecord(z.enum(LOCALES), z.string().max(PORTAL_TEXT_MAX, "PORTAL_TEXT_TOO_LONG"));
export const portalTextsSchema = z.partialRecord(z.enum(PORTAL_TEXT_PAGES), perLocale);

export function readPortalTexts(value: unknown): PortalTexts {
  const parsed = portalTextsSchema.safeParse(value);
  return parsed.success ? (parsed.data as PortalTexts) : {};
}
