"use client";
import { useParams } from "next/navigation";
import { type FormEvent } from "react";
import { PasswordFields, type ErrorData } from "~/components/accounts/PasswordFields";
import { FormError } from "~/components/ui/FormError";
import { useHydrated } from "~/components/ui/useHydrated";
import { useI18n } from "~/i18n/react";
import { api } from "~/trpc/react";

const DEAD = ["RESET_LINK_INVALID", "RESET_LINK_EXPIRED", "RESET_LINK_USED", "RESET_LINK_SUPERSEDED"];
const STATUS_CODE = { invalid: "RESET_LINK_INVALID", expired: "RESET_LINK_EXPIRED", used: "RESET_LINK_USED", superseded: "RESET_LINK_SUPERSEDED" } as const;

function DeadLink({ message }: { message: string }) {
  const { t } = useI18n();
  return (
    <>
      <FormError error={{ message }} />
      <p>
        <a href="/recuperar">{t("accounts.reset.again")}</a> · <a href="/login">{t("accounts.reset.login")}</a>
      </p>
    </>
  );
}

/** The link from the reset mail: a new password, typed twice; then every session ends and the login page says so. */
export default function ResetPasswordPage() {
  const { t } = useI18n();
  const hydrated = useHydrated();
  const token = useParams<{ token: string }>().token;
  const info = api.account.resetStatus.useQuery({ token }, { retry: false, staleTime: Infinity });
  const reset = api.account.resetPassword.useMutation();
  const errorData = reset.error?.data as ErrorData;
  const fieldErrors = errorData?.fieldErrors ?? {};

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const done = await reset.mutateAsync({ token, password: String(f.get("password") ?? ""), passwordConfirm: String(f.get("passwordConfirm") ?? "") }).catch(() => null);
    if (done) window.location.assign("/login?restablecida=1");
  }

  let content;
  if (info.isPending) content = <p className="muted">{t("accounts.reset.loading")}</p>;
  else if (info.isError) content = <DeadLink message={info.error.message} />;
  else if (info.data.status !== "valid") content = <DeadLink message={t(`errors.${STATUS_CODE[info.data.status]}`)} />;
  else if (errorData?.appCode && DEAD.includes(errorData.appCode)) content = <DeadLink message={reset.error!.message} />;
  else {
    const busy = reset.isPending || reset.isSuccess;
    content = (
      <>
        <p>{t("accounts.reset.intro")}</p>
        <form className="stack" onSubmit={onSubmit} noValidate>
          <div className="field">
            <label htmlFor="reset-email">{t("accounts.reset.email")}</label>
            <input id="reset-email" name="email" type="email" autoComplete="username" value={info.data.email ?? ""} readOnly />
          </div>
          <PasswordFields idPrefix="reset" labels={{ password: "accounts.reset.password", confirm: "accounts.reset.passwordConfirm", hint: "accounts.reset.passwordHint" }} fieldErrors={fieldErrors} />
          <FormError error={fieldErrors.password || fieldErrors.passwordConfirm ? null : reset.error} />
          <div>
            <button type="submit" disabled={!hydrated || busy}>
              {busy ? t("accounts.reset.submitting") : t("accounts.reset.submit")}
            </button>
          </div>
        </form>
      </>
    );
  }

  return (
    <section className="card stack" style={{ maxWidth: 480, margin: "2rem auto" }}>
      <h1>{t("accounts.reset.title")}</h1>
      {content}
    </section>
  );
}
