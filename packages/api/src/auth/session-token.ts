// Session tokens as lucia-auth.com now teaches: `<id>.<secret>`. The id finds the row; only the
// SHA-256 of the secret is stored and it is compared in constant time, so neither a database leak
// nor a timing side channel yields a usable cookie.
import { hash } from 'node:crypto';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { randomId } from '../lib/ids.ts';

/** Random bytes behind the secret half of a token (the id adds another 15). */
export const SESSION_SECRET_BYTES = 20;

export interface GeneratedToken {
  id: string;
  token: string;
  secretHash: Uint8Array;
}

export function generateSessionToken(): GeneratedToken {
  const secretBytes = new Uint8Array(SESSION_SECRET_BYTES);
  crypto.getRandomValues(secretBytes);
  const secret = encodeBase32LowerCaseNoPadding(secretBytes);
  const id = randomId();
  return { id, token: `${id}.${secret}`, secretHash: hashSecret(secret) };
}

export function hashSecret(secret: string): Uint8Array {
  // node:crypto's native SHA-256: the same digest as @oslojs/crypto's, several times faster on the
  // per-request path. The one-shot hash() skips building a Hash stream object per call.
  return hash('sha256', secret, 'buffer');
}

const ID_LENGTH = 24; // randomId(): 15 bytes in base32
const SECRET_LENGTH = 32; // SESSION_SECRET_BYTES in base32
const DOT = 0x2e;

/** Splits a token; null for anything malformed (never throws on attacker input). */
export function parseSessionToken(token: string): { id: string; secret: string } | null {
  // `<24 base32>.<32 base32>`, checked in one pass: this runs on every authenticated request.
  if (token.length !== ID_LENGTH + 1 + SECRET_LENGTH || token.charCodeAt(ID_LENGTH) !== DOT) {
    return null;
  }
  for (let i = 0; i < token.length; i++) {
    if (i !== ID_LENGTH && !isBase32Lower(token.charCodeAt(i))) return null;
  }
  return { id: token.slice(0, ID_LENGTH), secret: token.slice(ID_LENGTH + 1) };
}

/** `[a-z2-7]`, the alphabet of encodeBase32LowerCaseNoPadding. */
function isBase32Lower(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x32 && code <= 0x37);
}

export function secretMatches(secret: string, storedHash: Uint8Array): boolean {
  const candidate = hashSecret(secret);
  return candidate.length === storedHash.length && constantTimeEqual(candidate, storedHash);
}

/**
 * The same SHA-256 as `hashSecret`, as a hex string: what an in-memory cache keeps. A string result
 * costs no Buffer (and no off-heap allocation) per request.
 */
export function hashSecretHex(secret: string): string {
  return hash('sha256', secret, 'hex');
}

/** `secretMatches` against a hash kept by `hashSecretHex`, compared in constant time. */
export function secretMatchesHex(secret: string, storedHex: string): boolean {
  const candidate = hashSecretHex(secret);
  if (candidate.length !== storedHex.length) return false;
  let difference = 0;
  for (let i = 0; i < candidate.length; i++) {
    difference |= candidate.charCodeAt(i) ^ storedHex.charCodeAt(i);
  }
  return difference === 0;
}
