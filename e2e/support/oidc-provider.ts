import { createHash, generateKeyPairSync, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type Account, type Configuration } from "oidc-provider";

/**
 * A real OpenID Connect provider (panva's `oidc-provider`, the certified implementation) standing in
 * for Google in the browser tests: discovery, signed ID tokens, PKCE, `iss` in the authorization
 * response, consent. It listens on plain http at 127.0.0.1; cookies are only marked `secure` on
 * https connections, and the authorization code flow accepts http redirect URIs (only the implicit
 * flow insists on https), so no proxy or TLS tricks are needed.
 *
 * Its accounts are every address at example.test (any non-empty password), like a Google Workspace
 * domain where every mailbox exists. It reports them verified (`email_verified: true`), except those
 * whose local part contains `sin-verificar` (e.g. `sin-verificar.ana@example.test`): `email_verified:
 * false`, as Google says of an address added to an account and never confirmed.
 */
export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  close(): Promise<void>;
}

const OIDC_DOMAIN = "example.test";
export const UNVERIFIED_MARKER = "sin-verificar";
const KNOWN_NAMES: Record<string, string> = { "google.user@example.test": "Gabriela Google" };

interface Person {
  email: string;
  name: string;
}

/** The subject Google would give this address: opaque, stable, numeric. */
function subjectFor(email: string): string {
  return `1${BigInt(`0x${createHash("sha256").update(email).digest("hex").slice(0, 16)}`).toString().padStart(20, "0")}`;
}

