// How a delivery reaches its URL (adapters/http-client/webhook-sender.ts implements it over node:http).

export interface WebhookResponse {
  /** Null: no HTTP answer (refused target, timeout, connection error; see error). */
  statusCode: number | null;
  durationMs: number;
  /** The first bytes of the answer's body (capped), as text. */
  body: string | null;
  error: string | null;
  /** The target was refused by the SSRF guard: retrying cannot help. */
  refused: boolean;
}

export interface WebhookSender {
  post(url: string, body: string, headers: Record<string, string>): Promise<WebhookResponse>;
  close(): void;
}

/** Ventanilla's default timeouts and caps; tests shorten them. */
export interface SendLimits {
  connectTimeoutMs: number;
  /** From the request's start to the end of the (capped) answer. */
  responseTimeoutMs: number;
  /** Bytes of the answer read and kept for the log; the rest is not read. */
  maxBodyBytes: number;
}

export const DEFAULT_SEND_LIMITS: SendLimits = { connectTimeoutMs: 5_000, responseTimeoutMs: 15_000, maxBodyBytes: 2_048 };
