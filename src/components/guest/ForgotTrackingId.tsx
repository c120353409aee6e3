"use client";
import { useState, type FormEvent } from "react";
import { FormError } from "~/components/ui/FormError";
import { useHydrated } from "~/components/ui/useHydrated";
import { useI18n } from "~/i18n/react";
import { GUEST_TRACKING_PATH } from "~/shared/guest-paths";
import { api } from "~/trpc/react";

/** "¿Olvidó su ID de seguimiento?": the same answer for every address, known or not. */
export function ForgotTrackingId() {
  const { t } = useI18n();
  const hydrated = useHydrated();
  const [sent, setSent] = useState(false);
  const request = api.guest.remindIds.useMutation({ onSuccess: () => setSent(true) });
  const emailError = (request.error?.data as { fieldErrors?: Record<string, string[]> | null } | undefined)?.fieldErrors?.email?.[0];

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    request.mutate({ email: String(data.get("email") ?? ""), includeClosed: data.get("includeClosed") === "on" });
  }

  return (
    <section className="card stack" style={{ maxWidth: 560 }}>
      <h1>{t("guest.forgot.title")}</h1>
      {sent ? (
        <p role="status">{t("guest.forgot.sent")}</p>
      ) : (
        <>
          <p>{t("guest.forgot.intro")}</p>
          <form className="stack" onSubmit={onSubmit} noValidate aria-label={t("guest.forgot.title")}>
            <div className="field">
              <label htmlFor="guest-forgot-email">{t("guest.forgot.email")}</label>
              <input
                id="guest-forgot-email"
                name="email"
                type="email"
                required
                autoComplete="email"
                maxLength={320}
                aria-invalid={!!emailError}
                aria-describedby={emailError ? "guest-forgot-email-error" : undefined}
              />
              {emailError && (
                <span id="guest-forgot-email-error" className="error">
                  {emailError}
                </span>
              )}
            </div>
            <label className="inline">
              <input type="checkbox" name="includeClosed" /> {t("guest.forgot.includeClosed")}
            </label>
            <FormError error={emailError ? null : request.error} />
            <div>
              <button type="submit" disabled={!hydrated || request.isPending}>
                {request.isPending ? t("guest.forgot.sending") : t("guest.forgot.submit")}
              </button>
            </div>
          </form>
        </>
      )}
      <p>
        <a href={GUEST_TRACKING_PATH}>{t("guest.links.tracking")}</a>
      </p>
    </section>
  );
}
