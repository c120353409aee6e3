import { redirect } from "next/navigation";
import { getCurrentActor, homeFor } from "~/server/auth/current-actor";
import { enabledOAuthProviders } from "~/server/auth/options";
import { LoginForm } from "./LoginForm";

export default async function LoginPage() {
  const actor = await getCurrentActor();
  if (actor) redirect(homeFor(actor));
  return <LoginForm oauth={enabledOAuthProviders()} />;
}
