"use client";
import { createContext, useContext, useMemo, type ReactNode } from "react";
import { translator, type Locale, type T } from "./index";

/** `timeZone`: the signed-in user's saved zone (profile), for every date shown; undefined: the browser's. */
const I18nContext = createContext<{ locale: Locale; t: T; timeZone?: string }>({ locale: "es", t: translator("es") });

export function I18nProvider({ locale, timeZone, children }: { locale: Locale; timeZone?: string | null; children: ReactNode }) {
  const value = useMemo(() => ({ locale, t: translator(locale), timeZone: timeZone ?? undefined }), [locale, timeZone]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n() {
  return useContext(I18nContext);
}
