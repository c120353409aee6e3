import { ProfileForm } from "~/app/portal/perfil/ProfileForm";
import { getServerT } from "~/i18n/server";

/** Staff have the same profile as customers: language and time zone for their pages and mails, password. */
export default async function AgentProfilePage() {
  const t = await getServerT();
  return (
    <>
      <ProfileForm home="/agent" />
      {/* Their own tokens for the integration API (/api/v1). */}
      <p>
        <a href="/agent/tokens">{t("apiTokens.title")}</a>
      </p>
    </>
  );
}
