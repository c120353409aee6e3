"use client";
import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { useI18n } from "~/i18n/react";
import { oauthErrorKey } from "./oauth-errors";
import { GuestLinks } from "~/components/guest/GuestLinks";

/** What `authorize` throws when a login budget is used up (src/server/auth/credentials.ts). */
const RATE_LIMITED = /^RATE_LIMITED:(\d+)$/;

export function LoginForm({
  oauth,
  oauthError,
  signupEnabled = false,
  passwordReset = false,
}: {
  oauth: Array<"google" | "facebook">;
  oauthError?: string | undefined;
  /** An admin switched self sign-up on: the "Crear una cuenta" link shows. */
  signupEnabled?: boolean;
  /** Back from /restablecer: the new password is set and every session ended. */
  passwordReset?: boolean;
}) {
  const { t } = useI18n();
  // A refused Google/Facebook sign-in comes back here as ?error=<code> (page.tsx passes it on).
  const [error, setError] = useState<string | null>(() => {
    const key = oauthErrorKey(oauthError);
    return key && t(key);
  });
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    const res = await signIn("credentials", { email: String(form.get("email")), password: String(form.get("password")), redirect: false });
    if (!res || res.error) {
      setBusy(false);
      const limited = RATE_LIMITED.exec(res?.error ?? "");
      const minutes = limited ? Math.max(1, Math.ceil(Number(limited[1]) / 60)) : 0;
      if (res?.error === "ACCOUNT_DEACTIVATED") return setError(t("errors.ACCOUNT_DEACTIVATED"));
      setError(!limited ? t("login.invalid") : minutes === 1 ? t("errors.RATE_LIMITED_MINUTE") : t("errors.RATE_LIMITED", { minutes }));
      return;
    }
    // The home page sends each role to its own area.
    window.location.assign("/");
  }

  return (
    <section className="card" style={{ maxWidth: 420, margin: "2rem auto" }}>
      <h1>{t("login.title")}</h1>
      {passwordReset && !error && <p role="status">{t("accounts.resetDone")}</p>}
      <form className="stack" onSubmit={onSubmit} noValidate>
        <label>
          {t("login.email")}
          <input name="email" type="email" autoComplete="email" required />
        </label>
        <label>
          {t("login.password")}
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {t("login.submit")}
        </button>
      </form>
      <p className="login-links">
        <a href="/recuperar">{t("accounts.forgot")}</a>
        {signupEnabled && (
          <>
            {" · "}
            <a href="/registro">{t("accounts.signupLink")}</a>
          </>
        )}
      </p>
      <GuestLinks t={t} />
      {oauth.length > 0 && (
        <div className="stack" style={{ marginTop: "1rem" }}>
          <p className="muted">{t("login.or")}</p>
          {oauth.map((p) => (
            <button key={p} type="button" className="secondary" onClick={() => void signIn(p, { callbackUrl: "/" })}>
              {t(p === "google" ? "login.google" : "login.facebook")}
            </button>
          ))}
        </div>
      )}
    </section>
  );
}
