import { redirect } from "next/navigation";
import { getCurrentActor, homeFor } from "~/server/auth/current-actor";
import { getServerT } from "~/i18n/server";
import { serverApi } from "~/trpc/server";
import { SignupForm } from "./SignupForm";

/** Self sign-up when an admin has switched it on (/admin/ajustes); otherwise it says access is by invitation. */
export default async function SignupPage() {
  const actor = await getCurrentActor();
  if (actor) redirect(homeFor(actor));
  const enabled = await (await serverApi()).account.signupEnabled();
  if (enabled) return <SignupForm />;
  const t = await getServerT();
  return (
    <section className="card stack" style={{ maxWidth: 480, margin: "2rem auto" }}>
      <h1>{t("accounts.signup.title")}</h1>
      <p role="status">{t("accounts.signup.closed")}</p>
      <p>
        <a href="/login">{t("accounts.signup.haveAccount")}</a>
      </p>
    </section>
  );
}
