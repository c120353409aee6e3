import { z } from "zod";
import { checkFieldValues, rawFieldValue } from "~/shared/custom-field-rules";
import { sqlOf, type Sql } from "~/server/db/client";
import { isPgUniqueViolation } from "~/server/db/errors";
import { newId, sql, type SqlQuery } from "~/server/db/sql";
import { AppError } from "~/server/errors";
import { BODY_MAX, CHANNELS, PRIORITIES, SUBJECT_MAX, isStaff } from "~/shared/enums";
import { ATTACHMENTS_MAX_FILES } from "~/shared/attachments";
import type { Actor } from "../actor";
import { claimUploads } from "../attachments/staged-uploads";
import type { Deps } from "../deps";
import { listCategoryFormFields } from "../custom-fields/list-fields";
import { ticketCreatedEmail } from "../notifications/templates";
import { newTicketDueDates } from "../sla/ticket-sla";
import { scheduleSlaTimer } from "../sla/timers";
import { draftInvitation } from "../users/invitations";
import { textToHtml } from "./message-body";
import { mailContext, ticketEmailRow, type TicketForMail } from "./ticket-mail";
import { writeNewTicket, type EmailToStage, type Person } from "./ticket-writer";
import { newReplyToken, newTrackingId } from "./tracking-id";

export const createTicketInput = z.strictObject({
  subject: z.string().trim().min(1, "SUBJECT_REQUIRED").max(SUBJECT_MAX, "SUBJECT_TOO_LONG"),
  description: z.string().trim().min(1, "BODY_REQUIRED").max(BODY_MAX, "BODY_TOO_LONG"),
  priority: z.enum(PRIORITIES).default("MEDIUM"),
  categoryId: z.string().min(1).max(64).nullish(),
  /** The product the ticket is about, when its category asks for one. */
  productId: z.string().min(1).max(64).nullish(),
  /** The category's custom fields by field id (checked by shared/custom-field-rules.ts). */
  fields: z
    .record(z.string().min(1).max(64), rawFieldValue)
    .refine((r) => Object.keys(r).length <= 100)
    .default({}),
  /** Staff opening a ticket for a customer (phone): whose ticket it is. */
  requesterEmail: z.string().trim().toLowerCase().email().max(320).optional(),
  channel: z.enum(CHANNELS).optional(),
  /** Chosen by the client once per form; a retried submit returns the same ticket. */
  clientRequestId: z.string().min(8).max(64).optional(),
  /** The actor's staged uploads (POST /api/uploads) to attach to the first message. */
  attachmentIds: z.array(z.string().min(1).max(64)).max(ATTACHMENTS_MAX_FILES).optional(),
});
export type CreateTicketInput = z.input<typeof createTicketInput>;

export interface CreatedTicket {
  id: string;
  number: number;
  trackingId: string;
  created: boolean;
}

interface Prepared {
  /** The ticket this form already created (a retried submit), if any. */
  existing: { id: string; number: number; trackingId: string } | null;
  categoryOk: boolean;
  /** The requester's row; null when staff named an address nobody has yet. */
  requester: { id: string; email: string; name: string | null; locale: string; role: string } | null;
  /** The new ticket's number (none drawn for a retried submit). */
  number: string | null;
}

/** Everything a new ticket needs to know first, in one round trip. */
async function prepare(pool: Sql, requester: SqlQuery, clientRequestId: string | null, categoryId: string | null): Promise<Prepared> {
  const { rows } = await pool.query<Prepared>(sql`WITH r AS (${requester}),
    x AS (SELECT t.id, t.number, t."trackingId" FROM "Ticket" t, r WHERE t."requesterId" = r.id AND t."clientRequestId" = ${clientRequestId})
    SELECT (SELECT row_to_json(x) FROM x) AS existing,
      (${categoryId}::text IS NULL OR EXISTS (SELECT 1 FROM "Category" WHERE id = ${categoryId} AND active)) AS "categoryOk",
      (SELECT row_to_json(r) FROM r) AS requester,
      CASE WHEN NOT EXISTS (SELECT 1 FROM x) THEN nextval(pg_get_serial_sequence('"Ticket"', 'number')) END AS number`);
  return rows[0]!;
}

/**
 * The category's custom fields and product, checked by the rules the form applies in the browser.
 * Every refused field is reported at once, under `fields.<id>` like the form's other field errors
 * (a field of another category is refused too); nothing is written unless all hold.
 */
