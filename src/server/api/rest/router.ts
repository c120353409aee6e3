import { z } from "zod";
import { KB_LANGUAGES, getPublishedArticle } from "~/server/modules/kb/articles";
import { searchArticles, searchInput } from "~/server/modules/kb/search-articles";
import { listAllTokens } from "~/server/modules/api-tokens/manage-tokens";
import { getOrganization, getUser, listOrganizations, listOrganizationsInput, listUsers, listUsersInput } from "~/server/modules/directory/read-directory";
import { AppError } from "~/server/errors";
import { assignTicket, assignInput } from "~/server/modules/tickets/assign-ticket";
import { createTicket, createTicketInput } from "~/server/modules/tickets/create-ticket";
import { findReadableTicket, getTicket } from "~/server/modules/tickets/get-ticket";
import { listTickets, listTicketsInput } from "~/server/modules/tickets/list-tickets";
import { replyInput, replyToTicket } from "~/server/modules/tickets/reply-to-ticket";
import { setStatusInput, setTicketStatus } from "~/server/modules/tickets/set-status";
import { updateDetailsInput, updateTicketDetails } from "~/server/modules/tickets/update-details";
import { ROLES } from "~/shared/enums";
import { apiTokenList } from "~/shared/schemas/api-tokens";
import * as kbOut from "~/shared/schemas/kb";
import * as out from "~/shared/schemas/tickets";
import { adminReadProcedure, readProcedure, restRouter, writeProcedure } from "./trpc";

// The routes of /api/v1. Inputs are the use-cases' own schemas (picked, or with the ticket named by
// its number in the path); each route validates, then calls the use-case, which checks again and
// authorizes as the token's user. Numbers are fresh schemas here: the OpenAPI adapter makes query
// numbers coercible by changing the schema it is given, and must not change the app's.

const ticketNumber = () => z.number().int().positive().max(2_147_483_647).describe("The ticket's number (#1234).");
const limit = (max: number, fallback: number) => z.number().int().min(1).max(max).default(fallback).describe(`Items per page (1-${max}).`);
const cursor = z.string().min(1).max(64).optional().describe("`nextCursor` of the previous page.");

const ticketsQuery = listTicketsInput.pick({ status: true, priority: true, assignee: true, order: true }).extend({ cursor, limit: limit(100, 50) });

const replyBody = replyInput.pick({ body: true, internal: true, clientRequestId: true }).extend({ number: ticketNumber() });
const replyResult = z.object({
  id: z.string().describe("The message written."),
  followUp: z.object({ id: z.string(), number: z.number() }).optional().describe("The ticket took no more replies: the follow-up ticket this one opened."),
});

const ticketChange = z
  .strictObject({
    number: ticketNumber(),
    status: setStatusInput.shape.status.optional(),
    reason: setStatusInput.shape.reason,
    priority: updateDetailsInput.shape.priority,
    assigneeId: assignInput.shape.assigneeId,
    teamId: assignInput.shape.teamId,
    version: z.number().int().min(0).optional().describe("The ticket's `version` the change was made from: a ticket changed since is refused (409)."),
  })
  .describe("Only the fields given change; null clears the agent or the team.");

const userView = z.object({
  id: z.string(),
  name: z.string().nullable(),
  email: z.string(),
  role: z.enum(ROLES),
  locale: z.string(),
  company: z.string().nullable(),
  createdAt: z.date(),
  organization: z.object({ id: z.string(), name: z.string() }).nullable(),
});
const organizationView = z.object({ id: z.string(), name: z.string(), domain: z.string().nullable(), createdAt: z.date(), userCount: z.number().int() });
const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

const get = (path: `/${string}`, tags: string[], summary: string) => ({ openapi: { method: "GET" as const, path, tags, summary } });
const write = (method: "POST" | "PATCH", path: `/${string}`, tags: string[], summary: string, description?: string) => ({ openapi: { method, path, tags, summary, description } });

