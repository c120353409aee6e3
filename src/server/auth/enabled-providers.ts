import { env } from "~/env";

/** The OAuth logins switched on by settings (both the client id and its secret set). */
export function enabledOAuthProviders(): Array<"google" | "facebook"> {
  const out: Array<"google" | "facebook"> = [];
  if (env.GOOGLE_CLIENT_ID && env.GOOGLE_CLIENT_SECRET) out.push("google");
  if (env.FACEBOOK_CLIENT_ID && env.FACEBOOK_CLIENT_SECRET) out.push("facebook");
  return out;
}
