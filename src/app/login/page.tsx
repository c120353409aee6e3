import { redirect } from "next/navigation";
import { getCurrentActor, homeFor } from "~/server/auth/current-actor";
import { serverApi } from "~/trpc/server";
import { LoginForm } from "./LoginForm";

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ error?: string | string[] }> }) {
  const actor = await getCurrentActor();
  if (actor) redirect(homeFor(actor));
  const { error } = await searchParams;
  return <LoginForm oauth={await (await serverApi()).user.signInProviders()} oauthError={typeof error === "string" ? error : undefined} />;
}
