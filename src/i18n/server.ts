import { cookies } from "next/headers";
import { LOCALE_COOKIE, resolveLocale, translator, type Locale } from "./index";
import { getCurrentActor } from "~/server/auth/current-actor";

/** The page's language (see resolveLocale). */
export async function getRequestLocale(): Promise<Locale> {
  const chosen = (await cookies()).get(LOCALE_COOKIE)?.value;
  return resolveLocale(chosen, (await getCurrentActor())?.locale);
}

export async function getServerT() {
  return translator(await getRequestLocale());
}
