import type { ReactNode } from "react";
import { requireActor } from "~/server/auth/current-actor";

export default async function PortalLayout({ children }: { children: ReactNode }) {
  await requireActor("portal");
  return children;
}
