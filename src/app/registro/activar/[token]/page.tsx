"use client";
import { signIn } from "next-auth/react";
import { useParams } from "next/navigation";
import { useState, type FormEvent } from "react";
import type { ErrorData } from "~/components/accounts/PasswordFields";
import { FormError } from "~/components/ui/FormError";
import { useHydrated } from "~/components/ui/useHydrated";
import { useI18n } from "~/i18n/react";
import { api } from "~/trpc/react";

const DEAD = ["SIGNUP_LINK_INVALID", "SIGNUP_LINK_EXPIRED", "SIGNUP_LINK_USED", "SIGNUP_ACCOUNT_EXISTS", "SIGNUP_DISABLED"];
const STATUS_CODE = { invalid: "SIGNUP_LINK_INVALID", expired: "SIGNUP_LINK_EXPIRED", used: "SIGNUP_LINK_USED" } as const;

function DeadLink({ message }: { message: string }) {
  const { t } = useI18n();
  return (
    <>
      <FormError error={{ message }} />
      <p>
        <a href="/login">{t("accounts.verify.login")}</a>
      </p>
    </>
  );
}

/**
 * The activation link from the sign-up mail. It asks for the password chosen at sign-up, so only
 * the person who registered, holding the mailbox too, opens the account (not a link scanner, not
 * the address's owner on someone else's behalf); then it signs them in.
 */
export default function ActivateSignupPage() {
  const { t } = useI18n();
  const hydrated = useHydrated();
  const token = useParams<{ token: string }>().token;
  const info = api.account.signupStatus.useQuery({ token }, { retry: false, staleTime: Infinity });
  const activate = api.account.activateSignup.useMutation();
  const [signingIn, setSigningIn] = useState(false);
  const errorData = activate.error?.data as ErrorData;
  const fieldErrors = errorData?.fieldErrors ?? {};

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const password = String(new FormData(e.currentTarget).get("password") ?? "");
    const result = await activate.mutateAsync({ token, password }).catch(() => null);
    if (!result) return;
    setSigningIn(true);
    const res = await signIn("credentials", { email: result.email, password, redirect: false });
    window.location.assign(res && !res.error ? "/" : "/login");
  }

  let content;
  if (info.isPending) content = <p className="muted">{t("accounts.verify.loading")}</p>;
  else if (info.isError) content = <DeadLink message={info.error.message} />;
  else if (info.data.status !== "valid") content = <DeadLink message={t(`errors.${STATUS_CODE[info.data.status]}`)} />;
  else if (errorData?.appCode && DEAD.includes(errorData.appCode)) content = <DeadLink message={activate.error!.message} />;
  else {
    const busy = activate.isPending || signingIn;
    content = (
      <>
        <p>{t("accounts.verify.intro", { email: info.data.email ?? "" })}</p>
        <form className="stack" onSubmit={onSubmit} noValidate>
          <input type="email" name="email" autoComplete="username" value={info.data.email ?? ""} readOnly hidden />
          <div className="field">
            <label htmlFor="activate-password">{t("accounts.verify.password")}</label>
            <input id="activate-password" name="password" type="password" autoComplete="current-password" required aria-invalid={!!fieldErrors.password} />
          </div>
          <FormError error={activate.error} />
          <div>
            <button type="submit" disabled={!hydrated || busy}>
              {busy ? t("accounts.verify.submitting") : t("accounts.verify.submit")}
            </button>
          </div>
        </form>
      </>
    );
  }

  return (
    <section className="card stack" style={{ maxWidth: 480, margin: "2rem auto" }}>
      <h1>{t("accounts.verify.title")}</h1>
      {content}
    </section>
  );
}
