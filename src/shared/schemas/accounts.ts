import { LOCALES } from "~/i18n";
import { z } from "zod";

/** Requests whose answer says nothing about the address (reset, sign-up). */
export const accepted = z.object({ accepted: z.literal(true) });

/** account.resetStatus: the address only while the link is valid. */
export const resetLink = z.object({ status: z.enum(["valid", "used", "expired", "superseded", "invalid"]), email: z.string().nullable() });
export type ResetLink = z.infer<typeof resetLink>;

/** account.signupStatus: the address only while the link is valid. */
export const signupLink = z.object({ status: z.enum(["valid", "used", "expired", "invalid"]), email: z.string().nullable() });
export type SignupLink = z.infer<typeof signupLink>;

/** The address to sign in with. */
export const signInAs = z.object({ email: z.string() });

/** settings.get / settings.update (/admin/ajustes). */
export const appSettings = z.object({
  signupEnabled: z.boolean(),
  teamName: z.string(),
  senderName: z.string(),
  supportAddresses: z.array(z.string()),
  defaultLocale: z.enum(LOCALES),
  defaultTimeZone: z.string(),
});
export type AppSettingsOut = z.infer<typeof appSettings>;