async function checkCatalog(deps: Deps, actor: Actor, input: z.infer<typeof createTicketInput>) {
  const categoryId = input.categoryId ?? null;
  const defs = categoryId ? await listCategoryFormFields(deps, categoryId) : [];
  const checked = checkFieldValues(defs, input.fields);
  const label = (id: string) => {
    const def = defs.find((d) => d.id === id);
    return def ? (actor.locale === "en" ? def.labelEn : def.labelEs) : id;
  };
  const issues: Array<{ path: string[]; code: string; field: string }> = Object.entries(checked.errors).map(([id, code]) => ({ path: ["fields", id], code, field: label(id) }));
  let productId: string | null = null;
  if (input.productId) {
    const product = await deps.db.product.findFirst({ where: { id: input.productId, active: true }, select: { id: true } });
    const usesProducts = categoryId ? (await deps.db.category.findUnique({ where: { id: categoryId }, select: { usesProducts: true } }))?.usesProducts : false;
    if (!product || !usesProducts) issues.push({ path: ["productId"], code: "PRODUCT_NOT_FOUND", field: "" });
    else productId = product.id;
  }
  if (issues.length) {
    // Thrown as zod's own error (a ZodError built by hand is no Error in zod 4), so the API reports them as field errors.
    z.any()
      .superRefine((_, ctx) => issues.forEach((i) => ctx.addIssue({ code: "custom", path: i.path, message: i.code, params: { field: i.field } })))
      .parse(null);
  }
  return { fieldValues: checked.values, productId };
}

const USER = sql`SELECT id, email, name, locale, role::text AS role FROM "User"`;

/**
 * A ticket from the portal (the customer's own) or the agent console (staff opening one for a
 * customer who called: `requesterEmail`, invited to the portal when first known here). Written by
 * the ticket writer in one statement; a retried submit (same clientRequestId) returns the same ticket.
 */
export async function createTicket(deps: Deps, actor: Actor, raw: CreateTicketInput): Promise<CreatedTicket> {
  const input = createTicketInput.parse(raw);
  if (input.requesterEmail && !isStaff(actor.role)) throw new AppError("FORBIDDEN");
  const pool = sqlOf(deps.db);
  const channel = isStaff(actor.role) ? (input.channel ?? (input.requesterEmail ? "PHONE" : "PORTAL")) : "PORTAL";
  const requesterQuery = input.requesterEmail ? sql`${USER} WHERE email = ${input.requesterEmail}` : sql`${USER} WHERE id = ${actor.id}`;
  const clientRequestId = input.clientRequestId ?? null;
  const found = await prepare(pool, requesterQuery, clientRequestId, input.categoryId ?? null);
  if (found.existing) return { ...found.existing, created: false };
  if (!found.categoryOk) throw new AppError("CATEGORY_NOT_FOUND");

  const newcomer = found.requester ? null : { email: input.requesterEmail!, name: null, locale: deps.mail.defaultLocale ?? "es" };
  const requester: Exclude<Person, null> = found.requester ? { known: found.requester.id } : { create: newcomer! };
  const ticket: TicketForMail = {
    id: newId(),
    number: Number(found.number),
    trackingId: newTrackingId(),
    replyToken: newReplyToken(),
    subject: input.subject,
    requester: found.requester ?? { ...newcomer!, role: "CUSTOMER" },
  };
  const emails: EmailToStage[] = [ticketEmailRow(deps, ticket, "ticket_created", ticket.id, ticketCreatedEmail(mailContext(deps, ticket)))];
  // A customer first known here is invited to the portal (kept only if this write created them).
  const invite = newcomer ? draftInvitation(deps, { id: "", ...newcomer }) : null;
  if (invite) emails.push({ ...invite.email, onlyForNewPerson: true });

  const { fieldValues, productId } = await checkCatalog(deps, actor, input);
  // After the retry check: a retried submit's uploads are already taken (by the ticket it returns).
  const files = await claimUploads(deps, actor.id, input.attachmentIds);
  const now = deps.clock.now();
  const due = await newTicketDueDates(deps, { categoryId: input.categoryId ?? null, channel }, now, input.priority);
  let written;
  try {
    written = await writeNewTicket(pool, {
      ticket: { ...ticket, priority: input.priority, channel, categoryId: input.categoryId, productId, clientRequestId, ...due },
      fieldValues,
      requester,
      openedBy: actor.id,
      message: { id: newId(), authorId: actor.id, internal: false, body: { bodyText: input.description, bodyHtml: textToHtml(input.description) } },
      attachments: files.attachments,
      emails,
      invitation: invite?.invitation ?? null,
      also: files.consume,
      now,
    });
  } catch (err) {
    // Two concurrent submits with one clientRequestId: the loser returns the winner's ticket.
    const winner = isPgUniqueViolation(err) && clientRequestId ? (await prepare(pool, requesterQuery, clientRequestId, null)).existing : null;
    if (winner) return { ...winner, created: false };
    // The same uploads taken by a concurrent message (an attachment's id is its upload's).
    if (isPgUniqueViolation(err) && files.attachments.length) throw new AppError("UPLOAD_NOT_FOUND");
    throw err;
  }
  await deps.bus.publish({ type: "ticket.created", ticketId: ticket.id, number: ticket.number, requesterId: written.personId!, emailIds: written.emailIds });
  await scheduleSlaTimer(deps, ticket.id);
  return { id: ticket.id, number: ticket.number, trackingId: ticket.trackingId, created: true };
}
