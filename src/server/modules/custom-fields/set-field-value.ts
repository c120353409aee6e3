import { z } from "zod";
import { AppError } from "~/server/errors";
import { isStaff } from "~/shared/enums";
import type { Actor } from "../actor";
import type { Deps } from "../deps";
import { findReadableTicket } from "../tickets/get-ticket";
import { expectedVersion, lockTicket } from "../tickets/version";
import { checkFieldValue, eventText, rawFieldValue } from "./field-value";
import { fieldsOfTicketWhere } from "./list-fields";

export const setFieldValueInput = z.strictObject({
  ticketId: z.string().min(1).max(64),
  fieldId: z.string().min(1).max(64),
  value: rawFieldValue,
  version: expectedVersion,
});
export type SetFieldValueInput = z.input<typeof setFieldValueInput>;

/**
 * An agent sets (or clears) one custom field of the ticket (its category's, or a common one). The value
 * is checked by the rules the new-ticket form uses; the change lands in "Movimientos" and moves the
 * ticket's version by hand, since the version trigger only watches the Ticket row and values live in
 * CustomFieldValue.
 */
export async function setCustomFieldValue(deps: Deps, actor: Actor, raw: SetFieldValueInput) {
  const input = setFieldValueInput.parse(raw);
  if (!isStaff(actor.role)) throw new AppError("FORBIDDEN");
  const found = await findReadableTicket(deps, actor, { id: input.ticketId });
  // Only a field the ticket carries (its category's or a common one): another category's is refused.
  const def = await deps.db.customFieldDefinition.findFirst({
    where: { id: input.fieldId, ...fieldsOfTicketWhere(found.categoryId) },
    select: { id: true, type: true, options: true, required: true, labelEs: true, labelEn: true },
  });
  if (!def) throw new AppError("CUSTOM_FIELD_NOT_FOUND");
  const field = actor.locale === "en" ? def.labelEn : def.labelEs;
  // The same rules as the new-ticket form (shared/custom-field-rules.ts); an agent is told the field cannot be emptied.
  const checked = checkFieldValue(def, input.value);
  if (!checked.ok) throw new AppError(checked.code === "CUSTOM_FIELD_INVALID" ? "CUSTOM_FIELD_INVALID" : "CUSTOM_FIELD_REQUIRED", { field });
  const value = checked.value;

  const now = deps.clock.now();
  const result = await deps.db.$transaction(async (tx) => {
    const { version } = await lockTicket(tx, found.id, input.version);
    const key = { ticketId_fieldId: { ticketId: found.id, fieldId: def.id } };
    const before = await tx.customFieldValue.findUnique({ where: key, select: { value: true } });
    const from = eventText(before?.value);
    const to = eventText(value);
    if (from === to) return { changed: false, version };
    if (value === null) await tx.customFieldValue.delete({ where: key });
    else await tx.customFieldValue.upsert({ where: key, create: { ticketId: found.id, fieldId: def.id, value }, update: { value } });
    const [bumped] = await tx.$queryRaw<Array<{ version: number }>>`UPDATE "Ticket" SET version = version + 1, "updatedAt" = ${now} WHERE id = ${found.id} RETURNING version`;
    await tx.ticketEvent.create({
      data: { ticketId: found.id, actorId: actor.id, type: "CUSTOM_FIELD_CHANGED", customFieldId: def.id, fromValue: from, toValue: to, createdAt: now },
    });
    return { changed: true, version: bumped!.version };
  });
  if (result.changed) await deps.bus.publish({ type: "ticket.updated", ticketId: found.id, number: found.number, requesterId: found.requesterId, emailIds: [] });
  return result;
}
