// Session tokens as lucia-auth.com now teaches: `<id>.<secret>`. The id finds the row; only the
// SHA-256 of the secret is stored and it is compared in constant time, so neither a database leak
// nor a timing side channel yields a usable cookie.
import { createHash } from 'node:crypto';
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
  // per-request path.
  return createHash('sha256').update(secret).digest();
}

/** Splits a token; null for anything malformed (never throws on attacker input). */
export function parseSessionToken(token: string): { id: string; secret: string } | null {
  const parts = token.split('.');
  if (parts.length !== 2) return null;
  const [id, secret] = parts as [string, string];
  if (!/^[a-z2-7]{24}$/.test(id) || !/^[a-z2-7]{32}$/.test(secret)) return null;
  return { id, secret };
}

export function secretMatches(secret: string, storedHash: Uint8Array): boolean {
  const candidate = hashSecret(secret);
  return candidate.length === storedHash.length && constantTimeEqual(candidate, storedHash);
}
