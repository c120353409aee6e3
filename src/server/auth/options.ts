import { PrismaAdapter } from "@next-auth/prisma-adapter";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import FacebookProvider from "next-auth/providers/facebook";
import GoogleProvider from "next-auth/providers/google";
import type { Provider } from "next-auth/providers/index";
import { z } from "zod";
import { env } from "~/env";
import { db } from "~/server/db/client";
import { verifyPassword } from "./password";

const credentials = z.object({ email: z.string().trim().toLowerCase().email().max(320), password: z.string().min(1).max(1024) });

function providers(): Provider[] {
  const list: Provider[] = [
    CredentialsProvider({
      name: "credentials",
      credentials: { email: { type: "email" }, password: { type: "password" } },
      async authorize(raw) {
        const parsed = credentials.safeParse(raw);
        if (!parsed.success) return null;
        const user = await db.user.findUnique({ where: { email: parsed.data.email } });
        const ok = await verifyPassword(user?.passwordHash, parsed.data.password);
        return ok && user ? { id: user.id, email: user.email, name: user.name } : null;
      },
    }),
  ];
  // Google verifies addresses, so a customer first known by email may link their Google login.
  if (env.GOOGLE_CLIENT_ID && env.GOOGLE_CLIENT_SECRET) {
    list.push(
      GoogleProvider({
        clientId: env.GOOGLE_CLIENT_ID,
        clientSecret: env.GOOGLE_CLIENT_SECRET,
        allowDangerousEmailAccountLinking: true,
        // Another OpenID provider in Google's place: openid-client discovers its endpoints and keys
        // from this document (and checks that the tokens' `iss` is that issuer).
        ...(env.GOOGLE_ISSUER && { wellKnown: `${env.GOOGLE_ISSUER.replace(/\/+$/, "")}/.well-known/openid-configuration` }),
      }),
    );
  }
  if (env.FACEBOOK_CLIENT_ID && env.FACEBOOK_CLIENT_SECRET) {
    list.push(FacebookProvider({ clientId: env.FACEBOOK_CLIENT_ID, clientSecret: env.FACEBOOK_CLIENT_SECRET }));
  }
  return list;
}

export function enabledOAuthProviders(): Array<"google" | "facebook"> {
  const out: Array<"google" | "facebook"> = [];
  if (env.GOOGLE_CLIENT_ID && env.GOOGLE_CLIENT_SECRET) out.push("google");
  if (env.FACEBOOK_CLIENT_ID && env.FACEBOOK_CLIENT_SECRET) out.push("facebook");
  return out;
}

export const SESSION_MAX_AGE = 30 * 24 * 3600;

// Credentials logins require JWT sessions in next-auth v4; every request re-reads the user
// (src/server/auth/session.ts), so a deleted user or changed role takes effect at once.
export const authOptions: NextAuthOptions = {
  adapter: PrismaAdapter(db as never),
  secret: env.NEXTAUTH_SECRET,
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE },
  pages: { signIn: "/login" },
  providers: providers(),
  callbacks: {
    jwt({ token, user }) {
      if (user) token.sub = user.id;
      return token;
    },
    session({ session, token }) {
      if (session.user && token.sub) (session.user as { id?: string }).id = token.sub;
      return session;
    },
  },
};
