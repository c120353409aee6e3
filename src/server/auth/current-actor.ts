import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { env } from "~/env";
import { db } from "~/server/db/client";
import type { Actor } from "~/server/modules/actor";
import { isStaff } from "~/shared/enums";
import { readSession } from "./session";

/** The signed-in user for server components, read once per request. */
export const getCurrentActor = cache(async (): Promise<Actor | null> => {
  const jar = await cookies();
  const header = jar
    .getAll()
    .map((c) => `${c.name}=${encodeURIComponent(c.value)}`)
    .join("; ");
  return (await readSession(db, header, env.NEXTAUTH_SECRET)).actor;
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
