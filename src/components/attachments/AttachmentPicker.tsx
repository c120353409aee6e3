"use client";
import { useId } from "react";
import { useDropzone } from "react-dropzone";
import { useI18n } from "~/i18n/react";
import { ATTACHMENTS_MAX_MB } from "~/shared/attachments";
import { formatSize } from "./format-size";
import type { AttachmentUploads } from "./useAttachmentUploads";

/**
 * Files for a message: dropped on the zone or chosen with "Adjuntar archivos", several at a time.
 * Each uploads at once with its own progress bar (labelled by its name) and a remove button; the
 * form sends `uploads.ids` and waits while `uploads.busy`.
 */
export function AttachmentPicker({ uploads, disabled = false }: { uploads: AttachmentUploads; disabled?: boolean }) {
  const { t, locale } = useI18n();
  const hintId = useId();
  const listId = useId();
  const { getRootProps, getInputProps, open, isDragActive } = useDropzone({
    onDrop: (accepted) => uploads.add(accepted),
    multiple: true,
    disabled,
    // The button opens the chooser; the zone only takes drops (a click anywhere would surprise).
    noClick: true,
    noKeyboard: true,
  });

  return (
    <div {...getRootProps({ className: `attachment-picker${isDragActive ? " drag-active" : ""}`, role: "group", "aria-label": t("attachments.listLabel"), "aria-describedby": hintId })}>
      {/* Reached through the button below: hidden from assistive technology so the control is not announced twice. */}
      <input {...getInputProps({ "aria-hidden": true })} />
      <div className="attachment-picker-head">
        <button type="button" className="secondary" onClick={open} disabled={disabled}>
          {t("attachments.add")}
        </button>
        <span id={hintId} className="muted">
          {isDragActive ? t("attachments.dropActive") : t("attachments.dropHint", { max: ATTACHMENTS_MAX_MB })}
        </span>
      </div>
      {uploads.batchError && (
        <p role="alert" className="error">
          {uploads.batchError}
        </p>
      )}
      {uploads.files.length > 0 && (
        <ul id={listId} className="attachment-list" aria-label={t("attachments.listLabel")}>
          {uploads.files.map((f) => {
            const nameId = `${listId}-${f.key}`;
            return (
              <li key={f.key} className={`attachment-item ${f.status}`}>
                <span id={nameId} className="attachment-name">
                  {f.name}
                </span>
                <span className="muted">{formatSize(f.size, locale)}</span>
                {f.status === "error" ? (
                  <span role="alert" className="error">
                    {t("attachments.failed")}: {f.error}
                  </span>
                ) : (
                  <>
                    <progress aria-labelledby={nameId} max={f.total || 1} value={f.status === "done" ? f.total || 1 : f.loaded} />
                    <span className="muted" aria-live="polite">
                      {f.status === "done" ? t("attachments.uploaded") : t("attachments.uploading")}
                    </span>
                  </>
                )}
                <button type="button" className="link" onClick={() => uploads.remove(f.key)} aria-label={t("attachments.remove", { name: f.name })}>
                  ✕
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

/** The reason a message cannot be sent yet (files still uploading), or null. */
export function uploadsPending(uploads: AttachmentUploads, t: ReturnType<typeof useI18n>["t"]): string | null {
  return uploads.busy ? t("attachments.waitForUploads") : null;
}
