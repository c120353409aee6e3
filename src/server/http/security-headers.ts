import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

export interface HeaderPolicy {
  /** PUBLIC_URL is https: browsers are told to keep to https (HSTS). */
  https: boolean;
  /** `next dev` evaluates code with eval for fast refresh; production never does. */
  dev: boolean;
}

/** Headers every response carries, API and pages alike. */
function baseHeaders(policy: HeaderPolicy): Record<string, string> {
  return {
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "x-frame-options": "DENY",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    "cross-origin-opener-policy": "same-origin",
    ...(policy.https ? { "strict-transport-security": "max-age=63072000; includeSubDomains" } : {}),
  };
}

/**
 * The page policy: scripts only with this response's nonce (Next.js puts it on its own script tags,
 * read from the request's CSP header) and what they load ('strict-dynamic'); no inline script, no
 * plugin, no framing. Styles may be inline (React style attributes, sanitized mail HTML); images from
 * anywhere over https only once a person asks to load a mail's remote images; frames only the
 * knowledge base's allowlisted video players.
 */
export function pageCsp(nonce: string, policy: HeaderPolicy): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${policy.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob: https:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "frame-src https://www.youtube-nocookie.com https://player.vimeo.com",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(policy.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** JSON and other API answers are never documents: nothing may run or frame them. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

export function applyBaseHeaders(res: ServerResponse, policy: HeaderPolicy, csp: string = API_CSP) {
  for (const [name, value] of Object.entries(baseHeaders(policy))) res.setHeader(name, value);
  res.setHeader("content-security-policy", csp);
}

/**
 * Before a request reaches Next.js: a fresh nonce, given to Next through the request's CSP header
 * (it reads the nonce from there) and sent to the browser in the response's.
 */
export function applyPageHeaders(req: IncomingMessage, res: ServerResponse, policy: HeaderPolicy): string {
  const nonce = randomBytes(18).toString("base64");
  const csp = pageCsp(nonce, policy);
  // A client-sent CSP header must never choose the nonce.
  delete req.headers["content-security-policy-report-only"];
  req.headers["content-security-policy"] = csp;
  applyBaseHeaders(res, policy, csp);
  return nonce;
}
