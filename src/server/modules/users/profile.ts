import { z } from "zod";
import { LOCALES } from "~/i18n";
import { hashPassword, verifyPassword } from "~/server/auth/password";
import { AppError } from "~/server/errors";
import { NAME_MAX, PASSWORD_MAX, PASSWORD_MIN } from "~/shared/enums";
import { isTimeZone } from "~/shared/time-zones";
import type { Actor } from "../actor";
import type { Deps } from "../deps";
import { hashedKey, limitFailures } from "../security/rate-limit";

export const COMPANY_MAX = 120;

const profileSelect = {
  email: true,
  name: true,
  company: true,
  phone: true,
  locale: true,
  timeZone: true,
  mailStatusChanges: true,
  passwordHash: true,
} as const;

type ProfileRow = { email: string; name: string | null; company: string | null; phone: string | null; locale: string; timeZone: string | null; mailStatusChanges: boolean; passwordHash: string | null };

/** What the page reads: never the hash, only whether there is a password to change. */
function view({ passwordHash, locale, ...p }: ProfileRow) {
  return { ...p, locale: (LOCALES as readonly string[]).includes(locale) ? (locale as (typeof LOCALES)[number]) : ("es" as const), hasPassword: !!passwordHash };
}

/** The signed-in user's own profile. */
export async function getProfile(deps: Pick<Deps, "db">, actor: Actor) {
  return view(await deps.db.user.findUniqueOrThrow({ where: { id: actor.id }, select: profileSelect }));
}

/** Empty text (or null: the router's already parsed value, parsed again here) means "none". */
const optionalText = (max: number, code: string) =>
  z
    .string()
    .trim()
    .max(max, code)
    .transform((v) => v || null)
    .nullable();

/**
 * A phone as people write it: digits with spaces, dots, dashes, parentheses and a leading +, between
 * 6 and 20 digits (E.164 allows 15; extensions and local prefixes take a few more).
 */
const phone = z
  .string()
  .trim()
  .refine((v) => v === "" || (/^\+?[0-9 ().-]+$/.test(v) && (v.match(/[0-9]/g)?.length ?? 0) >= 6 && (v.match(/[0-9]/g)?.length ?? 0) <= 20), "PHONE_INVALID")
  .transform((v) => v || null)
  .nullable();

export const updateProfileInput = z.strictObject({
  name: z.string().trim().min(1, "NAME_REQUIRED").max(NAME_MAX, "NAME_TOO_LONG"),
  // Absent: unchanged (the welcome page after an invitation sends the name alone).
  company: optionalText(COMPANY_MAX, "COMPANY_TOO_LONG").optional(),
  phone: phone.optional(),
  locale: z.enum(LOCALES, "LOCALE_INVALID").optional(),
  timeZone: z.string().max(64, "TIME_ZONE_INVALID").refine(isTimeZone, "TIME_ZONE_INVALID").optional(),
  /** Mails when a ticket changes status (agents' answers are always mailed: a helpdesk cannot drop them). */
  mailStatusChanges: z.boolean().optional(),
});
export type UpdateProfileInput = z.input<typeof updateProfileInput>;

/**
 * Anyone signed in may change their own profile: the name shown on tickets and in mails, company and
 * phone (shown to agents), the language of the pages and of every mail to them, the time zone of
 * every date they see, and whether status changes are mailed. Validated whole before anything is written.
 */
export async function updateProfile(deps: Pick<Deps, "db">, actor: Actor, raw: UpdateProfileInput) {
  const input = updateProfileInput.parse(raw);
  return view(await deps.db.user.update({ where: { id: actor.id }, data: input, select: profileSelect }));
}

export const setLocaleInput = z.strictObject({ locale: z.enum(LOCALES, "LOCALE_INVALID") });

/** The language picker, signed in: the choice is kept on the profile (pages and mails), not only in the cookie. */
export async function setLocale(deps: Pick<Deps, "db">, actor: Actor, raw: z.input<typeof setLocaleInput>) {
  const { locale } = setLocaleInput.parse(raw);
  await deps.db.user.update({ where: { id: actor.id }, data: { locale }, select: { id: true } });
  return { locale };
}

export const changePasswordInput = z
  .strictObject({
    current: z.string().min(1, "PASSWORD_CURRENT_WRONG").max(PASSWORD_MAX, "PASSWORD_CURRENT_WRONG"),
    password: z.string().min(PASSWORD_MIN, "PASSWORD_TOO_SHORT").max(PASSWORD_MAX, "PASSWORD_TOO_LONG"),
    passwordConfirm: z.string().max(PASSWORD_MAX, "PASSWORD_TOO_LONG"),
  })
  .refine((v) => v.password === v.passwordConfirm, { message: "PASSWORD_MISMATCH", path: ["passwordConfirm"] })
  .refine((v) => v.password !== v.current, { message: "PASSWORD_SAME", path: ["password"] });
export type ChangePasswordInput = z.input<typeof changePasswordInput>;

/**
 * Changes the signed-in user's password, the current one required. A wrong current password counts
 * against the same budgets as a wrong login (POLICIES.loginAccount for the account, loginIp for the
 * client address): a stolen session cannot be used to guess the password faster than the login page
 * allows. Every session that began before now is ended (`sessionsValidAfter`), this one included:
 * the page signs in again with the new password, so only the person who changed it stays signed in.
 */
export async function changePassword(deps: Pick<Deps, "db" | "clock" | "rateLimits">, actor: Actor, raw: ChangePasswordInput, ip: string) {
  const input = changePasswordInput.parse(raw);
  const user = await deps.db.user.findUniqueOrThrow({ where: { id: actor.id }, select: { email: true, passwordHash: true } });
  if (!user.passwordHash) throw new AppError("PASSWORD_NOT_SET");
  const wrong = (o: { ok: boolean; error?: unknown }) => !o.ok && o.error instanceof AppError && o.error.code === "PASSWORD_CURRENT_WRONG";
  await limitFailures(
    [
      { limiter: deps.rateLimits.loginAccount, key: hashedKey(user.email), onSuccess: "reset" },
      { limiter: deps.rateLimits.loginIp, key: ip, onSuccess: "refund" },
    ],
    async () => {
      if (!(await verifyPassword(user.passwordHash, input.current))) throw new AppError("PASSWORD_CURRENT_WRONG");
    },
    wrong,
  );
  const passwordHash = await hashPassword(input.password);
  await deps.db.user.update({ where: { id: actor.id }, data: { passwordHash, sessionsValidAfter: deps.clock.now() }, select: { id: true } });
  return { email: user.email };
}
