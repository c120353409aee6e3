import { expect } from "@playwright/test";
import { receivedMail } from "./mailbox";

type Mail = Awaited<ReturnType<typeof receivedMail>>[number];
const recipients = (m: Mail) => (Array.isArray(m.to) ? m.to : m.to ? [m.to] : []).flatMap((a) => a.value.map((v) => v.address?.toLowerCase()));

/** Waits for a mail to `to` with this subject (received by the test's SMTP server) and returns it. */
export async function waitForMail(to: string, subject: string, opts: { after?: number } = {}): Promise<Mail> {
  let found: Mail | undefined;
  await expect
    .poll(
      async () => {
        const mails = (await receivedMail()).filter((m) => recipients(m).includes(to.toLowerCase()) && m.subject === subject);
        found = mails[opts.after ?? 0];
        return !!found;
      },
      { timeout: 20_000 },
    )
    .toBe(true);
  return found!;
}

/** The app's link at `path` in a mail's text, checked to point at the app under test (PUBLIC_URL). */
export function linkIn(mail: Mail, path: string): string {
  const link = new RegExp(`https?://\\S+/${path}/[A-Za-z0-9_-]+`).exec(mail.text ?? "")?.[0];
  expect(link, mail.text).toBeDefined();
  expect(link!.startsWith(`${process.env.E2E_BASE_URL}/${path}/`)).toBe(true);
  return link!;
}
