import { redirect } from "next/navigation";
import { cache } from "react";
import type { Actor } from "~/server/modules/actor";
import { serverApi } from "~/trpc/server";
import { isStaff } from "~/shared/enums";

/** The signed-in user for server components, read once per request. */
export const getCurrentActor = cache(async (): Promise<Actor | null> => {
  // The same context (one session read) the page's own procedure calls use.
  return (await serverApi()).user.me();
});

export async function requireActor(area: "portal" | "agent" | "admin"): Promise<Actor> {
  const actor = await getCurrentActor();
  if (!actor) redirect("/login");
  if (area === "agent" && !isStaff(actor.role)) redirect("/portal");
  if (area === "admin" && actor.role !== "ADMIN") redirect(isStaff(actor.role) ? "/agent" : "/portal");
  return actor;
}

export function homeFor(actor: Actor): string {
  return isStaff(actor.role) ? "/agent" : "/portal";
}
