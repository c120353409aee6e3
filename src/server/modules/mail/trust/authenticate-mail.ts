import { Resolver } from "node:dns/promises";
import { isIP } from "node:net";
import { Readable } from "node:stream";
import { arc, dkimVerify, dmarc, spf, type DNSResolver } from "mailauth";

/**
 * SPF, DKIM, DMARC and ARC of one inbound mail (mailauth), on the raw bytes as stored. A DNS failure
 * or timeout is a "temperror" verdict, recorded like any other, and the mail is processed all the
 * same; a slow DNS cannot hold a worker: every lookup has a timeout, and the whole check a deadline.
 * The one error it throws is the storage's (the raw bytes could not be read, `source: "storage"`),
 * which the queue retries as it does for the parser.
 */

/** `(name, rrtype) => records`, as node's `dns.promises.resolve`; an error with `code` ENOTFOUND/ENODATA means "no such record". */
export type DnsResolver = (name: string, rrtype: string) => Promise<unknown>;

/** What is kept on `InboundMail.authResults`. */
export interface AuthResults {
  spf: { result: string; domain: string | null };
  dkim: { result: string; domain: string | null; selector?: string }[];
  dmarc: { result: string; domain: string | null };
  arc: { result: string };
}

export interface MailAuthentication {
  results: AuthResults;
  /**
   * Signing domains (lower case) of the DKIM signatures that passed, sign the From header and
   * cover the whole body (no `l=` with content added after it). Empty unless the mail has exactly one From.
   */
  dkimPassDomains: string[];
  /** DMARC evaluated to "fail" for the From domain. */
  dmarcFailed: boolean;
}

export interface SmtpPeer {
  ip: string;
  helo: string | null;
  /** MAIL FROM; empty for bounces (SPF then checks postmaster@<helo>). */
  sender: string | null;
}

export const DNS_TIMEOUT_MS = 3000;

function timeoutError(name: string, rrtype: string): Error {
  return Object.assign(new Error(`DNS timeout: ${rrtype} ${name}`), { code: "ETIMEOUT" });
}

/** Any resolver, with every lookup given up after `ms` (an ETIMEOUT error, which mailauth reads as temperror). */
export function withDnsTimeout(resolver: DnsResolver, ms: number): DnsResolver {
  return (name, rrtype) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(timeoutError(name, rrtype)), ms);
      timer.unref?.();
      Promise.resolve()
        .then(() => resolver(name, rrtype))
        .then(resolve, reject)
        .finally(() => clearTimeout(timer));
    });
}

/** The system's DNS servers (node's c-ares resolver): two tries within `timeoutMs`. */
export function systemDnsResolver(timeoutMs = DNS_TIMEOUT_MS): DnsResolver {
  const resolver = new Resolver({ timeout: Math.max(1, Math.floor(timeoutMs / 2)), tries: 2 });
  return (name, rrtype) => resolver.resolve(name, rrtype);
}

/**
 * Answers (and "no such record", which most lookups here get: few domains publish DMARC or sign
 * with DKIM) kept for `ttlMs`, and one query in flight per name and type: mail comes from the same
 * few domains again and again (gmail.com …), so most mails need no DNS at all. Failures (timeouts,
 * SERVFAIL) are not kept: the next mail asks again.
 */
