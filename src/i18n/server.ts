import { cookies } from "next/headers";
import { LOCALE_COOKIE, resolveLocale, translator, type Locale } from "./index";
import { getCurrentActor } from "~/server/auth/current-actor";
import { liveSettingsNow } from "~/server/live-settings-now";

/** The page's language (see resolveLocale). */
export async function getRequestLocale(): Promise<Locale> {
  const chosen = (await cookies()).get(LOCALE_COOKIE)?.value;
  const [actor, live] = await Promise.all([getCurrentActor(), liveSettingsNow()]);
  return resolveLocale(chosen, actor?.locale, live?.site.defaultLocale);
}

export async function getServerT() {
  return translator(await getRequestLocale());
}
