import { redirect } from "next/navigation";
import { getCurrentActor, homeFor } from "~/server/auth/current-actor";
import { serverApi } from "~/trpc/server";
import { LoginForm } from "./LoginForm";

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ error?: string | string[]; restablecida?: string | string[] }> }) {
  const actor = await getCurrentActor();
  if (actor) redirect(homeFor(actor));
  const { error, restablecida } = await searchParams;
  const api = await serverApi();
  const [oauth, signupEnabled] = await Promise.all([api.user.signInProviders(), api.account.signupEnabled()]);
  return <LoginForm oauth={oauth} oauthError={typeof error === "string" ? error : undefined} signupEnabled={signupEnabled} passwordReset={restablecida === "1"} />;
}
