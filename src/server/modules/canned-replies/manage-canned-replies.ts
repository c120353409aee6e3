import { z } from "zod";
import { AppError } from "~/server/errors";
import type { Prisma } from "~/server/generated/prisma/client";
import { CANNED_BODY_MAX, CANNED_LANGUAGES, CANNED_TITLE_MAX, unknownPlaceholders, type CannedLanguage } from "~/shared/canned-replies";
import { isStaff } from "~/shared/enums";
import type { Actor } from "../actor";
import type { Deps } from "../deps";

// Admins write the canned replies; agents only list them and insert them (fill-canned-reply.ts).
// Messages are error codes (src/i18n errors.*), answered in the admin's language by the API.

export const cannedReplyId = z.string().min(1).max(64);

const body = z
  .string()
  .trim()
  .min(1, "BODY_REQUIRED")
  .max(CANNED_BODY_MAX, "BODY_TOO_LONG")
  .superRefine((text, ctx) => {
    for (const placeholder of unknownPlaceholders(text)) ctx.addIssue({ code: "custom", message: "CANNED_PLACEHOLDER_UNKNOWN", params: { placeholder } });
  });

const fields = {
  title: z.string().trim().min(1, "TITLE_REQUIRED").max(CANNED_TITLE_MAX, "TITLE_TOO_LONG"),
  body,
  /** null: written for both languages. */
  language: z.enum(CANNED_LANGUAGES).nullable(),
  active: z.boolean(),
};

export const createCannedReplyInput = z.strictObject({ ...fields, language: fields.language.default(null), active: fields.active.default(true) });
export const updateCannedReplyInput = z.strictObject({
  id: cannedReplyId,
  title: fields.title.optional(),
  body: fields.body.optional(),
  language: fields.language.optional(),
  active: fields.active.optional(),
});
export const listCannedRepliesInput = z.strictObject({ q: z.string().trim().max(200).default("") }).default({ q: "" });

const view = {
  id: true,
  title: true,
  body: true,
  language: true,
  active: true,
  createdAt: true,
  updatedAt: true,
  createdBy: { select: { name: true, email: true } },
} satisfies Prisma.CannedReplySelect;

/** The column holds "es", "en" or NULL only (a CHECK constraint of the migration). */
const typed = <R extends { language: string | null }>(row: R) => ({ ...row, language: row.language as CannedLanguage | null });

function requireAdmin(actor: Actor) {
  if (actor.role !== "ADMIN") throw new AppError("FORBIDDEN");
}

/** Admins see every reply; agents only the active ones they may insert. `q` matches title or text. */
export async function listCannedReplies(deps: Pick<Deps, "db">, actor: Actor, raw?: z.input<typeof listCannedRepliesInput>) {
  if (!isStaff(actor.role)) throw new AppError("FORBIDDEN");
  const { q } = listCannedRepliesInput.parse(raw);
  const where: Prisma.CannedReplyWhereInput = {
    ...(actor.role === "ADMIN" ? {} : { active: true }),
    ...(q ? { OR: [{ title: { contains: q, mode: "insensitive" } }, { body: { contains: q, mode: "insensitive" } }] } : {}),
  };
  const rows = await deps.db.cannedReply.findMany({ where, select: view, orderBy: [{ title: "asc" }, { id: "asc" }], take: 200 });
  return rows.map(typed);
}

export async function createCannedReply(deps: Pick<Deps, "db">, actor: Actor, raw: z.input<typeof createCannedReplyInput>) {
  requireAdmin(actor);
  const input = createCannedReplyInput.parse(raw);
  return typed(await deps.db.cannedReply.create({ data: { ...input, createdById: actor.id }, select: view }));
}

export async function updateCannedReply(deps: Pick<Deps, "db">, actor: Actor, raw: z.input<typeof updateCannedReplyInput>) {
  requireAdmin(actor);
  const { id, ...data } = updateCannedReplyInput.parse(raw);
  const { count } = await deps.db.cannedReply.updateMany({ where: { id }, data });
  if (count === 0) throw new AppError("CANNED_REPLY_NOT_FOUND");
  return typed(await deps.db.cannedReply.findUniqueOrThrow({ where: { id }, select: view }));
}

export async function deleteCannedReply(deps: Pick<Deps, "db">, actor: Actor, rawId: string) {
  requireAdmin(actor);
  const id = cannedReplyId.parse(rawId);
  const { count } = await deps.db.cannedReply.deleteMany({ where: { id } });
  if (count === 0) throw new AppError("CANNED_REPLY_NOT_FOUND");
  return { id };
}
