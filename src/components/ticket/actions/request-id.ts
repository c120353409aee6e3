/**
 * A retry key for one submission of an agent's action: a double click or a resent request carries
 * the same key, so the server writes it once. getRandomValues works outside secure contexts too.
 */
export function newRequestId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
