"use client";
import { useI18n } from "~/i18n/react";
import type { Typist } from "./useTicketPresence";

/** "Ana López está escribiendo una respuesta": said politely to screen readers, gone when she stops. */
export function TypingNotice({ typing }: { typing: Typist[] }) {
  const { t } = useI18n();
  return (
    <div role="status" aria-live="polite" className="typing-notice">
      {typing.map((x) => (
        <p key={x.user.id} className="muted">
          {t(x.kind === "note" ? "presence.typingNote" : "presence.typingReply", { name: x.user.name })}
        </p>
      ))}
    </div>
  );
}
