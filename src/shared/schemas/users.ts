import { z } from "zod";
import { LOCALES } from "~/i18n";
import { OAUTH_PROVIDERS, ROLES } from "~/shared/enums";

/** user.me: who is signed in (null for nobody). */
export const me = z.object({ id: z.string(), role: z.enum(ROLES), locale: z.enum(LOCALES), timeZone: z.string().nullish() }).nullable();
export type Me = z.infer<typeof me>;

/** user.profile, user.updateProfile and profile.*: the signed-in user's own profile. */
export const profile = z.object({
  email: z.string(),
  name: z.string().nullable(),
  company: z.string().nullable(),
  phone: z.string().nullable(),
  locale: z.enum(LOCALES),
  timeZone: z.string().nullable(),
  mailStatusChanges: z.boolean(),
  hasPassword: z.boolean(),
});
export type Profile = z.infer<typeof profile>;

export const signInProviders = z.array(z.enum(OAUTH_PROVIDERS));

/** user.loginProviders: `linked` holds whatever providers the accounts table names. */
export const loginProviders = z.object({ enabled: z.array(z.enum(OAUTH_PROVIDERS)), linked: z.array(z.string()) });
export type LoginProviders = z.infer<typeof loginProviders>;

/** profile.similarOpenTickets: the customer's open tickets like the subject being typed, most alike first. */
export const similarTickets = z.array(z.object({ number: z.number(), subject: z.string() }));
