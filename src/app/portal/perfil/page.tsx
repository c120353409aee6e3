"use client";
import { useSearchParams } from "next/navigation";
import { Suspense, type FormEvent } from "react";
import { FormError } from "~/components/ui/FormError";
import { useI18n } from "~/i18n/react";
import { NAME_MAX } from "~/shared/enums";
import { api } from "~/trpc/react";

function Profile() {
  const { t } = useI18n();
  const welcome = useSearchParams().get("bienvenida") === "1";
  const utils = api.useUtils();
  const profile = api.user.profile.useQuery();
  const save = api.user.updateProfile.useMutation({ onSuccess: (p) => utils.user.profile.setData(undefined, p) });
  const fieldErrors = (save.error?.data as { fieldErrors?: Record<string, string[]> | null } | undefined)?.fieldErrors ?? {};

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    save.mutate({ name: String(new FormData(e.currentTarget).get("name") ?? "") });
  }

  return (
    <section className="card stack" style={{ maxWidth: 560 }}>
      <h1>{t("profile.title")}</h1>
      {welcome && <p>{t("profile.welcome")}</p>}
      {profile.data && (
        <form className="stack" onSubmit={onSubmit} noValidate>
          <p className="muted">
            {t("profile.email")}: {profile.data.email}
          </p>
          <div className="field">
            <label htmlFor="profile-name">{t("profile.name")}</label>
            <input
              id="profile-name"
              name="name"
              autoComplete="name"
              required
              maxLength={NAME_MAX}
              defaultValue={profile.data.name ?? ""}
              aria-invalid={!!fieldErrors.name}
              aria-describedby={fieldErrors.name ? "profile-name-error" : undefined}
            />
            {fieldErrors.name && (
              <span id="profile-name-error" className="error">
                {fieldErrors.name[0]}
              </span>
            )}
          </div>
          <FormError error={fieldErrors.name ? null : save.error} />
          {save.isSuccess && (
            <p role="status" className="muted">
              {t("profile.saved")}
            </p>
          )}
          <div>
            <button type="submit" disabled={save.isPending}>
              {save.isPending ? t("profile.saving") : t("profile.save")}
            </button>
          </div>
        </form>
      )}
      <FormError error={profile.error} />
      <p>
        <a href="/portal">{t("profile.home")}</a>
      </p>
    </section>
  );
}

/** The customer's profile; right after accepting the invitation (?bienvenida=1) it welcomes them. */
export default function ProfilePage() {
  return (
    <Suspense>
      <Profile />
    </Suspense>
  );
}
