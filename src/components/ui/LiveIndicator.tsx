"use client";
import { useI18n } from "~/i18n/react";
import { useConnectionState } from "~/realtime/hooks";

export function LiveIndicator() {
  const { t } = useI18n();
  const connected = useConnectionState();
  return (
    <span role="status" className={`live ${connected ? "on" : "off"}`}>
      {connected ? t("queue.live") : t("queue.offline")}
    </span>
  );
}
