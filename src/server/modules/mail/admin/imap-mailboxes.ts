import { isIP } from "node:net";
import { z } from "zod";
import { AppError } from "~/server/errors";
import type { ImapMailbox } from "~/server/generated/prisma/client";
import type { Deps } from "../../deps";
import { sealSecret } from "./secret-box";

// The admin side of the IMAP mailboxes (the provider mailboxes the poller fetches from). The
// password is encrypted here, before it is stored (secret-box.ts), and never leaves the server
// again: what these functions return says only whether one is set.

const optionalFolder = z
  .string()
  .trim()
  .max(255, "IMAP_FIELD_TOO_LONG")
  .nullish()
  .transform((v) => v || null);

/** A DNS name (labels of letters, digits and hyphens) or an IP address: no scheme, no port, no spaces. */
const HOSTNAME = /^(?=.{1,253}\.?$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;
export const isValidImapHost = (host: string) => HOSTNAME.test(host) || isIP(host) !== 0;

// The messages are error codes (src/i18n errors.*): the API answers them in the admin's language.
const fields = {
  name: z.string().trim().min(1, "NAME_REQUIRED").max(200, "NAME_TOO_LONG"),
  host: z.string().trim().min(1, "IMAP_HOST_REQUIRED").max(255, "IMAP_FIELD_TOO_LONG").refine((h) => h === "" || isValidImapHost(h), "IMAP_HOST_INVALID"),
  port: z.number({ error: "IMAP_PORT_INVALID" }).int("IMAP_PORT_INVALID").min(1, "IMAP_PORT_INVALID").max(65535, "IMAP_PORT_INVALID"),
  secure: z.boolean(),
  username: z.string().trim().min(1, "IMAP_USERNAME_REQUIRED").max(320, "IMAP_FIELD_TOO_LONG"),
  folder: z.string().trim().min(1, "IMAP_FOLDER_REQUIRED").max(255, "IMAP_FIELD_TOO_LONG"),
  /** Folder processed mail is moved to; empty or null means only flag it \Seen. */
  moveTo: optionalFolder,
  active: z.boolean(),
};

/** The field schemas, for the other inputs about a mailbox (the connection test). */
export const imapMailboxFields = fields;
export const imapMailboxId = z.string().min(1).max(64);

export const createImapMailboxInput = z.strictObject({
  ...fields,
  port: fields.port.default(993),
  secure: fields.secure.default(true),
  folder: fields.folder.default("INBOX"),
  active: fields.active.default(true),
  password: z.string().min(1, "IMAP_PASSWORD_REQUIRED").max(1000, "IMAP_FIELD_TOO_LONG"),
});

export const updateImapMailboxInput = z.strictObject({
  id: imapMailboxId,
  name: fields.name.optional(),
  host: fields.host.optional(),
  port: fields.port.optional(),
  secure: fields.secure.optional(),
  username: fields.username.optional(),
  folder: fields.folder.optional(),
  /** Absent: unchanged (a partial update, e.g. activating, keeps it); empty or null: no move. */
  moveTo: fields.moveTo.optional(),
  active: fields.active.optional(),
  /**
   * Empty or absent: keep the stored password (the edit form never receives it, so it starts empty),
   * unless the server or the user changes: see `samePasswordTarget`.
   */
  password: z.string().max(1000, "IMAP_FIELD_TOO_LONG").optional(),
});

/**
 * Whether a stored password may go on being used with these settings: only with the server and
 * user it was typed for. Otherwise an admin (who never sees the password) could point the mailbox,
 * or a connection test, at a server of their own and receive it there.
 */
export function samePasswordTarget(stored: Pick<ImapMailbox, "host" | "username">, next: { host?: string | undefined; username?: string | undefined }): boolean {
  return (next.host === undefined || next.host.toLowerCase() === stored.host.toLowerCase()) && (next.username === undefined || next.username === stored.username);
}

/** A mailbox as the browser may see it: everything but the password. */
export type ImapMailboxView = Omit<ImapMailbox, "password"> & { hasPassword: boolean };

export function toImapMailboxView(row: ImapMailbox): ImapMailboxView {
  const { password, ...rest } = row;
  return { ...rest, hasPassword: password !== "" };
}

export async function listImapMailboxes(deps: Pick<Deps, "db">): Promise<ImapMailboxView[]> {
  const rows = await deps.db.imapMailbox.findMany({ orderBy: { createdAt: "asc" } });
  return rows.map(toImapMailboxView);
}

export async function createImapMailbox(deps: Pick<Deps, "db" | "secrets">, input: z.input<typeof createImapMailboxInput>): Promise<ImapMailboxView> {
  const { password, ...data } = createImapMailboxInput.parse(input);
  const row = await deps.db.imapMailbox.create({ data: { ...data, password: sealSecret(deps.secrets.mailKey, password) } });
  return toImapMailboxView(row);
}

/**
 * Saves an edited mailbox. A new password is encrypted; an empty one keeps the stored value as it is
 * (a legacy plain-text value included: the poller encrypts that once it has logged in with it),
 * except that a new server or user needs the password typed again (IMAP_PASSWORD_REENTER).
 */
export async function updateImapMailbox(deps: Pick<Deps, "db" | "secrets">, input: z.input<typeof updateImapMailboxInput>): Promise<ImapMailboxView> {
  const { id, password, moveTo, ...rest } = updateImapMailboxInput.parse(input);
  const current = await deps.db.imapMailbox.findUnique({ where: { id }, select: { host: true, username: true } });
  if (!current) throw new AppError("IMAP_MAILBOX_NOT_FOUND");
  if (!password && !samePasswordTarget(current, rest)) throw new AppError("IMAP_PASSWORD_REENTER");
  const data = {
    ...rest,
    ...(moveTo !== undefined ? { moveTo } : {}),
    ...(password ? { password: sealSecret(deps.secrets.mailKey, password) } : {}),
  };
  const { count } = await deps.db.imapMailbox.updateMany({ where: { id }, data });
  if (count === 0) throw new AppError("IMAP_MAILBOX_NOT_FOUND");
  return toImapMailboxView(await deps.db.imapMailbox.findUniqueOrThrow({ where: { id } }));
}

/**
 * Deletes a mailbox: the workers stop polling it at their next round. The mail already fetched from
 * it stays, with its tickets (InboundMail.imapMailboxId is set to null: onDelete SetNull); nothing
 * is done on the provider's server. A poll running at that moment cannot record more mail for it
 * (the foreign key refuses), so those messages stay unseen on the server.
 */
export async function deleteImapMailbox(deps: Pick<Deps, "db">, id: string): Promise<{ id: string }> {
  const { count } = await deps.db.imapMailbox.deleteMany({ where: { id: imapMailboxId.parse(id) } });
  if (count === 0) throw new AppError("IMAP_MAILBOX_NOT_FOUND");
  return { id };
}
