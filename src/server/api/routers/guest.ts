import { z } from "zod";
import type { Context } from "../context";
import {
  cookieHeader,
  GUEST_ACCESS_MINUTES,
  GUEST_DRAFT_COOKIE,
  GUEST_DRAFT_HOURS,
  GUEST_TICKET_COOKIE,
  guestTicketToken,
  newGuestDraft,
  verifyGuestDraft,
  verifyGuestTicket,
} from "~/server/modules/guest/capability";
import { createGuestTicket, createGuestTicketInput } from "~/server/modules/guest/create-guest-ticket";
import { forgottenIdInput, requestTrackingReminder } from "~/server/modules/guest/forgotten-id";
import { evaluateAsGuest, getGuestTicket, guestEvaluateInput, guestReplyInput, replyAsGuest } from "~/server/modules/guest/guest-ticket";
import { guestLookupInput, lookupGuestTicket } from "~/server/modules/guest/lookup";
import * as evaluations from "~/shared/schemas/evaluations";
import * as out from "~/shared/schemas/guest";
import { ticketDetail } from "~/shared/schemas/tickets";
import { publicProcedure, router } from "../trpc";

// The guest pages (issue 15): no session. What a guest may touch is decided by two signed cookies
// (modules/guest/capability.ts): the draft key that owns their uploads, and, after a right tracking
// ID + address, access to that one ticket for GUEST_ACCESS_MINUTES. Every check of a secret and every
// write is rate limited (modules/security/rate-limit.ts, the guest* policies).

const secure = (ctx: Context) => ctx.deps.mail.publicUrl.startsWith("https:");

function grantTicket(ctx: Context, ticketId: string) {
  const { value } = guestTicketToken(ctx.deps, ticketId, ctx.deps.clock.now());
  ctx.setCookie(cookieHeader(GUEST_TICKET_COOKIE, value, { maxAgeSec: GUEST_ACCESS_MINUTES * 60, secure: secure(ctx) }));
}

const heldTicket = (ctx: Context) => verifyGuestTicket(ctx.deps, ctx.cookies[GUEST_TICKET_COOKIE], ctx.deps.clock.now());
const draftKey = (ctx: Context) => verifyGuestDraft(ctx.deps, ctx.cookies[GUEST_DRAFT_COOKIE]);

export const guestRouter = router({
  /** Called as a guest form opens: this browser's draft key (it owns the files the form uploads). */
  draft: publicProcedure.output(out.guestOk).mutation(({ ctx }) => {
    if (!draftKey(ctx)) {
      const { value } = newGuestDraft(ctx.deps);
      ctx.setCookie(cookieHeader(GUEST_DRAFT_COOKIE, value, { maxAgeSec: GUEST_DRAFT_HOURS * 3600, secure: secure(ctx) }));
    }
    return { ok: true as const };
  }),
  create: publicProcedure
    .input(createGuestTicketInput)
    .output(out.guestTicketCreated)
    .mutation(async ({ ctx, input }) => {
      const created = await createGuestTicket(ctx.deps, input, { limits: ctx.deps.rateLimits, ip: ctx.ip, locale: ctx.locale, draftKey: draftKey(ctx) });
      grantTicket(ctx, created.id);
      return { trackingId: created.trackingId, created: created.created };
    }),
  lookup: publicProcedure
    .input(guestLookupInput)
    .output(out.guestOk)
    .mutation(async ({ ctx, input }) => {
      const { ticketId } = await lookupGuestTicket(ctx.deps, input, { limits: ctx.deps.rateLimits, ip: ctx.ip });
      grantTicket(ctx, ticketId);
      return { ok: true as const };
    }),
  /** The ticket this browser holds, as its requester sees it in the portal; GUEST_ACCESS_EXPIRED without (or past) the cookie. */
  ticket: publicProcedure.output(ticketDetail).query(({ ctx }) => getGuestTicket(ctx.deps, heldTicket(ctx))),
  /** Whether this browser holds a ticket now (the tracking page shows the form otherwise). */
  holds: publicProcedure.output(z.boolean()).query(({ ctx }) => heldTicket(ctx) !== null),
  reply: publicProcedure
    .input(guestReplyInput)
    .output(out.guestReplyResult)
    .mutation(async ({ ctx, input }) => {
      const r = await replyAsGuest(ctx.deps, heldTicket(ctx), input, { limits: ctx.deps.rateLimits, ip: ctx.ip, draftKey: draftKey(ctx) });
      if (!r.followUp || !r.followUpTicketId) return { id: r.id, followUp: null };
      grantTicket(ctx, r.followUpTicketId);
      return { id: r.id, followUp: { number: r.followUp.number, trackingId: r.followUpTrackingId! } };
    }),
  evaluate: publicProcedure
    .input(guestEvaluateInput)
    .output(evaluations.evaluationView)
    .mutation(({ ctx, input }) => evaluateAsGuest(ctx.deps, heldTicket(ctx), input, { limits: ctx.deps.rateLimits, ip: ctx.ip, draftKey: draftKey(ctx) })),
  /** "Consultar otro ticket": the cookie goes. */
  leave: publicProcedure.output(out.guestOk).mutation(({ ctx }) => {
    ctx.setCookie(cookieHeader(GUEST_TICKET_COOKIE, "", { maxAgeSec: 0, secure: secure(ctx) }));
    return { ok: true as const };
  }),
  remindIds: publicProcedure
    .input(forgottenIdInput)
    .output(out.guestOk)
    .mutation(async ({ ctx, input }) => {
      const { done } = await requestTrackingReminder(ctx.deps, input, { limits: ctx.deps.rateLimits, ip: ctx.ip, locale: ctx.locale });
      done.catch((err: unknown) => ctx.log.error({ err }, "guest tracking-ID reminder failed after its answer"));
      return { ok: true as const };
    }),
});
