"use client";
import { useCallback, useEffect, useRef, useState } from "react";
import type { T } from "~/i18n";
import { ATTACHMENTS_MAX_BYTES, ATTACHMENTS_MAX_FILES, ATTACHMENTS_MAX_MB, type StagedUploadView } from "~/shared/attachments";

export interface PickedFile {
  key: string;
  name: string;
  size: number;
  /** Bytes sent so far, and the total the browser reports (the multipart body, a little over `size`). */
  loaded: number;
  total: number;
  status: "uploading" | "done" | "error";
  /** The staged upload, once the server stored it. */
  upload?: StagedUploadView;
  error?: string;
}

export interface AttachmentUploads {
  files: PickedFile[];
  /** A message for a whole batch refused in the browser (over the limit): nothing of it was sent. */
  batchError: string | null;
  /** The staged upload ids to send with the message. */
  ids: string[];
  /** Some file is still on its way: the message waits. */
  busy: boolean;
  add(files: File[]): void;
  remove(key: string): void;
  /** After the message is sent: the list empties. */
  clear(): void;
}


/**
 * The files a form attaches: each sent at once to POST /api/uploads (XMLHttpRequest, for its upload
 * progress), the message taking the staged ids. The 20 MB of a message are checked here before a
 * byte is sent, with the server's own message; the server checks again while streaming.
 */
export function useAttachmentUploads(t: T): AttachmentUploads {
  const [files, setFiles] = useState<PickedFile[]>([]);
  const [batchError, setBatchError] = useState<string | null>(null);
  const requests = useRef(new Map<string, XMLHttpRequest>());
  const filesRef = useRef(files);
  filesRef.current = files;

  useEffect(() => {
    const open = requests.current;
    return () => open.forEach((xhr) => xhr.abort());
  }, []);

  const update = useCallback((key: string, patch: Partial<PickedFile>) => {
    setFiles((list) => list.map((f) => (f.key === key ? { ...f, ...patch } : f)));
  }, []);

  const send = useCallback(
    (key: string, file: File) => {
      const xhr = new XMLHttpRequest();
      requests.current.set(key, xhr);
      xhr.open("POST", "/api/uploads");
      xhr.responseType = "json";
      xhr.upload.onprogress = (e) => update(key, { loaded: e.loaded, total: e.lengthComputable ? e.total : file.size });
      const done = () => requests.current.delete(key);
      xhr.onload = () => {
        done();
        const body = xhr.response as { uploads?: StagedUploadView[]; error?: { message: string } } | null;
        const upload = body?.uploads?.[0];
        if (xhr.status === 200 && upload) update(key, { status: "done", upload, loaded: file.size, total: file.size });
        else update(key, { status: "error", error: body?.error?.message ?? t("errors.UPLOAD_INVALID") });
      };
      xhr.onerror = () => {
        done();
        update(key, { status: "error", error: t("errors.UPLOAD_INVALID") });
      };
      const form = new FormData();
      form.append("file", file, file.name);
      xhr.send(form);
    },
    [t, update],
  );

  const add = useCallback(
    (picked: File[]) => {
      if (!picked.length) return;
      const kept = filesRef.current.filter((f) => f.status !== "error");
      const total = kept.reduce((sum, f) => sum + f.size, 0) + picked.reduce((sum, f) => sum + f.size, 0);
      if (total > ATTACHMENTS_MAX_BYTES) return setBatchError(t("errors.ATTACHMENTS_TOO_LARGE", { max: ATTACHMENTS_MAX_MB }));
      if (kept.length + picked.length > ATTACHMENTS_MAX_FILES) return setBatchError(t("errors.ATTACHMENTS_TOO_MANY", { max: ATTACHMENTS_MAX_FILES }));
      setBatchError(null);
      const added = picked.map((file) => ({ file, entry: { key: crypto.randomUUID(), name: file.name, size: file.size, loaded: 0, total: file.size, status: "uploading" as const } }));
      // Failed ones leave the list with the next batch: they hold no place in the message.
      setFiles([...kept, ...added.map((a) => a.entry)]);
      for (const a of added) send(a.entry.key, a.file);
    },
    [send, t],
  );

  const remove = useCallback((key: string) => {
    requests.current.get(key)?.abort();
    requests.current.delete(key);
    setFiles((list) => list.filter((f) => f.key !== key));
    setBatchError(null);
  }, []);

  const clear = useCallback(() => {
    requests.current.forEach((xhr) => xhr.abort());
    requests.current.clear();
    setFiles([]);
    setBatchError(null);
  }, []);

  return {
    files,
    batchError,
    ids: files.flatMap((f) => (f.status === "done" && f.upload ? [f.upload.id] : [])),
    busy: files.some((f) => f.status === "uploading"),
    add,
    remove,
    clear,
  };
}