function nameFor(email: string): string {
  const local = email.split("@")[0]!;
  return KNOWN_NAMES[email] ?? local.split(/[._-]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join(" ");
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(res: ServerResponse, status: number, title: string, body: string) {
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    // Self-contained pages: nothing is fetched from anywhere. (No form-action: it would also block
    // the redirect back to the app that follows a submitted form.)
    "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'",
  });
  res.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>` +
      `<style>body{font-family:sans-serif;max-width:24rem;margin:3rem auto}label,input,button{display:block;margin:.5rem 0}</style>` +
      `</head><body><main><h1>${escape(title)}</h1>${body}</main></body></html>`,
  );
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 64 * 1024) throw new Error("form too large");
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

function loginForm(uid: string, error?: string, email = "") {
  return (
    `<p>to continue to Ventanilla</p>` +
    (error ? `<p role="alert">${escape(error)}</p>` : "") +
    `<form method="post" action="/interaction/${escape(uid)}/login">` +
    `<label>Email <input name="email" type="email" autocomplete="username" value="${escape(email)}" required></label>` +
    `<label>Password <input name="password" type="password" autocomplete="current-password" required></label>` +
    `<button type="submit">Sign in</button></form>`
  );
}

function consentForm(uid: string, client: string, email: string, scopes: string[]) {
  const items = scopes.filter((s) => s !== "openid").map((s) => `<li>${escape(s)}</li>`).join("");
  return (
    `<p>${escape(client)} wants to access your account ${escape(email)}:</p><ul>${items}</ul>` +
    `<form method="post" action="/interaction/${escape(uid)}/consent"><button type="submit">Allow</button></form>` +
    `<form method="post" action="/interaction/${escape(uid)}/abort"><button type="submit">Cancel</button></form>`
  );
}

export async function startOidcProvider(opts: { redirectUri: string }): Promise<TestOidcProvider> {
  const people = new Map<string, Person>(); // by subject
  const clientId = "ventanilla-e2e";
  const clientSecret = randomBytes(24).toString("base64url");
  const signingKey = { ...generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" }), kid: "e2e-rs256", alg: "RS256", use: "sig" };

  let provider: Provider;
  let oidcCallback: (req: IncomingMessage, res: ServerResponse) => void;

  // The login and consent screens (the part of an OpenID provider that oidc-provider leaves to its host).
  async function interaction(req: IncomingMessage, res: ServerResponse, uid: string, action: string | undefined) {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) return page(res, 400, "Error", "<p>Interaction mismatch.</p>");
    const prompt = details.prompt.name;
    const client = await provider.Client.find(String(details.params.client_id));
    const clientName = String(client?.clientName ?? client?.clientId ?? "The application");

    if (req.method === "GET" && !action) {
      if (prompt === "login") return page(res, 200, "Sign in with Google", loginForm(uid));
      if (prompt === "consent") {
        const person = people.get(details.session?.accountId ?? "");
        const scopes = (details.prompt.details.missingOIDCScope as string[] | undefined) ?? [];
        return page(res, 200, "Allow access", consentForm(uid, clientName, person?.email ?? "", scopes));
      }
      return page(res, 501, "Error", `<p>Prompt ${escape(prompt)} is not supported.</p>`);
    }
    if (req.method !== "POST") return page(res, 405, "Error", "<p>Method not allowed.</p>");

    if (action === "login" && prompt === "login") {
      const form = await readForm(req);
      const email = (form.get("email") ?? "").trim().toLowerCase();
      if (!/^[^@\s]+@[^@\s]+$/.test(email) || !email.endsWith(`@${OIDC_DOMAIN}`) || !form.get("password")) {
        return page(res, 200, "Sign in with Google", loginForm(uid, "Couldn't find your account.", email));
      }
      const sub = subjectFor(email);
      people.set(sub, { email, name: nameFor(email) });
      return provider.interactionFinished(req, res, { login: { accountId: sub } }, { mergeWithLastSubmission: false });
    }
    if (action === "consent" && prompt === "consent") {
      const { grantId, session, params } = details;
      const d = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
      const grant = grantId ? await provider.Grant.find(grantId) : new provider.Grant({ accountId: session!.accountId, clientId: String(params.client_id) });
      if (!grant) return page(res, 400, "Error", "<p>Grant not found.</p>");
      if (d.missingOIDCScope) grant.addOIDCScope(d.missingOIDCScope.join(" "));
      if (d.missingOIDCClaims) grant.addOIDCClaims(d.missingOIDCClaims);
      for (const [indicator, scopes] of Object.entries(d.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(" "));
      return provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
    }
    if (action === "abort") {
      return provider.interactionFinished(req, res, { error: "access_denied", error_description: "End-User aborted interaction" }, { mergeWithLastSubmission: false });
    }
    return page(res, 400, "Error", "<p>Unexpected step.</p>");
  }

  const server = createServer((req, res) => {
    const m = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|consent|abort))?$/.exec(new URL(req.url ?? "/", "http://x").pathname);
    if (!m) return oidcCallback(req, res);
    interaction(req, res, m[1]!, m[2]).catch((err: Error) => {
      if (!res.headersSent) page(res, 400, "Error", `<p>${escape(err.message)}</p>`);
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const configuration: Configuration = {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        client_name: "Ventanilla",
        redirect_uris: [opts.redirectUri],
        response_types: ["code"],
        grant_types: ["authorization_code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString("hex")] },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "given_name", "family_name", "locale"] },
    // Google puts the requested profile and email claims in the ID token itself, which is where
    // next-auth's Google provider (`idToken: true`) reads them; oidc-provider's default follows the
    // letter of OIDC Core (only in userinfo for the code flow).
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AuthorizationCode: 60, AccessToken: 600, IdToken: 600 },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(_ctx, sub): Promise<Account | undefined> {
      const person = people.get(sub);
      if (!person) return undefined;
      return {
        accountId: sub,
        claims: () => {
          const [given, ...family] = person.name.split(" ");
          const verified = !person.email.split("@")[0]!.includes(UNVERIFIED_MARKER);
          return { sub, email: person.email, email_verified: verified, name: person.name, given_name: given, family_name: family.join(" ") || undefined, locale: "es" };
        },
      };
    },
    // Plain errors instead of the default page, which loads a web font from the internet.
    renderError(ctx, out) {
      ctx.type = "text/plain";
      ctx.body = Object.entries(out)
        .map(([k, v]) => `${k}: ${String(v)}`)
        .join("\n");
    },
  };
  provider = new Provider(issuer, configuration);
  oidcCallback = provider.callback();

  return {
    issuer,
    clientId,
    clientSecret,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
