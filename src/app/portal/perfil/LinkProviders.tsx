"use client";
import { signIn } from "next-auth/react";
import { useSearchParams } from "next/navigation";
import { useI18n } from "~/i18n/react";
import { oauthErrorKey } from "~/app/login/oauth-errors";

const LABELS: Record<string, string> = { google: "Google", facebook: "Facebook" };

/** Links a provider to the signed-in user: the provider's sign-in, while this session proves the account. */
export function LinkProviders({ enabled, linked }: { enabled: Array<"google" | "facebook">; linked: string[] }) {
  const { t } = useI18n();
  const params = useSearchParams();
  const error = oauthErrorKey(params.get("error"));
  const justLinked = params.get("vinculada");
  return (
    <section className="card stack" style={{ maxWidth: 560, marginTop: "1rem" }} aria-labelledby="linked-sign-ins">
      <h2 id="linked-sign-ins">{t("oauth.linkedTitle")}</h2>
      <p className="muted">{t("oauth.linkedIntro")}</p>
      {error && (
        <p role="alert" className="error">
          {t(error)}
        </p>
      )}
      {justLinked && linked.includes(justLinked) && <p role="status">{t("oauth.linkedNow", { provider: LABELS[justLinked] ?? justLinked })}</p>}
      <ul className="stack" style={{ listStyle: "none", padding: 0 }}>
        {enabled.map((p) => (
          <li key={p}>
            {linked.includes(p) ? (
              <span>{t("oauth.isLinked", { provider: LABELS[p]! })}</span>
            ) : (
              <button type="button" className="secondary" onClick={() => void signIn(p, { callbackUrl: `/portal/perfil?vinculada=${p}` })}>
                {t("oauth.link", { provider: LABELS[p]! })}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
