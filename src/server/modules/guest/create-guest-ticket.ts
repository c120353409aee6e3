import { createHash } from "node:crypto";
import { z } from "zod";
import type { Locale } from "~/i18n";
import { sqlOf } from "~/server/db/client";
import { isPgUniqueViolation } from "~/server/db/errors";
import { newId, sql } from "~/server/db/sql";
import { AppError } from "~/server/errors";
import { ATTACHMENTS_MAX_FILES } from "~/shared/attachments";
import { BODY_MAX, NAME_MAX, SUBJECT_MAX } from "~/shared/enums";
import { emailSchema } from "../accounts/tokens";
import { claimUploads } from "../attachments/staged-uploads";
import type { Deps } from "../deps";
import { hashedKey, limitFailures, type RateLimits } from "../security/rate-limit";
import { newTicketDueDates } from "../sla/ticket-sla";
import { scheduleSlaTimer } from "../sla/timers";
import { textToHtml } from "../tickets/message-body";
import { mailContext, ticketEmailRow, type TicketForMail } from "../tickets/ticket-mail";
import { writeNewTicket, type Person } from "../tickets/ticket-writer";
import { newReplyToken, newTrackingId } from "../tickets/tracking-id";
import { COMPANY_MAX } from "../users/profile";
import { guestUploadOwner } from "./capability";
import { guestTicketCreatedEmail } from "./guest-mail";

/*
 * A ticket without an account (seed 001, "Nuevo Ticket"): Nombre*, Correo electrónico*,
 * Estudio/Empresa, Categoría*, Asunto*, Mensaje*. Its requester is the CUSTOMER row of the address,
 * found or created as mail intake does: whoever types an address can open a ticket in its name (as
 * anyone can send a mail from it) and nothing more — an existing person's name, company and
 * language are left alone, the confirmation (with the tracking ID) goes to the address, and reading
 * the ticket later takes the ID plus the address (lookup.ts). The answer is the same whether the
 * address was known or not.
 */

export const createGuestTicketInput = z.strictObject({
  name: z.string().trim().min(1, "NAME_REQUIRED").max(NAME_MAX, "NAME_TOO_LONG"),
  email: emailSchema,
  company: z.string().trim().max(COMPANY_MAX, "COMPANY_TOO_LONG").optional(),
  categoryId: z.string().min(1, "CATEGORY_REQUIRED").max(64),
  subject: z.string().trim().min(1, "SUBJECT_REQUIRED").max(SUBJECT_MAX, "SUBJECT_TOO_LONG"),
  description: z.string().trim().min(1, "BODY_REQUIRED").max(BODY_MAX, "BODY_TOO_LONG"),
  /** Chosen by the form once: a retried submit returns the same ticket. */
  clientRequestId: z.string().min(8).max(64),
  /** Files staged by this browser's guest draft (POST /api/uploads). */
  attachmentIds: z.array(z.string().min(1).max(64)).max(ATTACHMENTS_MAX_FILES).optional(),
});
export type CreateGuestTicketInput = z.input<typeof createGuestTicketInput>;

/** Who sends the form: the client address (rate limits), the page's language, the draft cookie's key. */
export interface GuestCaller {
  limits: Pick<RateLimits, "guestTicketIp" | "guestTicketAddress">;
  ip: string;
  locale: Locale;
  draftKey: string | null;
}

export interface GuestTicketCreated {
  id: string;
  trackingId: string;
  created: boolean;
}

interface Found {
  requester: { id: string; name: string | null; email: string; locale: string; role: string; accountHolder: boolean } | null;
  existing: { id: string; trackingId: string } | null;
  categoryOk: boolean;
  number: string | null;
}

/**
 * The retry key as stored: bound to the draft cookie, so a key seen elsewhere (or guessed) never
 * returns another browser's ticket for the same address.
 */
function retryKey(draftKey: string | null, clientRequestId: string): string {
  return `g-${createHash("sha256").update(`${draftKey ?? ""}\0${clientRequestId}`).digest("base64url")}`;
}

