import { ProfileForm } from "~/app/portal/perfil/ProfileForm";

/** Staff have the same profile as customers: language and time zone for their pages and mails, password. */
export default function AgentProfilePage() {
  return <ProfileForm home="/agent" />;
}
