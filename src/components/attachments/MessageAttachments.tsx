"use client";
import { useI18n } from "~/i18n/react";
import { isPreviewImage } from "~/shared/attachments";
import { formatSize } from "./format-size";

export interface ThreadAttachment {
  id: string;
  filename: string;
  contentType: string;
  size: number;
}

/**
 * A message's files in the thread: images (by their stored type: sniffed for web uploads) as
 * thumbnails linking to the file, the rest as download links with their size. Served by
 * /api/attachments/<id>, which shows a file in place only when its bytes are what it claims.
 */
export function MessageAttachments({ attachments }: { attachments: ThreadAttachment[] }) {
  const { t, locale } = useI18n();
  if (!attachments.length) return null;
  return (
    <ul aria-label={t("ticket.attachments")} className="thread-attachments">
      {attachments.map((a) => {
        const url = `/api/attachments/${a.id}`;
        return (
          <li key={a.id}>
            {isPreviewImage(a.contentType) && (
              <a href={url} target="_blank" rel="noopener" aria-label={t("attachments.preview", { name: a.filename })}>
                <img src={url} alt={a.filename} loading="lazy" />
              </a>
            )}
            <span>
              <a href={url} download={a.filename} aria-label={t("attachments.download", { name: a.filename })}>
                {a.filename}
              </a>{" "}
              <span className="muted">({formatSize(a.size, locale)})</span>
            </span>
          </li>
        );
      })}
    </ul>
  );
}
