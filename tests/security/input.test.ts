// Point 6 of the security issue: every tRPC input is strict, text with a NUL or a lone surrogate is
// refused with a localized 400 before anything is written, and a malformed callbackUrl is no 500.
import { transformer } from "~/shared/transformer";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { core } from "zod";
import { env } from "~/env";
import { appRouter } from "~/server/api/root";
import { startServer, type RunningServer } from "~/server/http/create-server";
import { callerFor, db, makeUser, sessionCookie, testDeps } from "../support/fixtures";

async function failure(p: Promise<unknown>): Promise<TRPCError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(TRPCError);
  return err as TRPCError;
}

type Schema = { _zod: { def: Record<string, unknown> & { type: string } } };

/** Every object schema reachable from this one, through wrappers, arrays, unions and pipes. */
function objectsIn(schema: Schema, seen = new Set<Schema>()): Schema[] {
  if (!schema?._zod || seen.has(schema)) return [];
  seen.add(schema);
  const def = schema._zod.def;
  const children: Schema[] = [];
  if (def.type === "object") {
    children.push(...Object.values((def as unknown as core.$ZodObjectDef).shape as unknown as Record<string, Schema>));
  }
  for (const key of ["innerType", "element", "in", "out", "left", "right"]) if (def[key]) children.push(def[key] as Schema);
  if (Array.isArray(def.options)) children.push(...(def.options as Schema[]));
  return [...(def.type === "object" ? [schema] : []), ...children.flatMap((c) => objectsIn(c, seen))];
}

describe("strict inputs", () => {
  it("every procedure's input, nested objects included, refuses unknown keys", () => {
    const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { inputs: Schema[] } }>);
    expect(procedures.length).toBeGreaterThan(30);
    const loose: string[] = [];
    for (const [name, proc] of procedures) {
      for (const input of proc._def.inputs) {
        for (const obj of objectsIn(input)) {
          const catchall = (obj._zod.def as { catchall?: Schema }).catchall;
          if (catchall?._zod.def.type !== "never") loose.push(name);
        }
      }
    }
    expect(loose).toEqual([]);
  });

  it("an unknown key is a 400 naming it, in the caller's language, and nothing is created", async () => {
    const { deps } = testDeps();
    const customer = await makeUser();
    const before = await db.ticket.count({ where: { requesterId: customer.id } });
    const input = { subject: "Hola", description: "Texto", priority: "LOW", requesterId: "someone-else" } as never;
    const es = await failure((await callerFor(deps, customer.id)).ticket.create(input));
    expect(es.code).toBe("BAD_REQUEST");
    expect(es.message).toBe("La solicitud incluye campos no admitidos: requesterId.");
    const en = await failure((await callerFor(deps, customer.id, { locale: "en" })).ticket.create(input));
    expect(en.message).toBe("The request includes fields that are not accepted: requesterId.");
    expect(await db.ticket.count({ where: { requesterId: customer.id } })).toBe(before);
  });

  it("the keys tRPC's own infinite query adds (cursor, direction) are part of ticket.list's input", async () => {
    const { deps } = testDeps();
    const customer = await makeUser();
    const page = await (await callerFor(deps, customer.id)).ticket.list({ limit: 10, cursor: null, direction: "forward" });
    expect(page.items).toEqual([]);
  });
});

describe("text that cannot be stored", () => {
  const bad = { nul: "Impresora\u0000rota", highSurrogate: "Impresora \ud83d rota", lowSurrogate: "Impresora \ude00 rota" };

  for (const [kind, text] of Object.entries(bad)) {
    it(`a ${kind} in a subject, a reply or a profile name is a localized 400 and changes nothing`, async () => {
      const { deps } = testDeps();
      const customer = await makeUser("CUSTOMER", { name: "Nombre Original" });
      const api = await callerFor(deps, customer.id);
      const ticket = await api.ticket.create({ subject: "Válido", description: "Texto válido 😀", priority: "LOW" });

      const create = await failure(api.ticket.create({ subject: text, description: "x", priority: "LOW" }));
      expect(create.code).toBe("BAD_REQUEST");
      expect(create.message).toMatch(/^El texto contiene caracteres no válidos/);
      const reply = await failure(api.ticket.reply({ ticketId: ticket.id, body: text }));
      expect(reply.code).toBe("BAD_REQUEST");
      const profile = await failure((await callerFor(deps, customer.id, { locale: "en" })).user.updateProfile({ name: text }));
      expect(profile.message).toMatch(/^The text contains invalid characters/);

      expect(await db.ticket.count({ where: { requesterId: customer.id } })).toBe(1);
      expect(await db.message.count({ where: { ticketId: ticket.id } })).toBe(1);
      expect((await db.user.findUniqueOrThrow({ where: { id: customer.id } })).name).toBe("Nombre Original");
    });
  }

  it("a well-formed astral character (a surrogate pair) is kept", async () => {
    const { deps } = testDeps();
    const customer = await makeUser();
    const created = await (await callerFor(deps, customer.id)).ticket.create({ subject: "Gracias 🙏", description: "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", priority: "LOW" });
    expect((await db.ticket.findUniqueOrThrow({ where: { id: created.id } })).subject).toBe("Gracias 🙏");
  });
});

