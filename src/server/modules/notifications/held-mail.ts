import { z } from "zod";
import { AppError } from "~/server/errors";
import type { Deps } from "../deps";
import { HELD_TICKET, MAIL_LOOP_ALERT } from "./loop-guard";
import type { RequeueEmail } from "./email-queue";

const rowId = z.string().min(1).max(64);
export const releaseHeldInput = z.strictObject({ id: rowId });
export const dismissAlertInput = z.strictObject({ id: rowId });

/** What a mail-loop alert says; the page words it (admin.loops.*) from these. */
export interface MailLoopParams {
  scope: "ticket" | "to";
  ticketId: string | null;
  number: number | null;
  to: string;
  max: number;
  minutes: number;
  /** Mails held under this alert so far. */
  held: number;
}

function loopParams(raw: unknown): MailLoopParams {
  const p = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
  const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : 0);
  return {
    scope: p.scope === "ticket" ? "ticket" : "to",
    ticketId: typeof p.ticketId === "string" ? p.ticketId : null,
    number: typeof p.number === "number" ? p.number : null,
    to: typeof p.to === "string" ? p.to : "",
    max: num(p.max),
    minutes: num(p.minutes),
    held: num(p.held),
  };
}

/** The open mail-loop alerts and the mail they hold back, newest first (/admin/mailbox). */
export async function listMailLoops(deps: Pick<Deps, "db">) {
  const [alerts, held] = await Promise.all([
    deps.db.adminAlert.findMany({
      where: { kind: MAIL_LOOP_ALERT, resolvedAt: null },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: 100,
      select: { id: true, createdAt: true, params: true },
    }),
    deps.db.outboundEmail.findMany({
      where: { status: "HELD" },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: 200,
      select: { id: true, kind: true, to: true, subject: true, heldReason: true, createdAt: true, ticket: { select: { number: true } } },
    }),
  ]);
  return {
    alerts: alerts.map((a) => ({ id: a.id, createdAt: a.createdAt, ...loopParams(a.params) })),
    held: held.map((m) => ({ ...m, scope: m.heldReason === HELD_TICKET ? ("ticket" as const) : ("to" as const) })),
  };
}

/**
 * Sends a HELD mail after all: QUEUED again (its `heldReason` stays, which tells the worker to skip the
 * windows for it) and enqueued. Only a HELD row changes, so two clicks release it once.
 */
export async function releaseHeldEmail(deps: Pick<Deps, "db">, requeue: RequeueEmail, id: string) {
  const { count } = await deps.db.outboundEmail.updateMany({ where: { id, status: "HELD" }, data: { status: "QUEUED", lastError: null } });
  if (count === 0) throw new AppError("EMAIL_NOT_HELD");
  // Should Redis be away, this fails with the row QUEUED: the outbox reconciler sends it once the
  // held job has expired from the queue (an hour at most).
  await requeue(id);
  return { released: true as const };
}

/**
 * Closes an alert. Its subject key is let go, so a later loop of the same ticket or address opens a
 * new alert; the mail still held stays listed until released.
 */
export async function dismissAdminAlert(deps: Pick<Deps, "db" | "clock">, id: string) {
  const { count } = await deps.db.adminAlert.updateMany({ where: { id, resolvedAt: null }, data: { resolvedAt: deps.clock.now(), dedupeKey: null } });
  return { dismissed: count > 0 };
}
