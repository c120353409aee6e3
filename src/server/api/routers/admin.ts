import { z } from "zod";
import { testImapConnection, testImapConnectionInput } from "~/server/modules/mail/admin/imap-connection-test";
import {
  createImapMailbox,
  createImapMailboxInput,
  deleteImapMailbox,
  imapMailboxId,
  listImapMailboxes,
  updateImapMailbox,
  updateImapMailboxInput,
} from "~/server/modules/mail/admin/imap-mailboxes";
import { listInboundInput, listInboundMail, retryInboundMail } from "~/server/modules/mail/admin/review-inbound-mail";
import { dismissAdminAlert, dismissAlertInput, listMailLoops, releaseHeldEmail, releaseHeldInput } from "~/server/modules/notifications/held-mail";
import { listOutboundEmails } from "~/server/modules/notifications/list-outbound";
import * as out from "~/shared/schemas/admin";
import { adminProcedure, router } from "../trpc";

export const adminRouter = router({
  mailbox: adminProcedure
    .input(z.strictObject({ limit: z.number().int().min(1).max(200).default(50) }))
    .output(out.outboundEmails)
    .query(({ ctx, input }) => listOutboundEmails(ctx.deps, input.limit)),
  // Mail-loop windows (notifications/loop-guard.ts): the open alerts, the mail held, release it, dismiss an alert.
  mailLoops: adminProcedure.output(out.mailLoops).query(({ ctx }) => listMailLoops(ctx.deps)),
  releaseHeldEmail: adminProcedure.input(releaseHeldInput).mutation(({ ctx, input }) => releaseHeldEmail(ctx.deps, input.id)),
  dismissAlert: adminProcedure.input(dismissAlertInput).mutation(({ ctx, input }) => dismissAdminAlert(ctx.deps, input.id)),
  inbound: adminProcedure.input(listInboundInput).output(out.inboundMails).query(({ ctx, input }) => listInboundMail(ctx.deps, input)),
  retryInbound: adminProcedure
    .input(z.strictObject({ id: z.string().min(1).max(64) }))
    .mutation(({ ctx, input }) => retryInboundMail(ctx.deps, input.id)),

  // The provider mailboxes the workers poll (/admin/buzones-imap). Passwords go in, never out: hasPassword.
  imapMailboxes: adminProcedure.output(out.imapMailboxes).query(({ ctx }) => listImapMailboxes(ctx.deps)),
  createImapMailbox: adminProcedure
    .input(createImapMailboxInput)
    .output(out.imapMailbox)
    .mutation(({ ctx, input }) => createImapMailbox(ctx.deps, input)),
  /** An empty password keeps the stored one (not when the server or the username changes). */
  updateImapMailbox: adminProcedure
    .input(updateImapMailboxInput)
    .output(out.imapMailbox)
    .mutation(({ ctx, input }) => updateImapMailbox(ctx.deps, input)),
  setImapMailboxActive: adminProcedure
    .input(z.strictObject({ id: imapMailboxId, active: z.boolean() }))
    .mutation(({ ctx, input }) => updateImapMailbox(ctx.deps, input)),
  /** The mail already fetched stays (InboundMail.imapMailboxId becomes null). */
  deleteImapMailbox: adminProcedure.input(z.strictObject({ id: imapMailboxId })).mutation(({ ctx, input }) => deleteImapMailbox(ctx.deps, input.id)),
  /** Logs in and opens the folder read-only; a failed connection is a result ({ ok: false, message }), not an error. */
  testImapMailbox: adminProcedure
    .input(testImapConnectionInput)
    .output(out.imapConnectionTest)
    .mutation(({ ctx, input }) => testImapConnection(ctx.deps, input, { locale: ctx.locale })),
});
