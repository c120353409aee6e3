"use client";
import { type FormEvent } from "react";
import { refetchAfterWrite, useSavedAction } from "~/components/admin/useSavedAction";
import { FormError } from "~/components/ui/FormError";
import { useHydrated } from "~/components/ui/useHydrated";
import { LOCALES, type Locale } from "~/i18n";
import { useI18n } from "~/i18n/react";
import { PORTAL_TEXT_MAX, PORTAL_TEXT_PAGES, type PortalTextPage } from "~/shared/portal-texts";
import { api } from "~/trpc/react";

/** Admin: the introductions of the portal's home page and new-ticket page, per language (Markdown). */
export default function PortalTextsPage() {
  const { t } = useI18n();
  const texts = api.settings.portalTexts.useQuery();
  return (
    <div className="stack" style={{ maxWidth: 860 }}>
      <h1>{t("siteSettings.portalTexts.title")}</h1>
      <p className="muted">{t("siteSettings.portalTexts.intro")}</p>
      <FormError error={texts.error} />
      {texts.data &&
        PORTAL_TEXT_PAGES.flatMap((page) => LOCALES.map((locale) => <TextForm key={`${page}:${locale}`} page={page} locale={locale} value={texts.data[page][locale]} />))}
    </div>
  );
}

function TextForm({ page, locale, value }: { page: PortalTextPage; locale: Locale; value: string }) {
  const { t } = useI18n();
  const hydrated = useHydrated();
  const utils = api.useUtils();
  const save = api.settings.updatePortalText.useMutation();
  const action = useSavedAction(t("siteSettings.portalTexts.saved"), refetchAfterWrite(utils.settings.portalTexts));
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const text = String(new FormData(e.currentTarget).get("text") ?? "");
    void action.run(() => save.mutateAsync({ page, locale, text }));
  }
  const label = t("siteSettings.portalTexts.label", { page: t(`siteSettings.portalTexts.pages.${page}`), language: t(`siteSettings.general.locales.${locale}`) });
  return (
    <form className="card stack" onSubmit={onSubmit} aria-label={label}>
      <label>
        {label}
        <textarea name="text" rows={5} maxLength={PORTAL_TEXT_MAX} defaultValue={value} />
      </label>
      {action.notice && (
        <p role="status" className="notice">
          {action.notice}
        </p>
      )}
      <FormError error={action.error} />
      <div>
        <button type="submit" disabled={!hydrated || save.isPending} >
          {save.isPending ? t("siteSettings.portalTexts.saving") : t("siteSettings.portalTexts.save")}
        </button>
      </div>
    </form>
  );
}
