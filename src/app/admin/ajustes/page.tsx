"use client";
import { useMemo, type FormEvent } from "react";
import { FormError } from "~/components/ui/FormError";
import { useHydrated } from "~/components/ui/useHydrated";
import { LOCALES, type Locale } from "~/i18n";
import { useI18n } from "~/i18n/react";
import { timeZones } from "~/shared/time-zones";
import { api } from "~/trpc/react";

/** Settings an admin changes in the app: the team's identity and defaults, and whether customers may sign up by themselves. */
export default function SettingsPage() {
  const { t } = useI18n();
  const hydrated = useHydrated();
  const utils = api.useUtils();
  const settings = api.settings.get.useQuery();
  const save = api.settings.update.useMutation({ onSuccess: (s) => utils.settings.get.setData(undefined, s) });
  const zones = useMemo(() => [...timeZones()].sort(), []);

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    save.mutate({
      signupEnabled: f.get("signupEnabled") === "on",
      teamName: String(f.get("teamName") ?? ""),
      senderName: String(f.get("senderName") ?? ""),
      supportAddresses: String(f.get("supportAddresses") ?? "").split(/[\n,]/).map((a) => a.trim()).filter(Boolean),
      defaultLocale: String(f.get("defaultLocale")) as Locale,
      defaultTimeZone: String(f.get("defaultTimeZone") ?? ""),
    });
  }

  const s = settings.data;
  return (
    <section className="card stack" style={{ maxWidth: 720 }}>
      <h1>{t("accounts.settings.title")}</h1>
      {s && (
        // Keyed by the saved values, so the form shows them again after a save.
        <form key={JSON.stringify(s)} className="stack" onSubmit={onSubmit} onChange={() => save.reset()}>
          <fieldset className="stack">
            <legend>{t("siteSettings.general.title")}</legend>
            <label>
              {t("siteSettings.general.teamName")}
              <input name="teamName" defaultValue={s.teamName} maxLength={80} required aria-describedby="settings-team-hint" />
            </label>
            <span id="settings-team-hint" className="muted">
              {t("siteSettings.general.teamNameHelp")}
            </span>
            <label>
              {t("siteSettings.general.senderName")}
              <input name="senderName" defaultValue={s.senderName} maxLength={80} aria-describedby="settings-sender-hint" />
            </label>
            <span id="settings-sender-hint" className="muted">
              {t("siteSettings.general.senderNameHelp")}
            </span>
            <label>
              {t("siteSettings.general.supportAddresses")}
              <textarea name="supportAddresses" rows={3} defaultValue={s.supportAddresses.join("\n")} required aria-describedby="settings-addresses-hint" />
            </label>
            <span id="settings-addresses-hint" className="muted">
              {t("siteSettings.general.supportAddressesHelp")}
            </span>
            <label>
              {t("siteSettings.general.defaultLocale")}
              <select name="defaultLocale" defaultValue={s.defaultLocale} aria-describedby="settings-locale-hint">
                {LOCALES.map((l) => (
                  <option key={l} value={l}>
                    {t(`siteSettings.general.locales.${l}`)}
                  </option>
                ))}
              </select>
            </label>
            <span id="settings-locale-hint" className="muted">
              {t("siteSettings.general.defaultLocaleHelp")}
            </span>
            <label>
              {t("siteSettings.general.defaultTimeZone")}
              <select name="defaultTimeZone" defaultValue={s.defaultTimeZone} aria-describedby="settings-tz-hint">
                {(zones.includes(s.defaultTimeZone) ? zones : [s.defaultTimeZone, ...zones]).map((z) => (
                  <option key={z} value={z}>
                    {z}
                  </option>
                ))}
              </select>
            </label>
            <span id="settings-tz-hint" className="muted">
              {t("siteSettings.general.defaultTimeZoneHelp")}
            </span>
          </fieldset>
          <fieldset className="stack">
            <legend>{t("accounts.settings.signupTitle")}</legend>
            <label>
              <input type="checkbox" name="signupEnabled" defaultChecked={s.signupEnabled} aria-describedby="settings-signup-hint" /> {t("accounts.settings.signupLabel")}
            </label>
            <span id="settings-signup-hint" className="muted">
              {t("accounts.settings.signupHint")}
            </span>
          </fieldset>
          <FormError error={save.error} />
          {save.isSuccess && (
            <p role="status" className="muted">
              {t("accounts.settings.saved")}
            </p>
          )}
          <div>
            <button type="submit" disabled={!hydrated || save.isPending}>
              {save.isPending ? t("accounts.settings.saving") : t("accounts.settings.save")}
            </button>
          </div>
        </form>
      )}
      <FormError error={settings.error} />
    </section>
  );
}
