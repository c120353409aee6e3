import { ImapFlow } from "imapflow";
import { z } from "zod";
import { translate, type Locale } from "~/i18n";
import { AppError } from "~/server/errors";
import type { Deps } from "../../deps";
import { imapMailboxFields as fields, imapMailboxId, samePasswordTarget } from "./imap-mailboxes";
import { openStoredSecret, SecretBoxError } from "./secret-box";

// "Probar conexión" on the admin page: log in to an IMAP server with the settings of the form (or
// of a saved mailbox) and open the folder read-only (EXAMINE), then log out. Nothing is fetched,
// flagged, moved or written: not on the server, not in the database (the poller's lastError and
// lastPolledAt stay the poller's).

export const testImapConnectionInput = z
  .strictObject({
    /** A saved mailbox: its settings fill in whatever is not given, and its password is used when none is typed. */
    id: imapMailboxId.optional(),
    host: fields.host.optional(),
    port: fields.port.optional(),
    secure: fields.secure.optional(),
    username: fields.username.optional(),
    folder: fields.folder.optional(),
    password: z.string().max(1000, "IMAP_FIELD_TOO_LONG").optional(),
  })
  .superRefine((v, ctx) => {
    if (v.id) return;
    // A mailbox not saved yet: the form must say where to connect and as whom.
    if (v.host === undefined) ctx.addIssue({ code: "custom", path: ["host"], message: "IMAP_HOST_REQUIRED" });
    if (v.username === undefined) ctx.addIssue({ code: "custom", path: ["username"], message: "IMAP_USERNAME_REQUIRED" });
    if (!v.password) ctx.addIssue({ code: "custom", path: ["password"], message: "IMAP_PASSWORD_REQUIRED" });
  });

/** `secrets.mailKey` opens a saved mailbox's password. */
export type ImapConnectionTestDeps = Pick<Deps, "db" | "secrets">;

export interface ImapConnectionTestOptions {
  /** The language of the sentence in `message`. */
  locale?: Locale;
  /** The whole test (connection, TLS, greeting, login, folder) ends within this time. */
  timeoutMs?: number;
}

export type ImapConnectionFailure = "passwordUnreadable" | "auth" | "hostNotFound" | "refused" | "unreachable" | "timeout" | "tls" | "folder" | "other";

export type ImapConnectionTestResult =
  | { ok: true; message: string; folder: string; messages: number; unseen: number | null }
  | { ok: false; message: string; reason: ImapConnectionFailure; detail: string };

const DEFAULT_TIMEOUT_MS = 10_000;
const DETAIL_MAX = 300;
const DEADLINE = "VT_TEST_DEADLINE";

type ImapError = Error & {
  code?: string;
  authenticationFailed?: boolean;
  tlsFailed?: boolean;
  mailboxMissing?: boolean;
  responseText?: string;
  responseStatus?: string;
};

const TIMEOUT_CODES = new Set(["CONNECT_TIMEOUT", "GREETING_TIMEOUT", "UPGRADE_TIMEOUT", "ETIMEOUT", "ETIMEDOUT", DEADLINE]);
const DNS_CODES = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_NONAME", "EAI_FAIL", "EAI_NODATA"]);
const UNREACHABLE_CODES = new Set(["EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL", "ECONNRESET", "EPIPE"]);

function classify(err: unknown, phase: "connect" | "folder"): ImapConnectionFailure {
  if (err instanceof SecretBoxError) return "passwordUnreadable";
  const e = err as ImapError;
  const code = e.code ?? "";
  if (e.authenticationFailed) return "auth";
  if (TIMEOUT_CODES.has(code)) return "timeout";
  if (DNS_CODES.has(code)) return "hostNotFound";
  if (code === "ECONNREFUSED") return "refused";
  if (e.tlsFailed || /^(ERR_SSL|ERR_TLS|ERR_OSSL|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|HOSTNAME_MISMATCH)/.test(code) || /\b(SSL|TLS)\b|certificate|wrong version number/i.test(e.message ?? "")) return "tls";
  if (UNREACHABLE_CODES.has(code)) return "unreachable";
  if (e.mailboxMissing || (phase === "folder" && (e.responseStatus === "NO" || e.responseStatus === "BAD"))) return "folder";
  return "other";
}

