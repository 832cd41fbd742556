// Recovery codes: ten single-use codes shown once (at enrolment or when regenerated). Each is 50
// random bits, which is plenty behind the second-factor throttle, so a fast SHA-256 suffices for
// storage (as for session secrets, decision 001); a code is consumed by one guarded UPDATE.
import { hash } from 'node:crypto';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { DbOrTx } from '@tessera/db';
import { twoFactorRecoveryCodes } from '@tessera/db';
import { and, count, eq, isNull } from 'drizzle-orm';
import { randomId } from '../../lib/ids.ts';

export const RECOVERY_CODE_COUNT = 10;

/** `abcde-fghij`: ten base32 characters, grouped for reading aloud and typing. */
function newRecoveryCode(): string {
  const bytes = new Uint8Array(7);
  crypto.getRandomValues(bytes);
  const chars = encodeBase32LowerCaseNoPadding(bytes).slice(0, 10);
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

/** Lower case, no spaces or dashes: how a code is hashed and compared. */
export function normalizeRecoveryCode(code: string): string | null {
  const bare = code.toLowerCase().replace(/[\s-]/g, '');
  return /^[a-z2-7]{10}$/.test(bare) ? bare : null;
}

function hashCode(bare: string): Buffer {
  return hash('sha256', bare, 'buffer');
}

/** The stored hash of a typed recovery code, or null when it cannot be one. */
export function recoveryCodeHash(code: string): Buffer | null {
  const bare = normalizeRecoveryCode(code);
  return bare ? hashCode(bare) : null;
}

/** A fresh set of codes (shown once) and the rows that store their hashes, for every engine. */
export function freshRecoveryCodes(
  userId: string,
  now: Date,
): { codes: string[]; rows: (typeof twoFactorRecoveryCodes.$inferInsert)[] } {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  const rows = codes.map((code) => ({
    id: randomId(),
    userId,
    codeHash: hashCode(normalizeRecoveryCode(code)!),
    createdAt: now,
  }));
  return { codes, rows };
}

/** Replaces every recovery code of the user with fresh ones; returns them (shown once). */
export function replaceRecoveryCodes(tx: DbOrTx, userId: string, now: Date): string[] {
  tx.delete(twoFactorRecoveryCodes).where(eq(twoFactorRecoveryCodes.userId, userId)).run();
  const { codes, rows } = freshRecoveryCodes(userId, now);
  tx.insert(twoFactorRecoveryCodes).values(rows).run();
  return codes;
}

/** Uses a recovery code: true exactly once per code (the guard makes racing uses lose). */
export function consumeRecoveryCode(tx: DbOrTx, userId: string, code: string, now: Date): boolean {
  const codeHash = recoveryCodeHash(code);
  if (!codeHash) return false;
  const used = tx
    .update(twoFactorRecoveryCodes)
    .set({ usedAt: now })
    .where(
      and(
        eq(twoFactorRecoveryCodes.userId, userId),
        eq(twoFactorRecoveryCodes.codeHash, codeHash),
        isNull(twoFactorRecoveryCodes.usedAt),
      ),
    )
    .returning({ id: twoFactorRecoveryCodes.id })
    .get();
  return used !== undefined;
}

export function countUnusedRecoveryCodes(db: DbOrTx, userId: string): number {
  const row = db
    .select({ n: count() })
    .from(twoFactorRecoveryCodes)
    .where(and(eq(twoFactorRecoveryCodes.userId, userId), isNull(twoFactorRecoveryCodes.usedAt)))
    .get();
  return row?.n ?? 0;
}
