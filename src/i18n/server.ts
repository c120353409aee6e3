import { cookies, headers } from "next/headers";
import { LOCALE_COOKIE, resolveLocale, translator, type Locale } from "./index";
import { getCurrentActor } from "~/server/auth/current-actor";

/** The page's language: the cookie set by the language picker, then the user's profile, then the browser. */
export async function getRequestLocale(): Promise<Locale> {
  const jar = await cookies();
  const chosen = jar.get(LOCALE_COOKIE)?.value;
  if (chosen) return resolveLocale(chosen, null);
  const actor = await getCurrentActor();
  if (actor) return actor.locale;
  return resolveLocale(null, (await headers()).get("accept-language"));
}

export async function getServerT() {
  return translator(await getRequestLocale());
}
