"use client";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useState, type FormEvent, type ReactNode } from "react";
import { FormError } from "~/components/ui/FormError";
import { useHydrated } from "~/components/ui/useHydrated";
import { LOCALE_COOKIE, LOCALES } from "~/i18n";
import { useI18n } from "~/i18n/react";
import { NAME_MAX, PASSWORD_MAX, PASSWORD_MIN } from "~/shared/enums";
import type { Profile } from "~/shared/schemas/users";
import { timeZones } from "~/shared/time-zones";
import { api } from "~/trpc/react";

type FieldErrors = Record<string, string[] | undefined>;
const fieldErrorsOf = (error: unknown): FieldErrors => (error as { data?: { fieldErrors?: FieldErrors | null } } | null)?.data?.fieldErrors ?? {};

/** A labelled field with its help and its error, tied together for screen readers. */
function Field({ id, label, help, error, children }: { id: string; label: string; help?: string; error?: string; children: (describedBy: string | undefined) => ReactNode }) {
  const describedBy = [help ? `${id}-help` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(describedBy)}
      {help && (
        <span id={`${id}-help`} className="muted">
          {help}
        </span>
      )}
      {error && (
        <span id={`${id}-error`} className="error">
          {error}
        </span>
      )}
    </div>
  );
}

function Details({ profile }: { profile: Profile }) {
  const { t, locale } = useI18n();
  const router = useRouter();
  const hydrated = useHydrated();
  const utils = api.useUtils();
  // Not saved yet: the browser's own zone is offered, and kept only once the person saves.
  const [browserZone, setBrowserZone] = useState<string | null>(null);
  useEffect(() => setBrowserZone(Intl.DateTimeFormat().resolvedOptions().timeZone), []);
  const zones = useMemo(() => [...timeZones()].sort(), []);
  const save = api.profile.update.useMutation({
    onSuccess: (p) => {
      utils.profile.get.setData(undefined, p);
      // The language is also the cookie the pages are rendered in; the zone is read by the layout.
      document.cookie = `${LOCALE_COOKIE}=${p.locale}; path=/; max-age=31536000; samesite=lax`;
      if (p.locale !== locale || p.timeZone !== profile.timeZone) router.refresh();
    },
  });
  const errors = fieldErrorsOf(save.error);
  const zone = profile.timeZone ?? browserZone ?? "";

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    save.mutate({
      name: String(f.get("name") ?? ""),
      company: String(f.get("company") ?? ""),
      phone: String(f.get("phone") ?? ""),
      locale: String(f.get("locale")) as (typeof LOCALES)[number],
      timeZone: String(f.get("timeZone") ?? ""),
      mailStatusChanges: f.get("mailStatusChanges") === "on",
    });
  }

  return (
    <form className="stack" onSubmit={onSubmit} noValidate>
      <p className="muted">
        {t("profile.email")}: {profile.email}
      </p>
      <div className="profile-grid">
        <Field id="profile-name" label={t("profile.name")} error={errors.name?.[0]}>
          {(d) => <input id="profile-name" name="name" autoComplete="name" required maxLength={NAME_MAX} defaultValue={profile.name ?? ""} aria-invalid={!!errors.name} aria-describedby={d} />}
        </Field>
        <Field id="profile-company" label={t("profile.company")} error={errors.company?.[0]}>
          {(d) => <input id="profile-company" name="company" autoComplete="organization" maxLength={120} defaultValue={profile.company ?? ""} aria-invalid={!!errors.company} aria-describedby={d} />}
        </Field>
        <Field id="profile-phone" label={t("profile.phone")} help={t("profile.phoneHelp")} error={errors.phone?.[0]}>
          {(d) => <input id="profile-phone" name="phone" type="tel" autoComplete="tel" maxLength={40} defaultValue={profile.phone ?? ""} aria-invalid={!!errors.phone} aria-describedby={d} />}
        </Field>
        <Field id="profile-locale" label={t("profile.language")} help={t("profile.languageHelp")} error={errors.locale?.[0]}>
          {(d) => (
            <select id="profile-locale" name="locale" defaultValue={profile.locale} aria-describedby={d}>
              {LOCALES.map((l) => (
                <option key={l} value={l}>
                  {l === "es" ? "Español" : "English"}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="profile-tz" label={t("profile.timeZone")} help={t("profile.timeZoneHelp")} error={errors.timeZone?.[0]}>
          {(d) =>
            // Keyed by the zone offered: the browser's arrives after the first render.
            zone ? (
              <select key={zone} id="profile-tz" name="timeZone" defaultValue={zone} aria-invalid={!!errors.timeZone} aria-describedby={d}>
                {!zones.includes(zone) && <option value={zone}>{zone}</option>}
                {zones.map((z) => (
                  <option key={z} value={z}>
                    {z.replaceAll("_", " ")}
                  </option>
                ))}
              </select>
            ) : (
              <select id="profile-tz" name="timeZone" disabled aria-describedby={d} />
            )
          }
        </Field>
      </div>
      <fieldset className="stack">
        <legend>{t("profile.mails")}</legend>
        <label className="inline">
          <input type="checkbox" name="mailStatusChanges" defaultChecked={profile.mailStatusChanges} /> {t("profile.mailStatusChanges")}
        </label>
        <p className="muted">{t("profile.mailRepliesAlways")}</p>
      </fieldset>
      <FormError error={Object.keys(errors).length ? null : save.error} />
      {save.isSuccess && (
        <p role="status" className="muted">
          {t("profile.saved")}
        </p>
      )}
      <div>
        <button type="submit" disabled={!hydrated || save.isPending}>
          {save.isPending ? t("profile.saving") : t("profile.save")}
        </button>
      </div>
    </form>
  );
}

function Password({ profile }: { profile: Profile }) {
  const { t } = useI18n();
  const hydrated = useHydrated();
  const [done, setDone] = useState(false);
  const change = api.profile.changePassword.useMutation();
  const errors = fieldErrorsOf(change.error);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const password = String(f.get("password") ?? "");
    setDone(false);
    const changed = await change.mutateAsync({ current: String(f.get("current") ?? ""), password, passwordConfirm: String(f.get("passwordConfirm") ?? "") }).catch(() => null);
    if (!changed) return;
    // Every session begun before the change is over, this one too: a fresh one, with the new password.
    await signIn("credentials", { email: changed.email, password, redirect: false });
    form.reset();
    setDone(true);
  }

  if (!profile.hasPassword) return <p className="muted">{t("profile.passwordNone")}</p>;
  return (
    <form className="stack" onSubmit={(e) => void onSubmit(e)} noValidate>
      <div className="profile-grid">
        <Field id="pw-current" label={t("profile.passwordCurrent")} error={errors.current?.[0]}>
          {(d) => <input id="pw-current" name="current" type="password" autoComplete="current-password" required maxLength={PASSWORD_MAX} aria-invalid={!!errors.current} aria-describedby={d} />}
        </Field>
        <Field id="pw-new" label={t("profile.passwordNew")} error={errors.password?.[0]}>
          {(d) => <input id="pw-new" name="password" type="password" autoComplete="new-password" required minLength={PASSWORD_MIN} maxLength={PASSWORD_MAX} aria-invalid={!!errors.password} aria-describedby={d} />}
        </Field>
        <Field id="pw-confirm" label={t("profile.passwordConfirm")} error={errors.passwordConfirm?.[0]}>
          {(d) => <input id="pw-confirm" name="passwordConfirm" type="password" autoComplete="new-password" required maxLength={PASSWORD_MAX} aria-invalid={!!errors.passwordConfirm} aria-describedby={d} />}
        </Field>
      </div>
      <FormError error={Object.keys(errors).length ? null : change.error} />
      {done && <p role="status">{t("profile.passwordChanged")}</p>}
      <div>
        <button type="submit" disabled={!hydrated || change.isPending}>
          {t("profile.passwordSubmit")}
        </button>
      </div>
    </form>
  );
}

/** The signed-in user's profile, for customers (/portal/perfil) and staff (/agent/perfil) alike. */
export function ProfileForm({ welcome = false, home }: { welcome?: boolean; home: string }) {
  const { t } = useI18n();
  const profile = api.profile.get.useQuery();
  return (
    <>
      <section className="card stack" style={{ maxWidth: 720 }} aria-labelledby="profile-title">
        <h1 id="profile-title">{t("profile.title")}</h1>
        {welcome && <p>{t("profile.welcome")}</p>}
        {profile.data && <Details profile={profile.data} />}
        <FormError error={profile.error} />
      </section>
      {profile.data && (
        <section className="card stack" style={{ maxWidth: 720, marginTop: "1rem" }} aria-labelledby="password-title">
          <h2 id="password-title">{t("profile.passwordTitle")}</h2>
          <Password profile={profile.data} />
        </section>
      )}
      <p>
        <a href={home}>{t("profile.home")}</a>
      </p>
    </>
  );
}
