"use client";
import { useRouter } from "next/navigation";
import { LOCALE_COOKIE, LOCALES, isLocale } from "~/i18n";
import { useI18n } from "~/i18n/react";

export function LanguagePicker() {
  const { locale, t } = useI18n();
  const router = useRouter();
  return (
    <label className="inline">
      <span className="muted">{t("nav.language")}</span>
      <select
        value={locale}
        onChange={(e) => {
          if (!isLocale(e.target.value)) return;
          document.cookie = `${LOCALE_COOKIE}=${e.target.value}; path=/; max-age=31536000; samesite=lax`;
          router.refresh();
        }}
      >
        {LOCALES.map((l) => (
          <option key={l} value={l}>
            {l === "es" ? "Español" : "English"}
          </option>
        ))}
      </select>
    </label>
  );
}