export async function createGuestTicket(deps: Deps, raw: CreateGuestTicketInput, caller: GuestCaller): Promise<GuestTicketCreated> {
  const input = createGuestTicketInput.parse(raw);
  // Every request counts, per client and per address: nobody floods a mailbox with confirmations.
  const keys = [
    { limiter: caller.limits.guestTicketIp, key: caller.ip, onSuccess: "keep" as const },
    { limiter: caller.limits.guestTicketAddress, key: hashedKey(input.email), onSuccess: "keep" as const },
  ];
  await limitFailures(keys, async () => undefined, () => true);

  const pool = sqlOf(deps.db);
  const clientRequestId = retryKey(caller.draftKey, input.clientRequestId);
  const { rows } = await pool.query<Found>(sql`WITH r AS (
      SELECT u.id, u.name, u.email, u.locale, u.role::text AS role,
        (u."passwordHash" IS NOT NULL OR u.role <> 'CUSTOMER' OR EXISTS (SELECT 1 FROM "Account" a WHERE a."userId" = u.id)) AS "accountHolder"
      FROM "User" u WHERE u.email = ${input.email}),
    x AS (SELECT t.id, t."trackingId" FROM "Ticket" t, r WHERE t."requesterId" = r.id AND t."clientRequestId" = ${clientRequestId})
    SELECT (SELECT row_to_json(r) FROM r) AS requester, (SELECT row_to_json(x) FROM x) AS existing,
      EXISTS (SELECT 1 FROM "Category" WHERE id = ${input.categoryId} AND active) AS "categoryOk",
      CASE WHEN NOT EXISTS (SELECT 1 FROM x) THEN nextval(pg_get_serial_sequence('"Ticket"', 'number')) END AS number`);
  const found = rows[0]!;
  if (found.existing) return { ...found.existing, created: false };
  if (!found.categoryOk) throw new AppError("CATEGORY_NOT_FOUND");

  const known = found.requester;
  const person: Exclude<Person, null> = known ? { known: known.id } : { create: { email: input.email, name: input.name, locale: caller.locale } };
  const ticket: TicketForMail = {
    id: newId(),
    number: Number(found.number),
    trackingId: newTrackingId(),
    replyToken: newReplyToken(),
    subject: input.subject,
    channel: "GUEST",
    // The confirmation is in the form's language; later mails in the person's (set below for a guest's own row).
    requester: { email: input.email, name: known && known.accountHolder ? known.name : input.name, locale: known?.accountHolder ? known.locale : caller.locale, role: known?.role ?? "CUSTOMER" },
  };
  const ctx = mailContext(deps, ticket);
  const email = ticketEmailRow(deps, ticket, "ticket_created", ticket.id, guestTicketCreatedEmail({ ...ctx, locale: caller.locale, requesterName: input.name }));

  const ids = input.attachmentIds ?? [];
  if (ids.length && !caller.draftKey) throw new AppError("UPLOAD_NOT_FOUND");
  const files = caller.draftKey ? await claimUploads(deps, guestUploadOwner(caller.draftKey), ids) : { attachments: [], consume: [] };
  const now = deps.clock.now();
  const due = await newTicketDueDates(deps, { categoryId: input.categoryId, channel: "GUEST" }, now, "MEDIUM");
  const body = input.description;
  let written;
  try {
    written = await writeNewTicket(pool, {
      ticket: { ...ticket, priority: "MEDIUM", channel: "GUEST", categoryId: input.categoryId, productId: null, clientRequestId, ...due },
      requester: person,
      openedBy: "person",
      message: { id: newId(), authorId: "person", internal: false, body: { bodyText: body, bodyHtml: textToHtml(body) } },
      attachments: files.attachments,
      emails: [email],
      also: files.consume,
      now,
    });
  } catch (err) {
    if (isPgUniqueViolation(err) && files.attachments.length) throw new AppError("UPLOAD_NOT_FOUND");
    throw err;
  }
  const personId = written.personId!;
  // A guest's own row (no password, no linked login, a customer) remembers the form's language for
  // its mails, and gets the name and company it lacked; an account holder's row is never changed here.
  if (written.personCreated || (known && !known.accountHolder)) {
    await pool.query(sql`UPDATE "User" SET locale = ${caller.locale}, name = COALESCE(name, ${input.name}), company = COALESCE(company, ${input.company || null}), "updatedAt" = ${now}
      WHERE id = ${personId} AND "passwordHash" IS NULL AND role = 'CUSTOMER' AND NOT EXISTS (SELECT 1 FROM "Account" a WHERE a."userId" = ${personId})`);
  }
  await deps.bus.publish({ type: "ticket.created", ticketId: ticket.id, number: ticket.number, requesterId: personId, emailIds: written.emailIds });
  await scheduleSlaTimer(deps, ticket.id);
  return { id: ticket.id, trackingId: ticket.trackingId, created: true };
}
