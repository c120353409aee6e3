import { Readable, Transform } from "node:stream";
import { AppError } from "~/server/errors";
import { isStaff } from "~/shared/enums";
import type { Actor } from "../actor";
import type { Deps } from "../deps";
import type { BlobStore } from "../storage/blob-store";

/** Raster formats only: SVG can carry script, so it is never accepted. */
export const KB_IMAGE_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"] as const;
export const KB_IMAGE_MAX_MB = 5;
export const KB_IMAGE_MAX_BYTES = KB_IMAGE_MAX_MB * 1024 * 1024;

export type KbImageDeps = Pick<Deps, "db" | "clock"> & { store: BlobStore };

export const kbImageUrl = (id: string) => `/api/kb/images/${id}`;

/** `image/png; charset=…` → `image/png`, or null when it is not one of the accepted types. */
export function kbImageType(contentType: string | undefined | null): (typeof KB_IMAGE_TYPES)[number] | null {
  const base = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  return (KB_IMAGE_TYPES as readonly string[]).includes(base) ? (base as (typeof KB_IMAGE_TYPES)[number]) : null;
}

/** A display name without path, control characters or Markdown brackets. */
export function cleanImageFilename(name: string | undefined | null): string {
  const base = (name ?? "").split(/[\\/]/).pop() ?? "";
  const clean = base.replace(/[\u0000-\u001f\u007f[\]]/g, "").trim().slice(0, 200);
  return clean || "imagen";
}

/** Passes bytes through, failing with IMAGE_TOO_LARGE as soon as more than `max` have gone by. */
function sizeLimit(max: number) {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length;
      if (seen > max) return cb(new AppError("IMAGE_TOO_LARGE", { max: KB_IMAGE_MAX_MB }));
      cb(null, chunk);
    },
  });
}

/** Stores an image for use in knowledge-base articles (staff only); returns the URL to put in the Markdown. */
export async function uploadKbImage(
  deps: KbImageDeps,
  actor: Actor,
  input: { filename?: string | null; contentType?: string | null; source: Readable | Buffer },
): Promise<{ id: string; url: string }> {
  if (!isStaff(actor.role)) throw new AppError("FORBIDDEN");
  const contentType = kbImageType(input.contentType);
  if (!contentType) throw new AppError("IMAGE_TYPE_UNSUPPORTED");
  if (Buffer.isBuffer(input.source) && input.source.length > KB_IMAGE_MAX_BYTES) throw new AppError("IMAGE_TOO_LARGE", { max: KB_IMAGE_MAX_MB });
  const source = Buffer.isBuffer(input.source) ? Readable.from([input.source]) : input.source;
  const limited = sizeLimit(KB_IMAGE_MAX_BYTES);
  // The limit sits in the pipeline, so an oversized upload stops (and its partial file goes) mid-stream.
  source.on("error", (err) => limited.destroy(err));
  const stored = await deps.store.put("kb-images", source.pipe(limited));
  if (stored.size === 0) {
    await deps.store.remove(stored.key);
    throw new AppError("VALIDATION");
  }
  try {
    const row = await deps.db.kbImage.create({
      data: {
        storageKey: stored.key,
        contentType,
        size: stored.size,
        sha256: stored.sha256,
        filename: cleanImageFilename(input.filename),
        uploaderId: actor.id,
        createdAt: deps.clock.now(),
      },
      select: { id: true },
    });
    return { id: row.id, url: kbImageUrl(row.id) };
  } catch (err) {
    await deps.store.remove(stored.key);
    throw err;
  }
}

/** An article image: public, like the published articles that show it. */
export async function openKbImage(deps: Pick<Deps, "db"> & { store: BlobStore }, id: string) {
  const img = await deps.db.kbImage.findUnique({ where: { id }, select: { filename: true, contentType: true, size: true, sha256: true, storageKey: true } });
  if (!img) throw new AppError("IMAGE_NOT_FOUND");
  return { filename: img.filename, contentType: img.contentType, size: img.size, sha256: img.sha256, stream: deps.store.read(img.storageKey) };
}
