import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { simpleParser, type ParsedMail } from "mailparser";

/** Mail the app sent during this run, as received by the test's SMTP server. */
export async function receivedMail(): Promise<ParsedMail[]> {
  const dir = process.env.E2E_MAIL_DIR!;
  const files = readdirSync(dir).filter((f) => f.endsWith(".eml")).sort();
  return Promise.all(files.map((f) => simpleParser(readFileSync(path.join(dir, f)))));
}