export function cachedDnsResolver(resolver: DnsResolver, opts: { ttlMs?: number; max?: number } = {}): DnsResolver {
  const ttlMs = opts.ttlMs ?? 5 * 60_000;
  const max = opts.max ?? 10_000;
  const cache = new Map<string, { until: number; answer: Promise<unknown> }>();
  // Each caller gets its own error object: mailauth annotates the errors it is given (err.spfResult).
  const fresh = (err: { message?: string; code?: string }) => {
    throw Object.assign(new Error(err?.message ?? String(err)), { code: err?.code });
  };
  return (name, rrtype) => {
    const key = `${rrtype} ${name.toLowerCase()}`;
    const now = Date.now();
    const hit = cache.get(key);
    if (hit && hit.until > now) return hit.answer.catch(fresh);
    if (hit) cache.delete(key);
    const answer = Promise.resolve().then(() => resolver(name, rrtype));
    // Oldest first (a Map keeps insertion order): drop the oldest entry when full.
    if (cache.size >= max) cache.delete(cache.keys().next().value!);
    cache.set(key, { until: now + ttlMs, answer });
    answer.catch((err: { code?: string }) => {
      if (err?.code !== "ENOTFOUND" && err?.code !== "ENODATA" && cache.get(key)?.answer === answer) cache.delete(key);
    });
    return answer.catch(fresh);
  };
}

/** One cached system resolver per timeout for the whole process, not one per mail. */
const systemResolvers = new Map<number, DnsResolver>();
function defaultResolver(timeoutMs: number): DnsResolver {
  let r = systemResolvers.get(timeoutMs);
  if (!r) systemResolvers.set(timeoutMs, (r = cachedDnsResolver(systemDnsResolver(timeoutMs))));
  return r;
}

const domainOf = (address: string | null | undefined) => (address && address.includes("@") ? address.split("@").pop()!.toLowerCase() : null);

/** Nothing could be checked (DNS down, the deadline passed, the bytes unreadable): every verdict is "temperror". */
function allTemperror(smtp: SmtpPeer | null): MailAuthentication {
  return {
    results: {
      spf: smtp ? { result: "temperror", domain: domainOf(smtp.sender) } : { result: "none", domain: null },
      dkim: [{ result: "temperror", domain: null }],
      dmarc: { result: "temperror", domain: null },
      arc: { result: "temperror" },
    },
    dkimPassDomains: [],
    dmarcFailed: false,
  };
}

/** Whether a DKIM signature's signed header list (`From: To: Subject`) names From. */
function signsFrom(keys: unknown): boolean {
  return typeof keys === "string" && keys.split(":").some((k) => k.trim().toLowerCase() === "from");
}

/** Where the header block ends (after its blank line), or -1 when `buf` does not reach it. */
function headerEnd(buf: Buffer): number {
  const crlf = buf.indexOf("\r\n\r\n");
  const lf = buf.indexOf("\n\n");
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return crlf + 4;
  return lf >= 0 ? lf + 2 : -1;
}

const SIGNED = /(?:^|\n)(?:dkim-signature|arc-seal|arc-message-signature)[ \t]*:/i;
const MAX_HEADER_BYTES = 1024 * 1024;

/**
 * What DKIM/ARC verification must read. Only a signature needs the body (its body hash): mail
 * with no DKIM or ARC signature is verified on its header block alone, so a large attachment is
 * not read a second time. Signed mail is streamed whole (the chunks already read, then the rest).
 */
async function forVerification(stream: Readable): Promise<Buffer | Readable> {
  const chunks: Buffer[] = [];
  const it = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let head: Buffer = Buffer.alloc(0);
  let end = -1;
  while (end < 0 && head.length < MAX_HEADER_BYTES) {
    const next = await it.next();
    if (next.done) break;
    chunks.push(next.value);
    head = chunks.length === 1 ? next.value : Buffer.concat(chunks);
    end = headerEnd(head);
  }
  const headers = end >= 0 ? head.subarray(0, end) : head;
  if (end >= 0 && !SIGNED.test(headers.toString("latin1"))) {
    stream.destroy();
    return headers;
  }
  return Readable.from(
    (async function* () {
      yield* chunks;
      for (let next = await it.next(); !next.done; next = await it.next()) yield next.value;
    })(),
  );
}

interface SpfView {
  domain?: string;
  status?: { result?: string };
}

