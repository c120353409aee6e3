import { createHmac, randomBytes } from "node:crypto";

// Stripe-like signatures: `Ventanilla-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>` where the
// HMAC's key is the webhook's secret (the whole `whsec_…` string) and its message is
// `<t>.<raw body>`. The receiver recomputes it over the bytes it received and checks t is recent.

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

export function signatureHeader(secret: string, timestampSeconds: number, body: string): string {
  const v1 = createHmac("sha256", secret).update(`${timestampSeconds}.${body}`).digest("hex");
  return `t=${timestampSeconds},v1=${v1}`;
}
