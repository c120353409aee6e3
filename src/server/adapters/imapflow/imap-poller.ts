import { ImapFlow, type FetchMessageObject } from "imapflow";
import type { Readable } from "node:stream";
import type { ImapMailbox } from "~/server/generated/prisma/client";
import type { Deps } from "~/server/modules/deps";
import { storeInboundMail } from "~/server/modules/mail/intake/store-inbound-mail";
import { openStoredSecret, sealSecret } from "~/server/modules/mail/admin/secret-box";

/** `secrets.mailKey` opens (and re-seals) the stored mailbox passwords; `queues.enqueueInbound` takes what was stored. */
export type ImapPollDeps = Pick<Deps, "db" | "clock" | "store" | "queues" | "secrets">;

export interface ImapPollOptions {
  /** Messages fetched per poll at most; the rest waits for the next poll. */
  batchSize?: number;
  /** Larger messages are left unseen on the server and reported in lastError (no bounce is possible over IMAP). */
  maxMessageBytes?: number;
  /** Connection, greeting and socket-inactivity timeouts, so a stuck server cannot hold the worker. */
  timeoutMs?: number;
  log?: (line: string) => void;
  /** Told of each mail stored, and of each one left on the server and why (the metrics count them). */
  onReceived?: () => void;
  onRefused?: (reason: "too-big" | "storage-failure") => void;
}

export interface ImapPollResult {
  mailboxId: string;
  /** InboundMail ids stored (and handed to `queues.enqueueInbound`) by this poll. */
  stored: string[];
  /** Messages left unseen on the server by this poll: failed to store, or too big. */
  failed: { uid: number; error: string }[];
  /** Unseen messages beyond this poll's batch. */
  remaining: number;
  /** What went wrong for the whole mailbox (connection, login, folder), if anything. */
  error: string | null;
}

const DEFAULT_BATCH = 25;
const DEFAULT_TIMEOUT_MS = 60_000;
const ERROR_MAX = 1000;

function describe(err: unknown): string {
  const e = err as Error & { authenticationFailed?: boolean; responseText?: string; code?: string };
  const detail = e.responseText || e.message || String(err);
  if (e.authenticationFailed) return `authentication failed: ${detail}`;
  return e.code && !detail.includes(e.code) ? `${e.code}: ${detail}` : detail;
}

/** The few header fields that stand in for the SMTP envelope: Return-Path (sender) and Delivered-To / X-Original-To (recipients). */
export function envelopeFromHeaders(headers: Buffer | undefined): { from: string | null; to: string[] } {
  const text = (headers ?? Buffer.alloc(0)).toString("latin1").replace(/\r?\n[ \t]+/g, " ");
  let from: string | null = null;
  const to: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
    if (!m) continue;
    const name = m[1]!.toLowerCase();
    const value = m[2]!.trim();
    if (name === "return-path" && from === null) {
      const addr = /<([^>]*)>/.exec(value)?.[1] ?? value;
      from = addr.trim().toLowerCase();
    } else if (name === "delivered-to" || name === "x-original-to") {
      const addr = (/<([^>]*)>/.exec(value)?.[1] ?? value).trim().toLowerCase();
      if (addr && !to.includes(addr)) to.push(addr);
    }
  }
  return { from, to };
}

/**
 * Fetches the unseen mail of one configured IMAP mailbox into the inbound pipeline. Per message,
 * one at a time: the raw source is streamed to the BlobStore and recorded as an InboundMail row,
 * and only then is the message flagged \Seen (and moved to `moveTo`, when set). A message that
 * fails to store stays unseen and is fetched again by the next poll; the others go on.
 */
