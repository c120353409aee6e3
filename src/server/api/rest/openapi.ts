import { generateOpenApiDocument, type OpenAPIObject } from "trpc-to-openapi";
import { apiV1Router } from "./router";

export const API_V1_BASE = "/api/v1";

let cached: OpenAPIObject | null = null;

type Json = Record<string, unknown>;

const RATE_HEADERS = {
  "RateLimit-Limit": { description: "Requests this token may make per window.", schema: { type: "integer" } },
  "RateLimit-Remaining": { description: "Requests left in this window.", schema: { type: "integer" } },
  "RateLimit-Reset": { description: "Seconds until the window resets.", schema: { type: "integer" } },
};

/**
 * What the adapter does not say by itself: the error body's own fields (appCode: the app's error
 * code; fieldErrors: localized messages per input field), the rate limit's headers and 429, and the
 * Idempotency-Key header of creates.
 */
function complete(doc: OpenAPIObject): OpenAPIObject {
  const schemas = (doc.components?.schemas ?? {}) as Record<string, Json>;
  const errorSchema = (code: string, title: string): Json => ({
    type: "object",
    title,
    properties: {
      message: { type: "string", description: "What went wrong, in the token user's language." },
      code: { type: "string", description: "The HTTP-level code.", example: code },
      appCode: { type: ["string", "null"], description: "The application's error code (TICKET_NOT_FOUND, API_TOKEN_READ_ONLY, …)." },
      fieldErrors: { type: ["object", "null"], additionalProperties: { type: "array", items: { type: "string" } }, description: "Messages per input field (validation errors)." },
      issues: { type: "array", items: { type: "object", properties: { message: { type: "string" } }, required: ["message"] } },
    },
    required: ["message", "code"],
  });
  for (const [name, schema] of Object.entries(schemas)) {
    if (name.startsWith("error.")) schemas[name] = errorSchema(name.slice("error.".length), String(schema.title ?? name));
  }
  schemas["error.TOO_MANY_REQUESTS"] = errorSchema("TOO_MANY_REQUESTS", "Too many requests (429)");
  for (const item of Object.values(doc.paths ?? {}) as Json[]) {
    for (const [method, op] of Object.entries(item) as Array<[string, Json]>) {
      const responses = op.responses as Record<string, Json>;
      for (const [status, response] of Object.entries(responses)) {
        if (status !== "401") response.headers = { ...(response.headers as Json | undefined), ...RATE_HEADERS };
      }
      responses["429"] = {
        description: "Over the token's request budget (or too many failed tokens from this address)",
        headers: { "Retry-After": { description: "Seconds to wait.", schema: { type: "integer" } }, ...RATE_HEADERS },
        content: { "application/json": { schema: { $ref: "#/components/schemas/error.TOO_MANY_REQUESTS" } } },
      };
      if (method === "post") {
        op.parameters = [
          ...((op.parameters as Json[] | undefined) ?? []),
          { in: "header", name: "Idempotency-Key", required: false, description: "Any unique string (a UUID): a retry with the same key and body within 24 hours returns the first answer (header Idempotent-Replayed: true) and changes nothing.", schema: { type: "string", minLength: 1, maxLength: 255 } },
        ];
        responses["409"] ??= { description: "The first request with this Idempotency-Key is still running", content: { "application/json": { schema: { $ref: "#/components/schemas/error.CONFLICT" } } } };
        responses["422"] = { description: "This Idempotency-Key was used with another request", content: { "application/json": { schema: { $ref: "#/components/schemas/error.UNPROCESSABLE_CONTENT" } } } };
      }
    }
  }
  schemas["error.CONFLICT"] ??= errorSchema("CONFLICT", "Conflict (409)");
  schemas["error.UNPROCESSABLE_CONTENT"] = errorSchema("UNPROCESSABLE_CONTENT", "Idempotency key reused (422)");
  return doc;
}

/** The OpenAPI 3.1 document of /api/v1, built from the routes' own zod schemas (once per process). */
export function apiV1Document(): OpenAPIObject {
  cached ??= complete(generateOpenApiDocument(apiV1Router, {
    title: "Ventanilla API",
    version: "1.0.0",
    description:
      "The integration API: tickets, people, organizations and the knowledge base, as the token's user sees them. " +
      "Authenticate with `Authorization: Bearer vnt_…` (a personal token made at /agent/tokens, or a service token an admin makes at /admin/api). " +
      "Read tokens may only read. Every answer carries `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`; over the limit, 429 with `Retry-After`. " +
      "Creates accept an `Idempotency-Key` header (kept 24 hours): a retry returns the first answer. Lists page with `cursor` = the previous page's `nextCursor`.",
    baseUrl: API_V1_BASE,
    tags: ["tickets", "users", "organizations", "knowledge-base", "admin"],
    securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "An API token: vnt_ followed by 43 characters." } },
  }));
  return cached;
}
