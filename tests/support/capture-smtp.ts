// A real SMTP server on a free loopback port that parses each mail and asks the test what to answer.
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

/** Return an Error (with `responseCode`) to refuse the delivery; anything else accepts it. */
export type OnMail = (mail: ParsedMail, rcpt: string[]) => Error | void;

/** `afterReply` runs once the server has answered (tests wake their waiters there). */
export async function startCaptureSmtp(onMail: OnMail, afterReply: () => void = () => {}): Promise<{ port: number; close(): Promise<void> }> {
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          callback(onMail(mail, session.envelope.rcptTo.map((r) => r.address.toLowerCase())) ?? undefined);
          afterReply();
        },
        (err: Error) => callback(err),
      );
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    smtp.on("error", reject);
    smtp.listen(0, "127.0.0.1", () => resolve((smtp.server.address() as AddressInfo).port));
  });
  return { port, close: () => new Promise<void>((resolve) => smtp.close(() => resolve())) };
}
