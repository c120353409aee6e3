import type { Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { signInOn } from "./support/sign-in";

// The real pages under the strict CSP: Next.js's scripts carry the nonce and everything still works.
// Any script, style, frame or connection the policy refuses is reported by the browser as a
// `securitypolicyviolation` event; the test collects them and expects none.

async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener("securitypolicyviolation", (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const console: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) console.push(m.text());
  });
  return async () => [...console, ...(await page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []))];
}

test("pages run under a nonce-based CSP with no violations, and a signed-in customer can work", async ({ page, customerAccount }) => {
  const violations = await watchViolations(page);
  const login = await page.goto("/login");
  const csp = login!.headers()["content-security-policy"]!;
  expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  expect(csp).toContain("frame-ancestors 'none'");
  const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
  // Every script element in the document carries this response's nonce.
  const scripts = await page.locator("script").evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).nonce));
  expect(scripts.length).toBeGreaterThan(0);
  expect(new Set(scripts)).toEqual(new Set([nonce]));

  await signInOn(page, customerAccount);
  await expect(page).toHaveURL(/\/portal$/);
  await expect(page.getByRole("heading", { name: "Mis tickets" })).toBeVisible();
  await page.goto("/portal/tickets/new");
  await page.getByLabel("Asunto").fill("impresora");
  await page.goto("/kb");
  await expect(page.getByRole("heading").first()).toBeVisible();
  expect(await violations()).toEqual([]);
});

test("a malformed callbackUrl on sign-in is refused with a clear 400, not a 500", async ({ request }) => {
  for (const bad of ["http://[", "javascript:alert(1)"]) {
    const res = await request.get(`/api/auth/signin?callbackUrl=${encodeURIComponent(bad)}`, { maxRedirects: 0 });
    expect(res.status()).toBe(400);
    expect((await res.json()).message).toContain("El enlace de acceso no es válido");
  }
});
