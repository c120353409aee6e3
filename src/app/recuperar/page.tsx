"use client";
import { useState, type FormEvent } from "react";
import { FormError } from "~/components/ui/FormError";
import { useHydrated } from "~/components/ui/useHydrated";
import type { ErrorData } from "~/components/accounts/PasswordFields";
import { useI18n } from "~/i18n/react";
import { api } from "~/trpc/react";

/** "¿Olvidó su contraseña?": the same answer for every address, known or not. */
export default function RecoverPage() {
  const { t } = useI18n();
  const hydrated = useHydrated();
  const request = api.account.requestPasswordReset.useMutation();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const fieldErrors = (request.error?.data as ErrorData)?.fieldErrors ?? {};

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const email = String(new FormData(e.currentTarget).get("email") ?? "");
    const ok = await request.mutateAsync({ email }).catch(() => null);
    if (ok) setSentTo(email.trim());
  }

  return (
    <section className="card stack" style={{ maxWidth: 480, margin: "2rem auto" }}>
      <h1>{t("accounts.recover.title")}</h1>
      {sentTo ? (
        <p role="status">{t("accounts.recover.sent", { email: sentTo })}</p>
      ) : (
        <>
          <p>{t("accounts.recover.intro")}</p>
          <form className="stack" onSubmit={onSubmit} noValidate>
            <div className="field">
              <label htmlFor="recover-email">{t("accounts.recover.email")}</label>
              <input
                id="recover-email"
                name="email"
                type="email"
                autoComplete="email"
                required
                aria-invalid={!!fieldErrors.email}
                aria-describedby={fieldErrors.email ? "recover-email-error" : undefined}
              />
              {fieldErrors.email && (
                <span id="recover-email-error" className="error">
                  {fieldErrors.email[0]}
                </span>
              )}
            </div>
            <FormError error={fieldErrors.email ? null : request.error} />
            <div>
              <button type="submit" disabled={!hydrated || request.isPending}>
                {request.isPending ? t("accounts.recover.submitting") : t("accounts.recover.submit")}
              </button>
            </div>
          </form>
        </>
      )}
      <p>
        <a href="/login">{t("accounts.recover.back")}</a>
      </p>
    </section>
  );
}
