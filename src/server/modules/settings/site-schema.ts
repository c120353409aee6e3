import { z } from "zod";
import { LOCALES, type Locale } from "~/i18n";
import { isTimeZone } from "~/shared/time-zones";

/** Any line break or other control character: none may reach a mail header (From's name, Subject). */
export const HEADER_BREAK = /[\u0000-\u001f\u007f\u0085\u2028\u2029]/;

/** The team's identity and defaults, set at /admin/ajustes; unset, each reads as the environment's value. */
export type SiteSettings = {
  /** Signs every mail ("El equipo de …") and names the team in the pages (env TEAM_NAME). */
  teamName: string;
  /** The From name of the team's own mails; empty: the team name. */
  senderName: string;
  /** The addresses the SMTP listener accepts mail for; the first carries each ticket's reply token (env SUPPORT_ADDRESSES). */
  supportAddresses: string[];
  /** New users' language, and the language of mail to anyone without one. */
  defaultLocale: Locale;
  /** Dates for anyone without a time zone of their own (IANA name; env BUSINESS_TIME_ZONE). */
  defaultTimeZone: string;
};

export const SITE_KEYS = ["teamName", "senderName", "supportAddresses", "defaultLocale", "defaultTimeZone"] as const satisfies ReadonlyArray<keyof SiteSettings>;
export type SiteKey = (typeof SITE_KEYS)[number];

const oneLine = (s: z.ZodString) => s.refine((v) => !HEADER_BREAK.test(v), { message: "SETTINGS_LINE_BREAK" });

export const SUPPORT_ADDRESSES_MAX = 10;
export const SITE_NAME_MAX = 80;

/** Each setting as an admin may save it (error messages are codes of src/i18n/<locale>/errors.ts). */
export const siteFields = {
  teamName: oneLine(z.string().trim().min(1, "SETTINGS_TEAM_REQUIRED").max(SITE_NAME_MAX, "NAME_TOO_LONG")),
  senderName: oneLine(z.string().trim().max(SITE_NAME_MAX, "NAME_TOO_LONG")),
  supportAddresses: z
    .array(z.string().trim().toLowerCase().max(254, "EMAIL_INVALID"))
    .max(SUPPORT_ADDRESSES_MAX, "SETTINGS_ADDRESSES_TOO_MANY")
    .transform((list) => [...new Set(list.filter(Boolean))])
    .superRefine((list, ctx) => {
      if (list.length === 0) ctx.addIssue({ code: "custom", message: "SETTINGS_ADDRESS_REQUIRED" });
      for (const address of list) {
        if (!z.email().safeParse(address).success || address.includes("+")) ctx.addIssue({ code: "custom", message: "SETTINGS_ADDRESS_INVALID", params: { address } });
      }
    }),
  defaultLocale: z.enum(LOCALES, { message: "LOCALE_INVALID" }),
  defaultTimeZone: z.string().refine(isTimeZone, { message: "TIME_ZONE_INVALID" }),
} satisfies Record<SiteKey, z.ZodType>;

/** A stored value, or undefined when missing or no longer valid (then the environment's value applies). */
export function readSiteValue(key: SiteKey, value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  const parsed = siteFields[key].safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
