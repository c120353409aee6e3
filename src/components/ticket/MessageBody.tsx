"use client";
import { useRef, useState } from "react";
import { useI18n } from "~/i18n/react";

/**
 * The new text of a message, with the full original (quotes, signature, the mail's own HTML) one
 * click away. Remote images in mail stay unloaded until someone asks (no tracking pixels).
 */
export function MessageBody({ bodyHtml, fullHtml }: { bodyHtml: string; fullHtml: string | null }) {
  const { t } = useI18n();
  const [full, setFull] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const hasRemote = full && !!fullHtml?.includes("data-remote-src");
  return (
    <div className="stack">
      <div ref={ref} dangerouslySetInnerHTML={{ __html: full && fullHtml ? fullHtml : bodyHtml }} />
      {fullHtml && (
        <div className="row">
          <button type="button" className="secondary" aria-expanded={full} onClick={() => setFull((v) => !v)}>
            {full ? t("ticket.hideFull") : t("ticket.showFull")}
          </button>
          {hasRemote && (
            <button
              type="button"
              className="secondary"
              onClick={() =>
                ref.current?.querySelectorAll<HTMLImageElement>("img[data-remote-src]").forEach((img) => {
                  img.src = img.dataset.remoteSrc ?? "";
                })
              }
            >
              {t("ticket.showImages")}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
