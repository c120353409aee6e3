import ipaddr from "ipaddr.js";
import { AppError } from "~/server/errors";

// SSRF guard for webhook URLs: only http(s), only standard or explicitly allowed ports, and only
// addresses in public unicast space. Checked when a webhook is saved AND on every send, where the
// address checked is the one connected to (adapters/http/webhook-sender.ts resolves through
// `resolvePublicTarget` inside the socket's own lookup), so a DNS answer that changes between the
// check and the send cannot reach a private address.

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Every address a hostname resolves to (injectable: tests answer differently on each call). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface TargetPolicy {
  /**
   * Development and tests only (WEBHOOKS_ALLOW_PRIVATE_TARGETS, refused in production by src/env.ts):
   * private and loopback addresses, and any port, are allowed, so a receiver on localhost works.
   */
  allowPrivate: boolean;
  /** Ports allowed besides 80 and 443 (WEBHOOKS_ALLOWED_PORTS). */
  allowedPorts: readonly number[];
  resolve: Resolver;
}

const STANDARD_PORTS = [80, 443];

/**
 * Whether an address is public unicast. ipaddr.js names every special range (loopback, private,
 * carrierGradeNat, linkLocal — 169.254.169.254 among them —, multicast, unspecified, broadcast,
 * reserved, uniqueLocal — fd00:ec2::254 among them —, ipv4Mapped, 6to4, teredo, rfc6052 NAT64, …);
 * only plain "unicast" passes. IPv4-mapped IPv6 is judged as the IPv4 address it carries.
 */
export function isPublicAddress(ip: string): boolean {
  if (!ipaddr.isValid(ip)) return false;
  const addr = ipaddr.process(ip);
  return addr.range() === "unicast";
}

/** The hostname as written in the URL, without IPv6 brackets. */
function bareHost(url: URL): string {
  return url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
}

/**
 * The URL's shape: http or https, no credentials, a host, a permitted port, and — when the host is
 * an IP literal (WHATWG parsing has already turned 0x7f000001, 2130706433 and 017700000001 into
 * 127.0.0.1) — a public address. Hostnames are checked when resolved (resolvePublicTarget).
 */
export function checkTargetUrl(raw: string, policy: Pick<TargetPolicy, "allowPrivate" | "allowedPorts">): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError("WEBHOOK_URL_INVALID");
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || !url.hostname || url.username || url.password) throw new AppError("WEBHOOK_URL_INVALID");
  const port = url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
  if (!policy.allowPrivate && !STANDARD_PORTS.includes(port) && !policy.allowedPorts.includes(port)) throw new AppError("WEBHOOK_PORT_REFUSED", { port });
  const host = bareHost(url);
  if (ipaddr.isValid(host) && !policy.allowPrivate && !isPublicAddress(host)) throw new AppError("WEBHOOK_TARGET_REFUSED");
  return url;
}

/**
 * The one address to connect to: an IP literal as is, a hostname resolved once, refused when ANY of
 * its addresses is not public (a name that also points inside is not a public target).
 */
export async function resolvePublicTarget(host: string, policy: TargetPolicy): Promise<ResolvedAddress> {
  const bare = host.startsWith("[") ? host.slice(1, -1) : host;
  if (ipaddr.isValid(bare)) {
    if (!policy.allowPrivate && !isPublicAddress(bare)) throw new AppError("WEBHOOK_TARGET_REFUSED");
    return { address: bare, family: ipaddr.parse(bare).kind() === "ipv6" ? 6 : 4 };
  }
  let answers: ResolvedAddress[];
  try {
    answers = await policy.resolve(bare);
  } catch {
    throw new AppError("WEBHOOK_HOST_UNRESOLVED");
  }
  if (answers.length === 0) throw new AppError("WEBHOOK_HOST_UNRESOLVED");
  if (!policy.allowPrivate && answers.some((a) => !isPublicAddress(a.address))) throw new AppError("WEBHOOK_TARGET_REFUSED");
  return answers[0]!;
}

/** Save-time check: the URL's shape, then its host's addresses as they resolve now. */
export async function checkWebhookTarget(raw: string, policy: TargetPolicy): Promise<URL> {
  const url = checkTargetUrl(raw, policy);
  await resolvePublicTarget(url.hostname, policy);
  return url;
}