/**
 * Reads the mail once for DKIM/ARC (streamed) while SPF, which needs only the SMTP peer, runs
 * alongside; then ARC and DMARC. IMAP mail has no SMTP peer: its SPF is "none" (not evaluated).
 */
export async function authenticateMail(
  read: () => Readable,
  opts: { smtp: SmtpPeer | null; resolver?: DnsResolver; timeoutMs?: number },
): Promise<MailAuthentication> {
  const timeoutMs = opts.timeoutMs ?? DNS_TIMEOUT_MS;
  const resolver = withDnsTimeout(opts.resolver ?? defaultResolver(timeoutMs), timeoutMs) as DNSResolver;
  const smtp = opts.smtp;

  let storageFailed: ((err: unknown) => void) | undefined;
  const storageError = new Promise<never>((_resolve, reject) => (storageFailed = reject));
  storageError.catch(() => {});
  const source = () => {
    const stream = read();
    stream.on("error", (err) => storageFailed!(Object.assign(err, { source: "storage" })));
    return stream;
  };

  const work = async (): Promise<MailAuthentication> => {
    const helo = smtp ? (smtp.helo || smtp.ip) : null;
    const [dkimResult, spfResult] = await Promise.all([
      forVerification(source()).then((message) => dkimVerify(message, { resolver })),
      smtp
        ? (spf({ ip: smtp.ip, helo: helo && isIP(helo) ? `[${helo}]` : (helo ?? undefined), sender: smtp.sender || undefined, resolver }) as Promise<SpfView>)
        : Promise.resolve(null),
    ]);
    const spfPass = spfResult?.status?.result === "pass" && spfResult.domain ? [spfResult.domain] : [];
    // dkimVerify hands back the ARC chain it parsed (false when there is none), as authenticate() passes it on.
    const arcResult = await arc((dkimResult.arc ?? { chain: false }) as Parameters<typeof arc>[0], { resolver });
    const headerFrom = dkimResult.headerFrom ?? [];
    const passing = (dkimResult.results ?? []).filter((r) => r.status?.result === "pass");
    const dmarcResult =
      headerFrom.length === 1
        ? await dmarc({
            headerFrom: headerFrom[0]!,
            spfDomains: spfPass,
            dkimDomains: passing.map((r) => ({ id: r.id, domain: r.signingDomain, aligned: r.status.aligned, underSized: r.status.underSized })),
            arcResult,
            resolver,
          })
        : false;
    const dmarcStatus = dmarcResult ? (dmarcResult.status?.result ?? "none") : headerFrom.length > 1 ? "permerror" : "none";
    return {
      results: {
        spf: spfResult ? { result: spfResult.status?.result ?? "none", domain: spfResult.domain ?? null } : { result: "none", domain: null },
        dkim: (dkimResult.results ?? []).map((r) => ({
          result: r.status?.result ?? "none",
          domain: r.signingDomain ? r.signingDomain.toLowerCase() : null,
          ...(r.selector ? { selector: r.selector } : {}),
        })),
        dmarc: { result: dmarcStatus, domain: dmarcResult ? dmarcResult.domain : domainOf(headerFrom[0]) },
        arc: { result: arcResult?.status?.result ?? "none" },
      },
      dkimPassDomains:
        headerFrom.length === 1
          ? passing
              .filter((r) => !r.status.underSized && signsFrom((r as { signingHeaders?: { keys?: unknown } }).signingHeaders?.keys))
              .map((r) => r.signingDomain.toLowerCase())
          : [],
      dmarcFailed: dmarcStatus === "fail",
    };
  };

  // Lookups run one after another (SPF's includes, each DKIM key, DMARC's org domain): a deadline over all of them.
  const deadlineMs = timeoutMs * 4;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<MailAuthentication>((resolve) => {
    timer = setTimeout(() => resolve(allTemperror(smtp)), deadlineMs);
    timer.unref?.();
  });
  try {
    return await Promise.race([storageError, work().catch(() => allTemperror(smtp)), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
