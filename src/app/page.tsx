import { redirect } from "next/navigation";
import { getCurrentActor, homeFor } from "~/server/auth/current-actor";

export default async function Home() {
  const actor = await getCurrentActor();
  redirect(actor ? homeFor(actor) : "/login");
}
