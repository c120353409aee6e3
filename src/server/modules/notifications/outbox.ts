import type { Prisma } from "~/server/generated/prisma/client";
import type { RenderedEmail } from "./templates";

export type Tx = Prisma.TransactionClient;

export interface MailIdentity {
  fromAddress: string;
  team: string;
}

export function mailDomain(fromAddress: string): string {
  return fromAddress.split("@")[1] ?? "localhost";
}

/** Root Message-ID of a ticket's mail thread; every later mail refers to it so clients thread. */
export function threadMessageId(ticketId: string, fromAddress: string): string {
  return `<ticket-${ticketId}@${mailDomain(fromAddress)}>`;
}

/**
 * Writes the rendered mail in the same transaction as the change it reports (a transactional
 * outbox): if the process dies before the queue hears of it, the reconciler still finds it.
 * The dedupe key makes a repeated call a no-op.
 */
export type StagedEmail = RenderedEmail & {
  dedupeKey: string;
  kind: string;
  to: string;
  ticketId: string | null;
  messageId: string;
  replyTo?: string | null;
  fromName?: string | null;
};

export async function stageEmail(tx: Tx, mail: StagedEmail): Promise<string> {
  const row = await tx.outboundEmail.upsert({
    where: { dedupeKey: mail.dedupeKey },
    create: mail,
    update: {},
    select: { id: true },
  });
  return row.id;
}
