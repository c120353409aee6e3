import type { ReactNode } from "react";
import { requireActor } from "~/server/auth/current-actor";

export default async function AgentLayout({ children }: { children: ReactNode }) {
  await requireActor("agent");
  return children;
}
