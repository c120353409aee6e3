// Who may call each tRPC procedure. The procedures open to anyone, to any signed-in user and to
// agents are listed here; every other procedure of the app router is for admins. Each procedure is
// called as every caller below its level, with an input that would not even validate: the refusal
// must come first (UNAUTHORIZED signed out, FORBIDDEN for a lesser role). A new procedure is an admin's
// until it is listed, and a listed one that lets a lesser caller through fails here.
import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { appRouter } from "~/server/api/root";
import { callerFor, makeUser, testDeps } from "../support/fixtures";

/** Anyone, signed in or not: sign-up, password reset, guests, the public knowledge base, evaluation links. */
const PUBLIC = new Set([
  "account.activateSignup",
  "account.requestPasswordReset",
  "account.resetPassword",
  "account.resetStatus",
  "account.signUp",
  "account.signupEnabled",
  "account.signupStatus",
  "evaluation.byToken",
  "evaluation.submit",
  "guest.create",
  "guest.draft",
  "guest.evaluate",
  "guest.holds",
  "guest.leave",
  "guest.lookup",
  "guest.remindIds",
  "guest.reply",
  "guest.ticket",
  "invitation.accept",
  "invitation.get",
  "kb.article",
  "kb.categories",
  "kb.category",
  "kb.home",
  "kb.recordView",
  "kb.search",
  "kb.suggest",
  "kb.vote",
  "settings.portalIntro",
  "ticket.categories",
  "user.me",
  "user.signInProviders",
]);

/** Any signed-in user, customers included (their own tickets, profile, bell and portal). */
const SIGNED_IN = new Set([
  "catalog.formFields",
  "catalog.searchProducts",
  "notification.list",
  "notification.markAllRead",
  "notification.markRead",
  "notification.unreadCount",
  "people.myOrganization",
  "portal.deflect",
  "portal.markViewed",
  "portal.myTickets",
  "portal.reopen",
  "portal.reopenState",
  "profile.changePassword",
  "profile.get",
  "profile.setLocale",
  "profile.similarOpenTickets",
  "profile.update",
  "ticket.create",
  "ticket.evaluate",
  "ticket.get",
  "ticket.list",
  "ticket.reply",
  "ticket.setStatus",
  "user.loginProviders",
  "user.profile",
  "user.updateProfile",
]);

/** Agents and admins: the queue, the ticket workspace, the knowledge-base editor, personal API tokens. */
const AGENTS = new Set([
  "apiToken.create",
  "apiToken.mine",
  "apiToken.revoke",
  "cannedReply.fill",
  "cannedReply.list",
  "kb.create",
  "kb.forEditing",
  "kb.preview",
  "kb.publish",
  "kb.remove",
  "kb.stats",
  "kb.update",
  "team.list",
  "ticket.assign",
  "ticket.bulkUpdate",
  "ticket.customFields",
  "ticket.merge",
  "ticket.queue",
  "ticket.queueCounts",
  "ticket.requestInfo",
  "ticket.resolve",
  "ticket.setCustomField",
  "ticket.updateDetails",
  "user.agents",
]);

const procedures = Object.keys(appRouter._def.procedures).sort();

async function call(api: unknown, path: string): Promise<string> {
  const fn = path.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], api) as (input?: unknown) => Promise<unknown>;
  try {
    await fn({ "not-an-input": true });
    return "answered";
  } catch (err) {
    return err instanceof TRPCError ? err.code : `threw ${(err as Error).message}`;
  }
}

describe("authorization of every procedure", () => {
  it("lists only procedures that exist", () => {
    for (const p of [...PUBLIC, ...SIGNED_IN, ...AGENTS]) expect(procedures, p).toContain(p);
  });

  it("refuses every caller below the procedure's level, before reading its input", async () => {
    const { deps } = testDeps();
    const [customer, agent] = await Promise.all([makeUser("CUSTOMER"), makeUser("AGENT")]);
    const callers = { anonymous: await callerFor(deps, null), customer: await callerFor(deps, customer.id), agent: await callerFor(deps, agent.id) };
    const wrong: string[] = [];
    let checked = 0;
    for (const p of procedures) {
      if (PUBLIC.has(p)) continue;
      const expected: Array<[keyof typeof callers, string]> = [["anonymous", "UNAUTHORIZED"]];
      if (!SIGNED_IN.has(p)) expected.push(["customer", "FORBIDDEN"]);
      if (!SIGNED_IN.has(p) && !AGENTS.has(p)) expected.push(["agent", "FORBIDDEN"]);
      for (const [who, code] of expected) {
        const got = await call(callers[who], p);
        checked++;
        if (got !== code) wrong.push(`${p} as ${who}: ${got}, expected ${code}`);
      }
    }
    expect(wrong).toEqual([]);
    // Every procedure that is not public was tried at least signed out.
    expect(checked).toBeGreaterThanOrEqual(procedures.length - PUBLIC.size);
  });
});
