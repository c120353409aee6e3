"use client";
import { useState, type FormEvent } from "react";
import { PasswordFields, type ErrorData } from "~/components/accounts/PasswordFields";
import { FormError } from "~/components/ui/FormError";
import { useHydrated } from "~/components/ui/useHydrated";
import { useI18n } from "~/i18n/react";
import { NAME_MAX } from "~/shared/enums";
import { api } from "~/trpc/react";

/** Name, address and password; the account opens only from the link mailed to the address. */
export function SignupForm() {
  const { t } = useI18n();
  const hydrated = useHydrated();
  const signUp = api.account.signUp.useMutation();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const fieldErrors = (signUp.error?.data as ErrorData)?.fieldErrors ?? {};

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const email = String(f.get("email") ?? "");
    const ok = await signUp
      .mutateAsync({ name: String(f.get("name") ?? ""), email, password: String(f.get("password") ?? ""), passwordConfirm: String(f.get("passwordConfirm") ?? "") })
      .catch(() => null);
    if (ok) setSentTo(email.trim());
  }

  const field = (name: "name" | "email", type: string, autoComplete: string, label: string) => (
    <div className="field">
      <label htmlFor={`signup-${name}`}>{label}</label>
      <input
        id={`signup-${name}`}
        name={name}
        type={type}
        autoComplete={autoComplete}
        required
        maxLength={name === "name" ? NAME_MAX : 320}
        aria-invalid={!!fieldErrors[name]}
        aria-describedby={fieldErrors[name] ? `signup-${name}-error` : undefined}
      />
      {fieldErrors[name] && (
        <span id={`signup-${name}-error`} className="error">
          {fieldErrors[name][0]}
        </span>
      )}
    </div>
  );

  return (
    <section className="card stack" style={{ maxWidth: 480, margin: "2rem auto" }}>
      <h1>{t("accounts.signup.title")}</h1>
      {sentTo ? (
        <p role="status">{t("accounts.signup.sent", { email: sentTo })}</p>
      ) : (
        <>
          <p>{t("accounts.signup.intro")}</p>
          <form className="stack" onSubmit={onSubmit} noValidate>
            {field("name", "text", "name", t("accounts.signup.name"))}
            {field("email", "email", "email", t("accounts.signup.email"))}
            <PasswordFields idPrefix="signup" labels={{ password: "accounts.signup.password", confirm: "accounts.signup.passwordConfirm", hint: "accounts.signup.passwordHint" }} fieldErrors={fieldErrors} />
            <FormError error={Object.keys(fieldErrors).length ? null : signUp.error} />
            <div>
              <button type="submit" disabled={!hydrated || signUp.isPending}>
                {signUp.isPending ? t("accounts.signup.submitting") : t("accounts.signup.submit")}
              </button>
            </div>
          </form>
        </>
      )}
      <p>
        <a href="/login">{t("accounts.signup.haveAccount")}</a>
      </p>
    </section>
  );
}
