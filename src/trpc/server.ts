import { cookies, headers } from "next/headers";
import { cache } from "react";
import { createContext } from "~/server/api/context";
import { appRouter } from "~/server/api/root";
import { createCallerFactory } from "~/server/api/trpc";
import { CLIENT_IP_HEADER } from "~/server/http/client-ip";
import { serverApp } from "~/server/http/server-app";

const createCaller = createCallerFactory(appRouter);

/** The request's cookies as one Cookie header, as the browser sent them. */
export async function requestCookieHeader(): Promise<string> {
  return (await cookies())
    .getAll()
    .map((c) => `${c.name}=${encodeURIComponent(c.value)}`)
    .join("; ");
}

/**
 * Server components call procedures through this caller, once per request: the same context,
 * authorization and validation as the HTTP API, on the web server's own dependencies.
 */
export const serverApi = cache(async () => {
  const app = serverApp();
  // The client address the HTTP server stamped on this request (client-ip.ts), for the rate limits.
  const ip = (await headers()).get(CLIENT_IP_HEADER) ?? undefined;
  return createCaller(await createContext(app.deps, { headers: { cookie: await requestCookieHeader(), [CLIENT_IP_HEADER]: ip } }));
});
