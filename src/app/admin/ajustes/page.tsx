"use client";
import { type FormEvent } from "react";
import { FormError } from "~/components/ui/FormError";
import { useHydrated } from "~/components/ui/useHydrated";
import { useI18n } from "~/i18n/react";
import { api } from "~/trpc/react";

/** Settings an admin changes in the app. For now: whether customers may sign up by themselves. */
export default function SettingsPage() {
  const { t } = useI18n();
  const hydrated = useHydrated();
  const utils = api.useUtils();
  const settings = api.settings.get.useQuery();
  const save = api.settings.update.useMutation({ onSuccess: (s) => utils.settings.get.setData(undefined, s) });

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    save.mutate({ signupEnabled: new FormData(e.currentTarget).get("signupEnabled") === "on" });
  }

  return (
    <section className="card stack" style={{ maxWidth: 640 }}>
      <h1>{t("accounts.settings.title")}</h1>
      {settings.data && (
        <form className="stack" onSubmit={onSubmit} onChange={() => save.reset()}>
          <fieldset className="stack">
            <legend>{t("accounts.settings.signupTitle")}</legend>
            <label>
              <input type="checkbox" name="signupEnabled" defaultChecked={settings.data.signupEnabled} aria-describedby="settings-signup-hint" />{" "}
              {t("accounts.settings.signupLabel")}
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
