import type { BlobStore } from "../../storage/blob-store";
import type { ParsedAttachment } from "../parse/parse-mail";

const ID_LINE = /^(message-id|in-reply-to|references)\s*:\s*((?:<[^>\s]+>\s*)+)/gim;

function idsIn(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(ID_LINE)) out.push(...(m[2]!.match(/<[^>\s]+>/g) ?? []));
  return out;
}

/**
 * A delivery report (Postfix, Exim, Exchange) carries the headers of the mail that bounced in a
 * message/rfc822 or text/rfc822-headers part, not in its own References: those headers say
 * which of our mails (and so which ticket) it is about.
 */
export async function bounceReferences(store: BlobStore, text: string | undefined, attachments: ParsedAttachment[]): Promise<string[]> {
  const ids = idsIn(text ?? "");
  for (const a of attachments) {
    if (!/^(message\/(rfc822|global|global-headers)|text\/rfc822-headers)$/i.test(a.contentType)) continue;
    const head = (await store.readBuffer(a.blob.key)).subarray(0, 256 * 1024).toString("utf8");
    ids.push(...idsIn(head.split(/\r?\n\r?\n/)[0] ?? ""));
  }
  return [...new Set(ids)];
}
