// Attachments uploaded from the web: the limits the browser checks before sending and the server
// enforces while streaming (POST /api/uploads) and again when a message takes the files.

/** The files of one message together: portal and agent forms alike (the seeds ask for 20 MB). */
export const ATTACHMENTS_MAX_MB = 20;
export const ATTACHMENTS_MAX_BYTES = ATTACHMENTS_MAX_MB * 1024 * 1024;
/** Files one message may carry. */
export const ATTACHMENTS_MAX_FILES = 10;

/** Raster images the thread previews in place (never SVG: it can carry script). */
export const PREVIEW_IMAGE_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"] as const;

export function isPreviewImage(contentType: string): boolean {
  return (PREVIEW_IMAGE_TYPES as readonly string[]).includes(contentType.split(";")[0]!.trim().toLowerCase());
}

/** What POST /api/uploads answers per file. */
export interface StagedUploadView {
  id: string;
  filename: string;
  contentType: string;
  size: number;
}
