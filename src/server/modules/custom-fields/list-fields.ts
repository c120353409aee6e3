import { z } from "zod";
import type { Prisma } from "~/server/generated/prisma/client";
import type { Actor } from "../actor";
import type { Deps } from "../deps";
import { findReadableTicket } from "../tickets/get-ticket";
import { optionsOf } from "./field-value";

const fieldSelect = {
  id: true, key: true, labelEs: true, labelEn: true, type: true, options: true, required: true, helpTextEs: true, helpTextEn: true,
} as const;

/**
 * Which fields a ticket carries: its category's own, and those made for every ticket (categoryId
 * null: the fields agents filled in before categories had their own). A field of another category
 * is none of them.
 */
export function fieldsOfTicketWhere(categoryId: string | null): Prisma.CustomFieldDefinitionWhereInput {
  return { active: true, OR: [{ categoryId: null }, ...(categoryId ? [{ categoryId }] : [])] };
}

async function listWhere(deps: Pick<Deps, "db">, where: Prisma.CustomFieldDefinitionWhereInput) {
  const rows = await deps.db.customFieldDefinition.findMany({
    where,
    // The category's own fields first (nulls last), each group in its order.
    orderBy: [{ categoryId: { sort: "asc", nulls: "last" } }, { position: "asc" }, { key: "asc" }],
    select: fieldSelect,
  });
  return rows.map((r) => ({ ...r, options: optionsOf(r.options) }));
}

export const listCustomFieldsInput = z.strictObject({ ticketId: z.string().min(1).max(64) }).optional();

/**
 * The active fields the agent's workspace offers to fill in: of one ticket (its category's and the
 * common ones), or without a ticket the common ones.
 */
export async function listCustomFields(deps: Deps, actor: Actor, input?: z.infer<typeof listCustomFieldsInput>) {
  const categoryId = input ? (await findReadableTicket(deps, actor, { id: input.ticketId })).categoryId : null;
  return listWhere(deps, fieldsOfTicketWhere(categoryId));
}

/** The fields the new-ticket form asks for once a category is chosen: that category's own, active, in order. */
export function listCategoryFormFields(deps: Pick<Deps, "db">, categoryId: string) {
  return listWhere(deps, { active: true, categoryId, category: { active: true } });
}
