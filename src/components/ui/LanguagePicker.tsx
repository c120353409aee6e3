"use client";
import { useRouter } from "next/navigation";
import { LOCALE_COOKIE, LOCALES, isLocale } from "~/i18n";
import { useI18n } from "~/i18n/react";
import { api } from "~/trpc/react";

/** `signedIn`: the choice is saved on the profile too (pages and every mail), not only in the cookie. */
export function LanguagePicker({ signedIn = false }: { signedIn?: boolean }) {
  const { locale, t } = useI18n();
  const router = useRouter();
  const save = api.profile.setLocale.useMutation();
  return (
    <label className="inline">
      <span className="muted">{t("nav.language")}</span>
      <select
        value={locale}
        onChange={(e) => {
          const chosen = e.target.value;
          if (!isLocale(chosen)) return;
          document.cookie = `${LOCALE_COOKIE}=${chosen}; path=/; max-age=31536000; samesite=lax`;
          if (!signedIn) return router.refresh();
          void save
            .mutateAsync({ locale: chosen })
            .catch(() => null)
            .finally(() => router.refresh());
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
