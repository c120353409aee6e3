import { request as http } from "node:http";
import { expect, test } from "@playwright/test";

// The e2e app runs with WEB_PROCESSES=2 (global-setup.ts). Each fresh connection goes to one of them.
function freshGet(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http(url, { headers: { connection: "close", ...headers }, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (c: string) => (body += c)).on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject).end();
  });
}

const healthCount = (text: string) =>
  [...text.matchAll(/^http_request_duration_seconds_count\{method="GET",route="health",status="2xx"\} (\d+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);

test("a scrape of /metrics counts the requests of every web process, whichever process answers it", async () => {
  const base = process.env.E2E_BASE_URL!;
  const auth = { authorization: `Bearer ${process.env.E2E_METRICS_TOKEN}` };
  const before = healthCount((await freshGet(`${base}/metrics`, auth)).body);
  const N = 30;
  for (let i = 0; i < N; i++) expect((await freshGet(`${base}/api/health`)).status).toBe(200);
  // Several scrapes, so some land on each process: every one of them sees all N.
  for (let i = 0; i < 4; i++) {
    const scrape = await freshGet(`${base}/metrics`, auth);
    expect(scrape.status).toBe(200);
    expect(healthCount(scrape.body) - before).toBeGreaterThanOrEqual(N);
    // The queues are one reading, not one per process.
    expect(scrape.body).toMatch(/^bullmq_queue_jobs\{queue="notifications",state="waiting"\} \d+$/m);
  }
});
