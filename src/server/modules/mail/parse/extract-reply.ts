/**
 * The new part of a mail reply: the quoted history ("El … escribió:", "On … wrote:", "> " lines,
 * Outlook's "-----Original Message-----" / "De: … Enviado: …" blocks) and the signature ("-- ")
 * are cut. The original is always stored too; this only decides what the thread shows first.
 */
const QUOTE_HEADERS = [
  /^\s*(El|On|Le|Am|Il)\s.+\s(escribió|wrote|a écrit|schrieb|ha scritto)\s*:?\s*$/i,
  /^\s*-{2,}\s*(Original Message|Mensaje original|Forwarded message|Mensaje reenviado)\s*-{2,}\s*$/i,
  /^\s*_{10,}\s*$/,
  /^\s*(De|From)\s*:\s.+$/i,
];

export function extractReply(text: string): { reply: string; folded: boolean } {
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const next = lines[i + 1] ?? "";
    // "On Mon, … <x@y>" often wraps before "wrote:".
    const joined = `${line} ${next}`;
    if (QUOTE_HEADERS.some((re) => re.test(line)) || (/^\s*(El|On)\s/i.test(line) && QUOTE_HEADERS[0]!.test(joined))) {
      // "De:" alone is only a quote header when followed by the other Outlook fields.
      if (/^\s*(De|From)\s*:/i.test(line) && !/^\s*(Enviado|Sent|Para|To|Fecha|Date)\s*:/i.test(next)) continue;
      end = i;
      break;
    }
    if (/^>/.test(line)) {
      end = i;
      break;
    }
    if (line === "-- " || line === "--") {
      end = i;
      break;
    }
  }
  const reply = lines.slice(0, end).join("\n").trim();
  // A mail that is all quote (e.g. a forward with no comment) keeps its whole text.
  if (!reply) return { reply: text.trim(), folded: false };
  return { reply, folded: end < lines.length };
}
