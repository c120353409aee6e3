import type { Deps } from "../deps";

/** The dev mailbox: every mail the app sent or tried to send, newest first. */
export function listOutboundEmails(deps: Pick<Deps, "db">, limit: number) {
  return deps.db.outboundEmail.findMany({
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: { id: true, kind: true, to: true, subject: true, text: true, status: true, attempts: true, lastError: true, heldReason: true, createdAt: true, sentAt: true, ticket: { select: { number: true } } },
  });
}