describe("over HTTP", () => {
  let server: RunningServer;
  let nextCalls: string[] = [];
  let nextCookies: Array<string | undefined> = [];
  beforeAll(async () => {
    // A stand-in for Next.js that fails like next-auth does on a bad callbackUrl: the guard must answer first.
    server = await startServer({
      env: { ...env, PORT: 0, HOST: "127.0.0.1" },
      next: (req, res) => {
        nextCalls.push(req.url ?? "");
        nextCookies.push(req.headers.cookie);
        res.writeHead(req.url?.includes("callbackUrl=http%3A%2F%2F%5B") ? 500 : 200).end("next");
      },
    });
  });
  afterAll(async () => server?.close());

  it("a NUL in a tRPC mutation sent by a browser is a 400 with the Spanish message, not a 500", async () => {
    const user = await makeUser();
    const res = await fetch(`${server.url}/api/trpc/user.updateProfile`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: await sessionCookie(user.id) },
      body: JSON.stringify(transformer.serialize({ name: "a\u0000b" })),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: unknown };
    expect((transformer.deserialize(body.error) as { message: string }).message).toMatch(/^El texto contiene caracteres no válidos/);
  });

  it("a body that is not the transformer's format (or tries __proto__) is a 400, not a 500", async () => {
    const user = await makeUser();
    for (const body of ['"not devalue"', JSON.stringify('[{"__proto__":1},{"role":2}]'), JSON.stringify({ json: { name: "x" } })]) {
      const res = await fetch(`${server.url}/api/trpc/user.updateProfile`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie: await sessionCookie(user.id) },
        body,
      });
      expect(res.status, body).toBe(400);
    }
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).name).toBe(user.name);
  });

  it("an unknown key over HTTP is a 400, not silently dropped", async () => {
    const user = await makeUser();
    const res = await fetch(`${server.url}/api/trpc/user.updateProfile`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: await sessionCookie(user.id) },
      body: JSON.stringify(transformer.serialize({ name: "Nuevo", role: "ADMIN" })),
    });
    expect(res.status).toBe(400);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).name).toBe(user.name);
  });

  it("a malformed callbackUrl on sign-in is a localized 400 and never reaches next-auth", async () => {
    nextCalls = [];
    for (const bad of ["http://[", "%E0%A4%A", "javascript:alert(1)"]) {
      const res = await fetch(`${server.url}/api/auth/signin?callbackUrl=${encodeURIComponent(bad)}`, { redirect: "manual" });
      expect(res.status, bad).toBe(400);
      expect(((await res.json()) as { message: string }).message).toBe("El enlace de acceso no es válido: vuelva a la página de inicio de sesión.");
    }
    expect(nextCalls).toEqual([]);
    const ok = await fetch(`${server.url}/api/auth/signin?callbackUrl=${encodeURIComponent("/portal")}`, { redirect: "manual" });
    expect(ok.status).toBe(200);
  });

  it("a malformed callback-url cookie is dropped before next-auth reads it", async () => {
    nextCalls = [];
    nextCookies = [];
    const res = await fetch(`${server.url}/api/auth/session`, { headers: { cookie: "next-auth.callback-url=http%3A%2F%2F%5B; vt-locale=es" } });
    expect(res.status).toBe(200);
    expect(nextCalls).toEqual(["/api/auth/session"]);
    expect(nextCookies[0]).not.toContain("callback-url");
    expect(nextCookies[0]).toContain("vt-locale=es");
    // A well-formed one passes untouched.
    await fetch(`${server.url}/api/auth/session`, { headers: { cookie: "next-auth.callback-url=%2Fportal" } });
    expect(nextCookies[1]).toBe("next-auth.callback-url=%2Fportal");
  });
});

describe("the transformer refuses payloads built to make the server work", () => {
  it("sparse arrays, shared containers, unknown types and references out of range; ordinary inputs pass, with shared strings", () => {
    const ok = { status: ["OPEN", "OPEN"], priority: ["HIGH"], subject: "x", n: [1, 1], when: new Date(0), none: undefined };
    expect(transformer.deserialize(transformer.serialize(ok))).toEqual(ok);
    for (const bad of [
      '[{"subject":1},[-7,4294967295]]', // a sparse array of 4 billion slots
      '[[1,1],[2,2],[3,3],[]]', // each level shared twice: 2^depth visits
      '[{"a":1},["Set",2],1]', // a type other than Date
      '[{"a":5}]', // out of range
      '[{"a":-8}]',
      '[[0]]', // the root inside itself
      "[]",
    ]) {
      expect(() => transformer.deserialize(bad), bad).toThrow();
    }
  });
});
