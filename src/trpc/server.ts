import { cookies } from "next/headers";
import { cache } from "react";
import { createContext } from "~/server/api/context";
import { appRouter } from "~/server/api/root";
import { createCallerFactory } from "~/server/api/trpc";
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
  return createCaller(await createContext(app.deps, app.secret, { headers: { cookie: await requestCookieHeader() } }, app.services));
});
