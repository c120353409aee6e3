import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import { isIPv6 } from "node:net";

/**
 * The caller's address, as the HTTP server saw it, for code that only gets headers (next-auth's
 * `authorize` under the app router, the tRPC context). The server sets it on every request and
 * overwrites whatever a client sent under this name, so it cannot be forged.
 */
export const CLIENT_IP_HEADER = "x-ventanilla-client-ip";

/** Where the header is missing (Next run without our server): every caller shares one budget. */
export const UNKNOWN_IP = "unknown";

/**
 * An IPv6 client usually holds a whole /64 and can change address at will inside it, so that is
 * what is counted; IPv4 (including IPv4-mapped IPv6) is counted per address.
 */
export function normalizeIp(raw: string): string {
  const ip = raw.trim().replace(/^\[|\]$/g, "");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!isIPv6(ip)) return ip || UNKNOWN_IP;
  const [head = "", tail = ""] = ip.split("::");
  const left = head ? head.split(":") : [];
  const right = ip.includes("::") && tail ? tail.split(":") : [];
  const groups = ip.includes("::") ? [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}

/**
 * The socket's peer; with `trustProxy` (one reverse proxy of ours in front, e.g. nginx with
 * `proxy_add_x_forwarded_for`) the last X-Forwarded-For entry, which that proxy appended. Entries
 * before it are whatever the client claimed and are never used.
 */
export function clientIpOf(req: Pick<IncomingMessage, "headers" | "socket">, trustProxy: boolean): string {
  const peer = req.socket?.remoteAddress ?? UNKNOWN_IP;
  if (!trustProxy) return normalizeIp(peer);
  const raw = req.headers["x-forwarded-for"];
  const hops = (Array.isArray(raw) ? raw.join(",") : (raw ?? "")).split(",").map((h) => h.trim()).filter(Boolean);
  return normalizeIp(hops.at(-1) ?? peer);
}

/** Called first for every request: the one place the client's address is decided. */
export function stampClientIp(req: IncomingMessage, trustProxy: boolean): void {
  req.headers[CLIENT_IP_HEADER] = clientIpOf(req, trustProxy);
}

/** The stamped address (see stampClientIp), from a request's headers in any shape. */
export function clientIpFromHeaders(headers: IncomingHttpHeaders | Record<string, unknown> | Headers | undefined): string {
  const value = headers instanceof Headers ? headers.get(CLIENT_IP_HEADER) : headers?.[CLIENT_IP_HEADER];
  return typeof value === "string" && value ? value : UNKNOWN_IP;
}
