"use client";
import { PasswordFields } from "~/components/accounts/PasswordFields";
import { signIn } from "next-auth/react";
import { useParams } from "next/navigation";
import { useState, type FormEvent } from "react";
import { FormError } from "~/components/ui/FormError";
import { useI18n } from "~/i18n/react";
import { api } from "~/trpc/react";

const DEAD_LINK_CODES = ["INVITATION_INVALID", "INVITATION_EXPIRED", "INVITATION_USED"];

type ErrorData = { fieldErrors?: Record<string, string[]> | null; appCode?: string | null } | undefined;

function DeadLink({ message }: { message: string }) {
  const { t } = useI18n();
  return (
    <>
      <FormError error={{ message }} />
      <p>
        <a href="/login">{t("invitation.login")}</a>
      </p>
    </>
  );
}

/** The link from the invitation mail: set a password (typed twice), sign in, and go on to the profile. */
export default function InvitationPage() {
  const { t } = useI18n();
  const token = useParams<{ token: string }>().token;
  const info = api.invitation.get.useQuery({ token }, { retry: false, staleTime: Infinity });
  const accept = api.invitation.accept.useMutation();
  const [signingIn, setSigningIn] = useState(false);
  const errorData = accept.error?.data as ErrorData;
  const fieldErrors = errorData?.fieldErrors ?? {};
  const deadLink = !!errorData?.appCode && DEAD_LINK_CODES.includes(errorData.appCode);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const password = String(f.get("password") ?? "");
    const result = await accept.mutateAsync({ token, password, passwordConfirm: String(f.get("passwordConfirm") ?? "") }).catch(() => null);
    if (!result) return;
    setSigningIn(true);
    const res = await signIn("credentials", { email: result.email, password, redirect: false });
    // The password is set either way; should the automatic sign-in fail, the login page still works.
    window.location.assign(res && !res.error ? (result.staff ? "/agent" : "/portal/perfil?bienvenida=1") : "/login");
  }

  let content;
  if (info.isPending) content = <p className="muted">{t("invitation.loading")}</p>;
  else if (info.isError) content = <DeadLink message={info.error.message} />;
  else if (info.data.status !== "valid") content = <DeadLink message={t(`invitation.${info.data.status}`)} />;
  else if (deadLink) content = <DeadLink message={accept.error!.message} />;
  else {
    const busy = accept.isPending || signingIn;
    content = (
      <>
        <p>{t("invitation.intro")}</p>
        <form className="stack" onSubmit={onSubmit} noValidate>
          <div className="field">
            <label htmlFor="inv-email">{t("invitation.email")}</label>
            <input id="inv-email" name="email" type="email" autoComplete="username" value={info.data.email ?? ""} readOnly />
          </div>
          <PasswordFields idPrefix="inv" labels={{ password: "invitation.password", confirm: "invitation.passwordConfirm", hint: "invitation.passwordHint" }} fieldErrors={fieldErrors} />
          <FormError error={fieldErrors.password || fieldErrors.passwordConfirm ? null : accept.error} />
          <div>
            <button type="submit" disabled={busy}>
              {busy ? t("invitation.submitting") : t("invitation.submit")}
            </button>
          </div>
        </form>
      </>
    );
  }

  return (
    <section className="card" style={{ maxWidth: 480, margin: "2rem auto" }}>
      <h1>{t("invitation.title")}</h1>
      {content}
    </section>
  );
}
