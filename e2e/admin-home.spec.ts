import { ADMIN_PAGES } from "../src/shared/admin-pages";
import { expect, test } from "./support/fixtures";
import { signIn } from "./support/sign-in";

test("/admin reaches every admin page; agents and customers are sent back to their own pages", async ({ browser, adminAccount, agentAccount, customerAccount }) => {
  // One load per admin page (15 and growing), then three sign-ins: more than the default minute on a busy machine.
  test.setTimeout(150_000);
  const admin = await signIn(browser, adminAccount);
  await admin.setViewportSize({ width: 1280, height: 900 });
  await admin.goto("/agent");
  await admin.getByRole("navigation").getByRole("link", { name: "Administración" }).click();
  await expect(admin).toHaveURL(/\/admin$/);
  // The admin's menu holds one line at 1280 px: every link at the same height.
  const tops = await admin.getByRole("navigation").getByRole("link").evaluateAll((links) => links.map((a) => Math.round(a.getBoundingClientRect().top)));
  expect(new Set(tops).size, `link tops ${tops.join(", ")}`).toBe(1);
  await expect(admin.getByRole("heading", { level: 1, name: "Administración" })).toBeVisible();
  const hrefs = await admin.locator("main a").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
  expect(hrefs.sort()).toEqual(ADMIN_PAGES.map((p) => p.href).sort());
  for (const { href } of ADMIN_PAGES) {
    const response = await admin.goto(href);
    expect(response?.status(), href).toBe(200);
    expect(new URL(admin.url()).pathname, href).toBe(href);
    await expect(admin.getByRole("heading", { level: 1 }), href).toBeVisible();
  }

  const agent = await signIn(browser, agentAccount);
  await agent.goto("/admin");
  await expect(agent).toHaveURL(/\/agent$/);
  const customer = await signIn(browser, customerAccount);
  await customer.goto("/admin");
  await expect(customer).toHaveURL(/\/portal$/);
  // Every admin page, not only the home: each answers a lesser role with a redirect to their own pages
  // (the request carries the signed-in page's cookies), and a visitor with the sign-in page.
  const visitor = await (await browser.newContext()).newPage();
  for (const { href } of ADMIN_PAGES) {
    for (const [who, page, home] of [["agent", agent, "/agent"], ["customer", customer, "/portal"], ["visitor", visitor, "/login"]] as const) {
      const answer = await page.request.get(href, { maxRedirects: 0 });
      expect(answer.status(), `${href} as ${who}`).toBe(307);
      expect(new URL(answer.headers().location ?? "", "http://x").pathname, `${href} as ${who}`).toBe(home);
    }
  }
});
