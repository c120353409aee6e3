import type { ReactNode } from "react";
import { requireActor } from "~/server/auth/current-actor";

export default async function AdminLayout({ children }: { children: ReactNode }) {
  await requireActor("admin");
  return children;
}
