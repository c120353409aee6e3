import { PrismaAdapter } from "@next-auth/prisma-adapter";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import FacebookProvider from "next-auth/providers/facebook";
import GoogleProvider from "next-auth/providers/google";
import type { Provider } from "next-auth/providers/index";
import { env, publicUrl } from "~/env";
import type { Deps } from "~/server/modules/deps";
import { processLogger } from "~/server/observability/process-logger";
import { authorizeCredentials } from "./credentials";
import { normalizeEmail, oauthSignInCallback, revocationAwareDecode } from "./oauth-linking";

function providers(deps: AuthDeps): Provider[] {
  const list: Provider[] = [
    CredentialsProvider({
      name: "credentials",
      credentials: { email: { type: "email" }, password: { type: "password" } },
      authorize: (raw, req) => authorizeCredentials(raw, req, deps),
    }),
  ];
  // No provider sets allowDangerousEmailAccountLinking: the signIn callback (oauth-linking.ts) is the
  // only code that links a provider login to an existing user, and only when the provider verified
  // the address (Google) or the user is signed in. Addresses are lower-cased like every other path.
  if (env.GOOGLE_CLIENT_ID && env.GOOGLE_CLIENT_SECRET) {
    list.push(
      GoogleProvider({
        clientId: env.GOOGLE_CLIENT_ID,
        clientSecret: env.GOOGLE_CLIENT_SECRET,
        profile: (p) => ({ id: p.sub, name: p.name, email: normalizeEmail(p.email), image: p.picture }),
        // Another OpenID provider in Google's place: openid-client discovers its endpoints and keys
        // from this document (and checks that the tokens' `iss` is that issuer).
        ...(env.GOOGLE_ISSUER && { wellKnown: `${env.GOOGLE_ISSUER.replace(/\/+$/, "")}/.well-known/openid-configuration` }),
      }),
    );
  }
  if (env.FACEBOOK_CLIENT_ID && env.FACEBOOK_CLIENT_SECRET) {
    list.push(
      FacebookProvider({
        clientId: env.FACEBOOK_CLIENT_ID,
        clientSecret: env.FACEBOOK_CLIENT_SECRET,
        // Another OAuth 2.0 server in Facebook's place (the browser tests'); next-auth merges these
        // over the provider's defaults, so the userinfo request and its `fields` stay Facebook's.
        ...(env.FACEBOOK_AUTHORIZATION_URL &&
          env.FACEBOOK_TOKEN_URL &&
          env.FACEBOOK_USERINFO_URL && {
            authorization: { url: env.FACEBOOK_AUTHORIZATION_URL, params: { scope: "email" } },
            token: env.FACEBOOK_TOKEN_URL,
            userinfo: { url: env.FACEBOOK_USERINFO_URL, params: { fields: "id,name,email" } },
          }),
        profile: (p: { id: string; name?: string; email?: string; picture?: { data?: { url?: string } } }) => ({
          id: p.id,
          name: p.name ?? null,
          email: normalizeEmail(p.email),
          image: p.picture?.data?.url ?? null,
        }),
      }),
    );
  }
  return list;
}

export const SESSION_MAX_AGE = 30 * 24 * 3600;

export type AuthDeps = Pick<Deps, "db" | "rateLimits" | "secrets">;

const built = new WeakMap<AuthDeps, NextAuthOptions>();

/** next-auth's options over this process's dependencies (the web server's: src/server/http/server-app.ts), built once. */
export function authOptions(deps: AuthDeps): NextAuthOptions {
  let options = built.get(deps);
  if (!options) built.set(deps, (options = buildAuthOptions(deps)));
  return options;
}

// Credentials logins require JWT sessions in next-auth v4; every request re-reads the user
// (src/server/auth/session.ts), so a deleted user or changed role takes effect at once.
function buildAuthOptions(deps: AuthDeps): NextAuthOptions {
  const { db } = deps;
  return {
    adapter: PrismaAdapter(db as never),
    secret: deps.secrets.session,
    // `__Secure-` cookies with the Secure flag whenever the public address is https (behind a TLS proxy too).
    useSecureCookies: publicUrl(env).startsWith("https:"),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE },
    // Every error, next-auth's own and the signIn callback's refusals, lands on the login page.
    pages: { signIn: "/login", error: "/login" },
    // Sessions revoked by sessionsValidAfter are no sessions to next-auth either (oauth-linking.ts).
    jwt: { decode: revocationAwareDecode(db) },
    providers: providers(deps),
    callbacks: {
      signIn: oauthSignInCallback({
        db,
        secret: deps.secrets.session,
        cookieHeader: async () => {
          const { headers } = await import("next/headers");
          return (await headers()).get("cookie");
        },
        log: (message, err) => processLogger("auth").error({ err }, message),
      }),
      jwt({ token, user }) {
        // At sign-in only: when this session began, which re-issued cookies keep (session.ts). A
        // password sign-in began when its check began (credentials.ts), so a revocation that lands
        // while the password is being verified still ends it.
        if (user) {
          token.sub = user.id;
          const began = (user as { authTime?: unknown }).authTime;
          token.authTime = typeof began === "number" ? began : Date.now();
        }
        return token;
      },
      // next-auth's own redirect does `new URL()` unguarded: a malformed callbackUrl in a POST body
      // would be a 500. Same-origin or relative only; anything else goes home.
      redirect({ url, baseUrl }) {
        try {
          if (url.startsWith("/") && !url.startsWith("//")) return new URL(url, baseUrl).toString();
          return new URL(url).origin === baseUrl ? url : baseUrl;
        } catch {
          return baseUrl;
        }
      },
      session({ session, token }) {
        if (session.user && token.sub) (session.user as { id?: string }).id = token.sub;
        return session;
      },
    },
  };
}
