// What a redemption code looks like: `TSRA-XXXX-XXXX-XXXX-XXXX`, 16 characters of Crockford's
// base32 (0-9 and A-Z without I, L, O, U) from the CSPRNG: 80 random bits, so neither online
// guessing (throttled) nor an offline attack on a leaked hash can find one. What people type is
// normalised first: case, spaces and dashes are ignored, the prefix is optional, and the letters
// Crockford reads as digits are read so (O → 0, I and L → 1).
import { hashSecret } from '../../auth/session-token.ts';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const BODY_LENGTH = 16;
export const CODE_PREFIX = 'TSRA';

/** A fresh code, formatted for people (`TSRA-7Q2M-…`). */
export function generateCode(): string {
  const bytes = new Uint8Array(BODY_LENGTH);
  crypto.getRandomValues(bytes);
  // 256 is a multiple of 32, so `& 31` is unbiased.
  const body = Array.from(bytes, (b) => ALPHABET[b & 31]).join('');
  return `${CODE_PREFIX}-${body.match(/.{4}/g)!.join('-')}`;
}

/** The 16-character body of what was typed, or null when it cannot be a code. */
export function normalizeCode(input: string): string | null {
  let text = input
    .toUpperCase()
    .replace(/[\s\-_]+/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (text.length === CODE_PREFIX.length + BODY_LENGTH && text.startsWith(CODE_PREFIX)) {
    text = text.slice(CODE_PREFIX.length);
  }
  if (text.length !== BODY_LENGTH) return null;
  for (const char of text) if (!ALPHABET.includes(char)) return null;
  return text;
}

/** What is stored: the SHA-256 of the normalised body. */
export function hashCode(body: string): Buffer {
  return Buffer.from(hashSecret(body));
}
