import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { authOptions } from "~/server/auth/options";
import { serverApp } from "~/server/http/server-app";

type RouteContext = { params: Promise<{ nextauth: string[] }> };

// On the web server's own dependencies (one pool per process), looked up when a request comes.
function handler(req: NextRequest, ctx: RouteContext): Promise<Response> {
  return NextAuth(req, ctx, authOptions(serverApp().deps));
}
export { handler as GET, handler as POST };
