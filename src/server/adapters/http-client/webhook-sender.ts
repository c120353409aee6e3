import { lookup as dnsLookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { AppError } from "~/server/errors";
import { DEFAULT_SEND_LIMITS, type SendLimits, type WebhookResponse, type WebhookSender } from "~/server/modules/webhooks/sender";
import { checkTargetUrl, resolvePublicTarget, type ResolvedAddress, type Resolver, type TargetPolicy } from "~/server/modules/webhooks/target-guard";

/** The system resolver (getaddrinfo), every address of the name. */
export const systemResolver: Resolver = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }) satisfies ResolvedAddress);

/**
 * The socket's own lookup: it resolves once through the guard and connects to the very address the
 * guard accepted. Node calls it with `all: true` when it races address families (autoSelectFamily).
 */
function guardedLookup(policy: TargetPolicy): LookupFunction {
  return (hostname, options, callback) => {
    resolvePublicTarget(hostname, policy).then(
      (a) => {
        if ((options as { all?: boolean }).all) (callback as unknown as (e: null, list: Array<{ address: string; family: number }>) => void)(null, [{ address: a.address, family: a.family }]);
        else callback(null, a.address, a.family);
      },
      (err: unknown) => callback(Object.assign(new Error(err instanceof AppError ? err.code : String(err)), { code: err instanceof AppError ? err.code : "ENOTFOUND" }) as NodeJS.ErrnoException, "", 0),
    );
  };
}

/**
 * POSTs deliveries: the guard checks the URL's shape first, then the socket connects only to a
 * checked address; redirects are not followed (a 3xx is a failed attempt); connect and response
 * are timed out; at most `maxBodyBytes` of the answer are read.
 */
export function createWebhookSender(policy: TargetPolicy, limits: SendLimits = DEFAULT_SEND_LIMITS): WebhookSender {
  // Kept-alive sockets were opened to a checked address; one agent pair per policy.
  const agents = { http: new http.Agent({ keepAlive: true, maxSockets: 64 }), https: new https.Agent({ keepAlive: true, maxSockets: 64 }) };
  const lookup = guardedLookup(policy);

  function post(rawUrl: string, body: string, headers: Record<string, string>): Promise<WebhookResponse> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    let url: URL;
    try {
      url = checkTargetUrl(rawUrl, policy);
    } catch (err) {
      return Promise.resolve({ statusCode: null, durationMs: elapsed(), body: null, error: err instanceof AppError ? err.code : String(err), refused: true });
    }
    // An IP literal never goes through `lookup`: checkTargetUrl has just checked it.
    return new Promise<WebhookResponse>((resolve) => {
      let settled = false;
      const finish = (r: Omit<WebhookResponse, "durationMs">) => {
        if (settled) return;
        settled = true;
        clearTimeout(connectTimer);
        clearTimeout(responseTimer);
        resolve({ ...r, durationMs: elapsed() });
      };
      const lib = url.protocol === "https:" ? https : http;
      const req = lib.request(url, {
        method: "POST",
        agent: url.protocol === "https:" ? agents.https : agents.http,
        lookup,
        headers: { ...headers, "content-type": "application/json", "content-length": String(Buffer.byteLength(body)), "user-agent": "Ventanilla-Webhooks/1" },
      });
      const connectTimer = setTimeout(() => req.destroy(new Error("CONNECT_TIMEOUT")), limits.connectTimeoutMs);
      const responseTimer = setTimeout(() => req.destroy(new Error("RESPONSE_TIMEOUT")), limits.responseTimeoutMs);
      req.on("socket", (socket) => {
        // A reused keep-alive socket is already connected.
        if (!socket.connecting) clearTimeout(connectTimer);
        else socket.once("connect", () => clearTimeout(connectTimer));
      });
      req.on("error", (err: NodeJS.ErrnoException) => {
        const code = err.code ?? err.message;
        // A name that does not resolve may resolve later (retried); a refused address will not.
        finish({ statusCode: null, body: null, error: code, refused: code === "WEBHOOK_TARGET_REFUSED" });
      });
      req.on("response", (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = (error: string | null) => finish({ statusCode: res.statusCode ?? null, body: Buffer.concat(chunks).toString("utf8"), error, refused: false });
        res.on("data", (chunk: Buffer) => {
          const room = limits.maxBodyBytes - size;
          if (room > 0) chunks.push(chunk.subarray(0, room));
          size += chunk.length;
          if (size >= limits.maxBodyBytes) {
            done(null);
            // The rest is not read: this socket is not reused.
            res.destroy();
          }
        });
        res.on("end", () => done(null));
        res.on("error", () => done("RESPONSE_ABORTED"));
        res.on("close", () => done(res.complete ? null : "RESPONSE_ABORTED"));
      });
      req.end(body);
    });
  }

  return {
    post,
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