/** What the server (or the network) said, short, and never the password. */
function detailOf(err: unknown, password: string): string {
  const e = err as ImapError;
  let text = (e.responseText || e.message || String(err)).replace(/\s+/g, " ").trim();
  // OpenSSL's "80BC…:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:<file>:<line>:" says only its last words.
  text = /^[0-9A-F]+:error:[0-9A-F]+:[^:]*:[^:]*:([^:]+):/.exec(text)?.[1] ?? text;
  if (e.code && !text.includes(e.code) && e.code !== DEADLINE) text = `${e.code}: ${text}`;
  if (password.length >= 3) text = text.split(password).join("***");
  return text.length > DETAIL_MAX ? `${text.slice(0, DETAIL_MAX - 1)}…` : text;
}

/**
 * Tries an IMAP mailbox's settings: connects (TLS or not, STARTTLS when the server offers it, as the
 * poller does), logs in, and opens `folder` read-only. Reports success with the folder's message
 * counts, or the failure as a sentence in `locale` carrying the server's own words. Unusable input
 * (bad host or port, unknown mailbox, a new server or user without the password) throws AppError or
 * ZodError like the other admin functions; a failed connection is a result, not an exception.
 */
export async function testImapConnection(
  deps: ImapConnectionTestDeps,
  input: z.input<typeof testImapConnectionInput>,
  opts: ImapConnectionTestOptions = {},
): Promise<ImapConnectionTestResult> {
  const locale = opts.locale ?? "es";
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const given = testImapConnectionInput.parse(input);
  const saved = given.id ? await deps.db.imapMailbox.findUnique({ where: { id: given.id } }) : null;
  if (given.id && !saved) throw new AppError("IMAP_MAILBOX_NOT_FOUND");
  if (saved && !given.password && !samePasswordTarget(saved, given)) throw new AppError("IMAP_PASSWORD_REENTER");

  const settings = {
    host: given.host ?? saved?.host ?? "",
    port: given.port ?? saved?.port ?? 993,
    secure: given.secure ?? saved?.secure ?? true,
    username: given.username ?? saved?.username ?? "",
    folder: given.folder ?? saved?.folder ?? "INBOX",
  };
  const seconds = Math.round(timeoutMs / 1000);
  const params = { host: settings.host, port: settings.port, username: settings.username, folder: settings.folder, seconds };
  const fail = (reason: ImapConnectionFailure, detail: string): ImapConnectionTestResult => ({
    ok: false,
    reason,
    detail,
    message: translate(locale, `imapMailboxes.test.${reason}`, { ...params, detail }),
  });

  let password: string;
  try {
    password = given.password || openStoredSecret(deps.secrets.mailKey, saved!.password).value;
  } catch (err) {
    return fail("passwordUnreadable", (err as Error).message);
  }

  const t = Math.min(timeoutMs, 60_000);
  const client = new ImapFlow({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    auth: { user: settings.username, pass: password },
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: t,
    greetingTimeout: t,
    socketTimeout: t,
  });
  // A dropped socket is also emitted as 'error': without a listener it would crash the web process.
  client.on("error", () => {});

  let phase: "connect" | "folder" = "connect";
  const attempt = (async () => {
    await client.connect();
    phase = "folder";
    // STATUS before the folder is selected (RFC 3501 advises against STATUS on the selected one).
    const status = await client.status(settings.folder, { messages: true, unseen: true }).catch(() => false as const);
    // EXAMINE: read-only, so not even \Recent changes.
    const opened = await client.mailboxOpen(settings.folder, { readOnly: true });
    return { messages: opened.exists, unseen: status ? (status.unseen ?? null) : null };
  })();
  // Past the deadline the attempt is abandoned: its late rejection must not go unhandled.
  attempt.catch(() => {});

  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer in ${seconds} s`), { code: DEADLINE })), timeoutMs);
  });

  try {
    const counts = await Promise.race([attempt, deadline]);
    return {
      ok: true,
      folder: settings.folder,
      ...counts,
      message: translate(locale, counts.unseen === null ? "imapMailboxes.test.okNoUnseen" : "imapMailboxes.test.ok", {
        ...params,
        messages: counts.messages,
        unseen: counts.unseen ?? 0,
      }),
    };
  } catch (err) {
    return fail(classify(err, phase), detailOf(err, password));
  } finally {
    clearTimeout(timer);
    if (client.usable) {
      await Promise.race([client.logout().catch(() => {}), new Promise((r) => setTimeout(r, 2000).unref())]);
    }
    client.close();
  }
}
