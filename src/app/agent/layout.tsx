import type { ReactNode } from "react";
import { NotificationBell } from "~/components/notifications/NotificationBell";
import { requireActor } from "~/server/auth/current-actor";

export default async function AgentLayout({ children }: { children: ReactNode }) {
  await requireActor("agent");
  return (
    <>
      <div className="agent-header">
        <NotificationBell />
      </div>
      {children}
    </>
  );
}
