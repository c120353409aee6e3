import { AppError } from "~/server/errors";
import type { Actor } from "../actor";
import type { Deps } from "../deps";
import { canReadSharedTicket, canSeeInternal } from "./access";

/** An attachment is readable exactly when its ticket (and, for internal notes, staff rights) allow it. */
export async function openAttachment(deps: Pick<Deps, "db" | "store">, actor: Actor, id: string, only?: { ticketId: string }) {
  const att = await deps.db.attachment.findUnique({
    where: { id },
    select: {
      filename: true,
      contentType: true,
      size: true,
      storageKey: true,
      ticketId: true,
      ticket: { select: { requesterId: true } },
      message: { select: { internal: true } },
    },
  });
  // A guest's cookie opens one ticket (guest/capability.ts): its files only, not the requester's others.
  if (!att || (only && att.ticketId !== only.ticketId) || !(await canReadSharedTicket(deps, actor, att.ticket)) || (att.message?.internal && !canSeeInternal(actor))) {
    throw new AppError("ATTACHMENT_NOT_FOUND");
  }
  return { filename: att.filename, contentType: att.contentType, size: att.size, stream: deps.store.read(att.storageKey) };
}
