import { describe, expect, it } from "vitest";
import { replyEffect } from "~/server/modules/tickets/reply-rule";

const now = new Date("2026-03-05T10:00:00Z");
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3600_000);
const customer = { staff: false };

describe("the reply rule (portal, agent console and mail alike)", () => {
  it("a customer's reply reopens a ticket waiting on them, or resolved within the window", () => {
    expect(replyEffect({ status: "WAITING_ON_CUSTOMER", resolvedAt: null }, customer, now, 72)).toEqual({ accepted: true, reopen: true });
    expect(replyEffect({ status: "RESOLVED", resolvedAt: hoursAgo(71) }, customer, now, 72)).toEqual({ accepted: true, reopen: true });
    expect(replyEffect({ status: "OPEN", resolvedAt: null }, customer, now, 72)).toEqual({ accepted: true, reopen: false });
  });

  it("past the window, or on a closed or rejected ticket, a customer's reply is not taken: it opens a follow-up", () => {
    expect(replyEffect({ status: "RESOLVED", resolvedAt: hoursAgo(73) }, customer, now, 72)).toEqual({ accepted: false, followUp: true });
    expect(replyEffect({ status: "CLOSED", resolvedAt: hoursAgo(1) }, customer, now, 72)).toEqual({ accepted: false, followUp: true });
    expect(replyEffect({ status: "REJECTED", resolvedAt: null }, customer, now, 72)).toEqual({ accepted: false, followUp: true });
  });

  it("staff may always write and never reopen by writing; auto-replies and unproven senders move nothing", () => {
    expect(replyEffect({ status: "CLOSED", resolvedAt: hoursAgo(500) }, { staff: true }, now, 72)).toEqual({ accepted: true, reopen: false });
    expect(replyEffect({ status: "WAITING_ON_CUSTOMER", resolvedAt: null }, { staff: true }, now, 72)).toEqual({ accepted: true, reopen: false });
    expect(replyEffect({ status: "RESOLVED", resolvedAt: hoursAgo(1) }, { staff: false, passive: true }, now, 72)).toEqual({ accepted: true, reopen: false });
  });
});
