import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; // Crockford base32: no I, L, O, U

function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = "";
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

/** 80 random bits as 16 Crockford characters in groups of four, e.g. `7KQ2-M9XD-4HPR-T3WA`. */
export function newTrackingId(): string {
  return base32(randomBytes(10)).match(/.{4}/g)!.join("-");
}

/** 120 random bits, lower case, for a ticket's reply address `soporte+<token>@…`. */
export function newReplyToken(): string {
  return base32(randomBytes(15)).toLowerCase();
}

export function normalizeTrackingId(input: string): string {
  return input.toUpperCase().replace(/[^0-9A-Z]/g, "").replace(/(.{4})(?=.)/g, "$1-");
}
