"use client";
import { useI18n } from "~/i18n/react";
import type { Viewer } from "~/shared/realtime";

/** The other agents who have this ticket open, as name chips. */
export function Presence({ viewers }: { viewers: Viewer[] }) {
  const { t } = useI18n();
  if (!viewers.length) return null;
  return (
    <div className="presence">
      <span className="muted" aria-hidden="true">
        {t("presence.viewing")}
      </span>
      <ul aria-label={t("presence.viewers")}>
        {viewers.map((v) => (
          <li key={v.id} className="badge" aria-label={t("presence.alsoViewing", { name: v.name })} title={t("presence.alsoViewing", { name: v.name })}>
            {v.name}
          </li>
        ))}
      </ul>
    </div>
  );
}
