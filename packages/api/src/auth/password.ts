// Password hashing (argon2id, OWASP's minimum: m=19 MiB, t=2, p=1) and the password policy.
import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';

const ARGON2ID = 2; // Algorithm.Argon2id; the package ships it as a const enum
const HASH_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

export function hashPassword(password: string): Promise<string> {
  return hash(password, HASH_OPTIONS);
}

export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return verify(passwordHash, password);
}

let dummyHash: Promise<string> | undefined;
/**
 * Burns the same time as a real verification, so an unknown email answers no faster than a wrong
 * password for a known one.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword('tessera-dummy-password-for-timing');
  await verifyPassword(await dummyHash, password);
  return false;
}

let commonPasswords: Set<string> | undefined;
/** The ~49k most common leaked passwords (zxcvbn's list), only those long enough to matter. */
function isCommonPassword(password: string): boolean {
  commonPasswords ??= new Set(
    dictionary['passwords-common'].filter((p) => p.length >= PASSWORD_MIN_LENGTH),
  );
  return commonPasswords.has(password.toLowerCase());
}

/** Policy violations as message codes for the `password` field; empty means acceptable. */
export function passwordPolicyViolations(password: string, email?: string): string[] {
  const length = [...password].length; // code points, so emoji count once
  if (length < PASSWORD_MIN_LENGTH) return ['PASSWORD_TOO_SHORT'];
  if (length > PASSWORD_MAX_LENGTH) return ['PASSWORD_TOO_LONG'];
  if (isCommonPassword(password)) return ['PASSWORD_TOO_COMMON'];
  if (email && password.toLowerCase() === email.toLowerCase()) return ['PASSWORD_IS_EMAIL'];
  return [];
}
