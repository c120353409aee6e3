import type { IncomingMessage } from "node:http";
import { parseCookies } from "~/server/auth/session";

const CALLBACK_COOKIES = ["__Secure-next-auth.callback-url", "next-auth.callback-url"];

/** next-auth's own test (core/lib/assert.js): a relative path, or an absolute http(s) URL. */
function isValidCallback(value: string, base: string): boolean {
  try {
    return /^https?:$/.test(new URL(value, value.startsWith("/") ? base : undefined).protocol);
  } catch {
    return false;
  }
}

/**
 * next-auth answers a malformed `callbackUrl` (query or cookie) with a 500. Before it sees the
 * request: a bad query parameter is refused (the caller gets a 400), a bad cookie is dropped (only
 * tampering makes one, and the default callback applies).
 */
export function guardAuthCallback(req: IncomingMessage, base: string): "ok" | "bad-query" {
  const url = req.url ?? "/";
  const query = url.indexOf("?") >= 0 ? new URLSearchParams(url.slice(url.indexOf("?") + 1)) : null;
  for (const value of query?.getAll("callbackUrl") ?? []) if (!isValidCallback(value, base)) return "bad-query";
  const cookieHeader = req.headers.cookie;
  if (cookieHeader) {
    const cookies = parseCookies(cookieHeader);
    if (CALLBACK_COOKIES.some((name) => cookies[name] !== undefined && !isValidCallback(cookies[name]!, base))) {
      req.headers.cookie = cookieHeader
        .split(";")
        .filter((part) => !CALLBACK_COOKIES.includes(part.split("=")[0]!.trim()))
        .join(";");
    }
  }
  return "ok";
}
