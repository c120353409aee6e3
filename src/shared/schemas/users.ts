import { z } from "zod";
import { LOCALES } from "~/i18n";
import { OAUTH_PROVIDERS, ROLES } from "~/shared/enums";

/** user.me: who is signed in (null for nobody). */
export const me = z.object({ id: z.string(), role: z.enum(ROLES), locale: z.enum(LOCALES) }).nullable();
export type Me = z.infer<typeof me>;

/** user.profile and user.updateProfile. */
export const profile = z.object({ email: z.string(), name: z.string().nullable() });
export type Profile = z.infer<typeof profile>;

export const signInProviders = z.array(z.enum(OAUTH_PROVIDERS));

/** user.loginProviders: `linked` holds whatever providers the accounts table names. */
export const loginProviders = z.object({ enabled: z.array(z.enum(OAUTH_PROVIDERS)), linked: z.array(z.string()) });
export type LoginProviders = z.infer<typeof loginProviders>;
