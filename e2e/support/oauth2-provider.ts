import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A plain OAuth 2.0 authorization server standing in for Facebook in the browser tests, shaped like
 * the parts of Facebook's Graph API that next-auth's Facebook provider uses:
 *   GET  /dialog/oauth           the login page (client_id, redirect_uri, state, scope=email)
 *   POST /dialog/oauth           signs in, redirects to redirect_uri?code=…&state=…
 *   POST /oauth/access_token     code → { access_token, token_type: "bearer", expires_in }
 *   GET  /me?fields=id,name,email  the profile, for a Bearer access token
 * No OpenID Connect, no ID token, no `email_verified`: like Facebook, the address is only its word.
 * Codes are single use, bound to the client and the redirect URI, and live a minute; the client
 * authenticates with HTTP Basic (what next-auth sends) or client_id/client_secret in the body.
 *
 * Its accounts are any address (any non-empty password): a person's Facebook id is derived from the
 * address, so signing in again with it is the same Facebook account.
 */
export interface TestOAuth2Provider {
  authorizationUrl: string;
  tokenUrl: string;
  userinfoUrl: string;
  clientId: string;
  clientSecret: string;
  /** Requests the token and /me endpoints answered, for tests that check the exchange happened. */
  calls: { token: number; me: number; meFields: string[] };
  close(): Promise<void>;
}

interface Person {
  id: string;
  email: string;
  name: string;
}

/** Facebook's app-scoped ids are long decimal numbers. */
export function facebookIdFor(email: string): string {
  return BigInt(`0x${createHash("sha256").update(`fb:${email}`).digest("hex").slice(0, 15)}`).toString().padStart(17, "0");
}

function nameFor(email: string): string {
  return email
    .split("@")[0]!
    .split(/[._-]+/)
    .filter((w) => w && !/^\d+$/.test(w))
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(" ");
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(res: ServerResponse, status: number, title: string, body: string) {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'" });
  res.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>` +
      `<style>body{font-family:sans-serif;max-width:24rem;margin:3rem auto}label,input,button{display:block;margin:.5rem 0}</style>` +
      `</head><body><main><h1>${escape(title)}</h1>${body}</main></body></html>`,
  );
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 64 * 1024) throw new Error("body too large");
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export async function startOAuth2Provider(opts: { redirectUri: string }): Promise<TestOAuth2Provider> {
  const clientId = "1234567890123456";
  const clientSecret = randomBytes(16).toString("hex");
  const codes = new Map<string, { person: Person; redirectUri: string; until: number }>();
  const tokens = new Map<string, { person: Person; until: number }>();
  const calls = { token: 0, me: 0, meFields: [] as string[] };

  function loginForm(q: URLSearchParams, error?: string) {
    const hidden = ["client_id", "redirect_uri", "state", "scope", "response_type"]
      .map((k) => `<input type="hidden" name="${k}" value="${escape(q.get(k) ?? "")}">`)
      .join("");
    return (
      `<p>Log in to use your Facebook account with Ventanilla.</p>` +
      (error ? `<p role="alert">${escape(error)}</p>` : "") +
      `<form method="post" action="/dialog/oauth">${hidden}` +
      `<label>Email address <input name="email" type="email" autocomplete="username" required></label>` +
      `<label>Facebook password <input name="password" type="password" autocomplete="current-password" required></label>` +
      `<button type="submit">Log in</button></form>`
    );
  }

  async function dialog(req: IncomingMessage, res: ServerResponse, url: URL) {
    const q = req.method === "POST" ? await readBody(req) : url.searchParams;
    if (q.get("client_id") !== clientId) return page(res, 400, "Error", "<p>Invalid App ID.</p>");
    if (q.get("redirect_uri") !== opts.redirectUri) return page(res, 400, "Error", "<p>URL blocked: the redirect URI is not whitelisted.</p>");
    if (req.method === "GET") return page(res, 200, "Log in to Facebook", loginForm(q));
    const email = (q.get("email") ?? "").trim().toLowerCase();
    if (!/^[^@\s]+@[^@\s]+$/.test(email) || !q.get("password")) return page(res, 200, "Log in to Facebook", loginForm(q, "Wrong credentials"));
    const code = randomBytes(24).toString("base64url");
    codes.set(code, { person: { id: facebookIdFor(email), email, name: nameFor(email) }, redirectUri: opts.redirectUri, until: Date.now() + 60_000 });
    const back = new URL(opts.redirectUri);
    back.searchParams.set("code", code);
    if (q.get("state")) back.searchParams.set("state", q.get("state")!);
    res.writeHead(302, { location: back.toString() });
    res.end();
  }

  async function token(req: IncomingMessage, res: ServerResponse) {
    calls.token++;
    const body = await readBody(req);
    let id = body.get("client_id") ?? "";
    let secret = body.get("client_secret") ?? "";
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? "");
    if (basic) {
      const [u = "", p = ""] = Buffer.from(basic[1]!, "base64").toString("utf8").split(":");
      [id, secret] = [decodeURIComponent(u), decodeURIComponent(p)];
    }
    if (id !== clientId || !same(secret, clientSecret)) return json(res, 401, { error: { message: "Error validating client secret.", type: "OAuthException", code: 1 } });
    const grant = codes.get(body.get("code") ?? "");
    codes.delete(body.get("code") ?? "");
    if (!grant || grant.until < Date.now() || body.get("redirect_uri") !== grant.redirectUri) {
      return json(res, 400, { error: { message: "Invalid verification code format.", type: "OAuthException", code: 100 } });
    }
    const accessToken = randomBytes(32).toString("base64url");
    tokens.set(accessToken, { person: grant.person, until: Date.now() + 3_600_000 });
    json(res, 200, { access_token: accessToken, token_type: "bearer", expires_in: 3600 });
  }

  function me(req: IncomingMessage, res: ServerResponse, url: URL) {
    calls.me++;
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? "")?.[1] ?? url.searchParams.get("access_token") ?? "";
    const t = tokens.get(bearer);
    if (!t || t.until < Date.now()) return json(res, 401, { error: { message: "Invalid OAuth access token.", type: "OAuthException", code: 190 } });
    // The Graph API returns only the fields asked for (id always).
    const fields = (url.searchParams.get("fields") ?? "id,name").split(",").map((f) => f.trim());
    calls.meFields = fields;
    const out: Record<string, string> = { id: t.person.id };
    if (fields.includes("name")) out.name = t.person.name;
    if (fields.includes("email")) out.email = t.person.email;
    json(res, 200, out);
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const run = async () => {
      if (url.pathname === "/dialog/oauth" && (req.method === "GET" || req.method === "POST")) return dialog(req, res, url);
      if (url.pathname === "/oauth/access_token" && req.method === "POST") return token(req, res);
      if (url.pathname === "/me" && req.method === "GET") return me(req, res, url);
      return json(res, 404, { error: { message: "Unknown path", type: "GraphMethodException" } });
    };
    run().catch((err: Error) => {
      if (!res.headersSent) json(res, 500, { error: { message: err.message } });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    authorizationUrl: `${base}/dialog/oauth`,
    tokenUrl: `${base}/oauth/access_token`,
    userinfoUrl: `${base}/me`,
    clientId,
    clientSecret,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