export async function pollMailbox(deps: ImapPollDeps, mailbox: ImapMailbox, opts: ImapPollOptions = {}): Promise<ImapPollResult> {
  const batchSize = Math.max(1, opts.batchSize ?? DEFAULT_BATCH);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const log = opts.log ?? (() => {});
  const result: ImapPollResult = { mailboxId: mailbox.id, stored: [], failed: [], remaining: 0, error: null };

  // The password is opened only now, right before it is used, and kept in this call alone.
  let password: { value: string; legacy: boolean };
  try {
    password = openStoredSecret(deps.secrets.mailKey, mailbox.password);
  } catch (err) {
    // Wrong key (MAIL_SECRETS_KEY or NEXTAUTH_SECRET changed) or a damaged value: this mailbox waits, the others go on.
    result.error = `stored IMAP password unreadable (${(err as Error).message}): MAIL_SECRETS_KEY (or NEXTAUTH_SECRET, when that is unset) may have changed; save the mailbox password again`;
    await recordPoll(deps, mailbox, result, log);
    return result;
  }

  const client = new ImapFlow({
    host: mailbox.host,
    port: mailbox.port,
    secure: mailbox.secure,
    auth: { user: mailbox.username, pass: password.value },
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: timeoutMs,
    greetingTimeout: Math.min(timeoutMs, 16_000),
    socketTimeout: timeoutMs,
  });
  // Without a listener, an 'error' event (a dropped socket) would crash the process.
  client.on("error", (err: Error) => {
    result.error ??= describe(err);
  });

  let loggedIn = false;
  try {
    await client.connect();
    loggedIn = true;
    const lock = await client.getMailboxLock(mailbox.folder);
    try {
      const unseenQuery = { seen: false, deleted: false };
      const limit = opts.maxMessageBytes;
      // Mail over the limit is searched apart, so it never takes a place in the batch (and never blocks the rest).
      const unseen = (await client.search(limit === undefined ? unseenQuery : { ...unseenQuery, smaller: limit + 1 }, { uid: true })) || [];
      if (limit !== undefined) {
        for (const uid of (await client.search({ ...unseenQuery, larger: limit }, { uid: true })) || []) {
          result.failed.push({ uid, error: `message UID ${uid} is over the ${limit} byte limit; left unseen` });
          opts.onRefused?.("too-big");
        }
      }
      unseen.sort((a, b) => a - b);
      const batch = unseen.slice(0, batchSize);
      result.remaining = unseen.length - batch.length;
      if (batch.length) {
        const meta = new Map<number, FetchMessageObject>();
        const query = { uid: true, headers: ["return-path", "delivered-to", "x-original-to"] };
        for (const m of await client.fetchAll(batch.join(","), query, { uid: true })) meta.set(m.uid, m);
        let moveTarget = mailbox.moveTo || null;
        if (moveTarget) {
          // Not every server answers ALREADYEXISTS for an existing folder: a refusal here is only noted, the move decides.
          moveTarget = await client.mailboxCreate(moveTarget).then(
            (r) => r.path,
            () => moveTarget,
          );
        }

        for (const uid of batch) {
          if (!client.usable) throw new Error("connection lost");
          let content: Readable | undefined;
          let id: string;
          try {
            const download = await client.download(String(uid), undefined, { uid: true, chunkSize: 512 * 1024 });
            if (!download.content) continue; // expunged meanwhile
            content = download.content;
            id = await storeInboundMail(deps, content, { ...envelopeFromHeaders(meta.get(uid)?.headers), source: "imap", imapMailboxId: mailbox.id });
          } catch (err) {
            // Not stored: leave it unseen, the next poll tries again. An abandoned download must end.
            content?.destroy();
            result.failed.push({ uid, error: `storing message UID ${uid} failed: ${describe(err)}` });
            opts.onRefused?.("storage-failure");
            continue;
          }
          result.stored.push(id);
          opts.onReceived?.();
          // Stored: now, and only now, the server may forget it is new.
          try {
            await client.messageFlagsAdd(String(uid), ["\\Seen"], { uid: true });
            if (moveTarget) await client.messageMove(String(uid), moveTarget, { uid: true });
          } catch (err) {
            // Not flagged: the next poll fetches it again and processing drops the duplicate. Not moved: it stays, seen.
            result.failed.push({ uid, error: `acknowledging message UID ${uid} failed: ${describe(err)}` });
          }
        }
      }
    } finally {
      lock.release();
    }
  } catch (err) {
    result.error = describe(err);
  } finally {
    await client.logout().catch(() => client.close());
  }

  // The reconciler picks up anything stored whose enqueue is lost here.
  await deps.queues.enqueueInbound(result.stored).catch((err: Error) => log(`enqueue of ${result.stored.length} IMAP mails from ${mailbox.name} failed: ${err.message}`));

  // A legacy plain-text password (stored before encryption) is sealed here, once the server has
  // accepted it: the poller is the one place every mailbox passes through (rows can be written
  // without the admin save, e.g. by hand), and a password that does not work is left as it is for
  // the admin to fix. Only if the row still holds that very value: a concurrent save wins.
  if (password.legacy && loggedIn) {
    await deps.db.imapMailbox
      .updateMany({ where: { id: mailbox.id, password: mailbox.password }, data: { password: sealSecret(deps.secrets.mailKey, password.value) } })
      .catch((err: Error) => log(`encrypting the IMAP password of ${mailbox.name} failed: ${err.message}`));
  }

  await recordPoll(deps, mailbox, result, log);
  return result;
}

/** The poll's outcome on the mailbox row: when, and what went wrong (admin-facing, never the password). */
async function recordPoll(deps: ImapPollDeps, mailbox: ImapMailbox, result: ImapPollResult, log: (line: string) => void) {
  const problems = [result.error, ...result.failed.map((f) => f.error)].filter((x): x is string => !!x);
  const lastError = problems.length ? problems.join("; ").slice(0, ERROR_MAX) : null;
  await deps.db.imapMailbox.updateMany({ where: { id: mailbox.id }, data: { lastPolledAt: deps.clock.now(), lastError } });
  if (lastError) log(`IMAP mailbox ${mailbox.name}: ${lastError}`);
}

/** One poll of every active mailbox, one after the other; a failing mailbox does not stop the rest. */
export async function pollActiveMailboxes(deps: ImapPollDeps, opts: ImapPollOptions = {}): Promise<ImapPollResult[]> {
  const mailboxes = await deps.db.imapMailbox.findMany({ where: { active: true }, orderBy: { createdAt: "asc" } });
  const results: ImapPollResult[] = [];
  for (const mailbox of mailboxes) results.push(await pollMailbox(deps, mailbox, opts));
  return results;
}