export const apiV1Router = restRouter({
  tickets: restRouter({
    list: readProcedure
      .meta(get("/tickets", ["tickets"], "List tickets: the token user's queue with filters, in pages"))
      .input(ticketsQuery)
      .output(out.ticketPage)
      .query(({ ctx, input }) => listTickets(ctx.deps, ctx.actor, input)),
    get: readProcedure
      .meta(get("/tickets/{number}", ["tickets"], "A ticket with its conversation and history"))
      .input(z.object({ number: ticketNumber() }))
      .output(out.ticketDetail)
      .query(({ ctx, input }) => getTicket(ctx.deps, ctx.actor, input.number)),
    create: writeProcedure
      .meta(
        write(
          "POST",
          "/tickets",
          ["tickets"],
          "Open a ticket",
          "As the token's user, or for a customer with `requesterEmail` (invited to the portal when new). Send an `Idempotency-Key` header: a retry with the same key and body returns the first answer and opens nothing.",
        ),
      )
      .input(createTicketInput.omit({ attachmentIds: true }))
      .output(out.createdTicket)
      .mutation(({ ctx, input }) => createTicket(ctx.deps, ctx.actor, input)),
    reply: writeProcedure
      .meta(write("POST", "/tickets/{number}/replies", ["tickets"], "Reply to a ticket, or add an internal note", "Accepts an `Idempotency-Key` header as ticket creation does."))
      .input(replyBody)
      .output(replyResult)
      .mutation(async ({ ctx, input }) => {
        const { number, ...reply } = input;
        const ticket = await findReadableTicket(ctx.deps, ctx.actor, { number });
        return replyToTicket(ctx.deps, ctx.actor, { ...reply, ticketId: ticket.id });
      }),
    update: writeProcedure
      .meta(write("PATCH", "/tickets/{number}", ["tickets"], "Change a ticket's status, priority, agent or team", "Answers the ticket as it is after the change."))
      .input(ticketChange)
      .output(out.ticketDetail)
      .mutation(async ({ ctx, input }) => {
        const { number, status, reason, priority, assigneeId, teamId } = input;
        if (status === undefined && priority === undefined && assigneeId === undefined && teamId === undefined) throw new AppError("API_CHANGE_REQUIRED");
        const ticket = await findReadableTicket(ctx.deps, ctx.actor, { number });
        // Each change names the version the previous one left, so only the first can meet a stale one.
        let version = input.version;
        if (priority !== undefined) version = (await updateTicketDetails(ctx.deps, ctx.actor, { ticketId: ticket.id, priority, version })).version;
        if (assigneeId !== undefined || teamId !== undefined) version = (await assignTicket(ctx.deps, ctx.actor, { ticketId: ticket.id, assigneeId, teamId, version })).version;
        if (status !== undefined && (status !== ticket.status || version !== undefined)) await setTicketStatus(ctx.deps, ctx.actor, { ticketId: ticket.id, status, reason, version });
        return getTicket(ctx.deps, ctx.actor, number);
      }),
  }),
  users: restRouter({
    list: readProcedure
      .meta(get("/users", ["users"], "List people: customers and staff"))
      .input(listUsersInput.pick({ role: true, organizationId: true, q: true }).extend({ cursor, limit: limit(100, 50) }))
      .output(pageOf(userView))
      .query(({ ctx, input }) => listUsers(ctx.deps, ctx.actor, input)),
    me: readProcedure
      .meta(get("/users/me", ["users"], "The token's user"))
      .input(z.object({}))
      .output(userView)
      .query(({ ctx }) => getUser(ctx.deps, ctx.actor, ctx.actor.id)),
    get: readProcedure
      .meta(get("/users/{id}", ["users"], "One person"))
      .input(z.object({ id: z.string().min(1).max(64) }))
      .output(userView)
      .query(({ ctx, input }) => getUser(ctx.deps, ctx.actor, input.id)),
  }),
  organizations: restRouter({
    list: readProcedure
      .meta(get("/organizations", ["organizations"], "List organizations"))
      .input(listOrganizationsInput.pick({ q: true }).extend({ cursor, limit: limit(100, 50) }))
      .output(pageOf(organizationView))
      .query(({ ctx, input }) => listOrganizations(ctx.deps, ctx.actor, input)),
    get: readProcedure
      .meta(get("/organizations/{id}", ["organizations"], "One organization"))
      .input(z.object({ id: z.string().min(1).max(64) }))
      .output(organizationView)
      .query(({ ctx, input }) => getOrganization(ctx.deps, ctx.actor, input.id)),
  }),
  kb: restRouter({
    search: readProcedure
      .meta(get("/kb/articles", ["knowledge-base"], "Search published articles"))
      .input(searchInput.pick({ q: true, language: true, categoryId: true, tag: true }).extend({ limit: limit(20, 10) }))
      .output(kbOut.searchHits)
      .query(({ ctx, input }) => searchArticles(ctx.deps, input)),
    article: readProcedure
      .meta(get("/kb/articles/{language}/{slug}", ["knowledge-base"], "A published article, rendered"))
      .input(z.object({ language: z.enum(KB_LANGUAGES), slug: z.string().min(1).max(80) }))
      .output(kbOut.publishedArticle)
      .query(({ ctx, input }) => getPublishedArticle(ctx.deps, input.language, input.slug)),
  }),
  tokens: restRouter({
    list: adminReadProcedure
      .meta(get("/tokens", ["admin"], "Every API token (admins only): names, owners, last use; never secrets"))
      .input(z.object({}))
      .output(apiTokenList)
      .query(({ ctx }) => listAllTokens(ctx.deps, ctx.actor)),
  }),
});
export type ApiV1Router = typeof apiV1Router;
