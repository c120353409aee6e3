// Placeholders of canned replies, shared by the server (validation at save, filling for a ticket)
// and the admin page (its preview). A reply is plain text, never HTML: a filled value is inserted
// as text and escaped with the rest of the reply when it is sent (tickets/message-body.ts).

export const CANNED_TITLE_MAX = 120;
export const CANNED_BODY_MAX = 20_000;
export const CANNED_LANGUAGES = ["es", "en"] as const;
export type CannedLanguage = (typeof CANNED_LANGUAGES)[number];

export type PlaceholderKey = "customerName" | "ticketNumber" | "agentName";

/** Each placeholder by its Spanish name first (what the admin page offers), then its English alias. */
export const PLACEHOLDERS: ReadonlyArray<{ key: PlaceholderKey; names: readonly [string, string] }> = [
  { key: "customerName", names: ["cliente.nombre", "customer.name"] },
  { key: "ticketNumber", names: ["ticket.numero", "ticket.number"] },
  { key: "agentName", names: ["agente.nombre", "agent.name"] },
];

const byName = new Map(PLACEHOLDERS.flatMap((p) => p.names.map((n) => [n, p.key] as const)));

/** `{{ name }}`: spaces inside the braces are allowed, braces are not. */
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The placeholders in `body` that are not ours, as written (e.g. "{{cliente.apellido}}"), once each. */
export function unknownPlaceholders(body: string): string[] {
  const unknown = new Set<string>();
  for (const m of body.matchAll(PLACEHOLDER)) if (!byName.has(m[1]!.toLowerCase())) unknown.add(m[0]);
  return [...unknown];
}

/**
 * The reply with every known placeholder replaced, in one pass: a value that itself looks like a
 * placeholder (a customer named "{{agente.nombre}}") stays as it is.
 */
export function fillPlaceholders(body: string, values: Record<PlaceholderKey, string>): string {
  return body.replace(PLACEHOLDER, (whole, name: string) => {
    const key = byName.get(name.toLowerCase());
    return key ? values[key] : whole;
  });
}
