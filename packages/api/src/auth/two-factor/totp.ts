// TOTP codes (RFC 6238 through @oslojs/otp): 30-second steps, 6 digits, one step of clock drift
// either way. Steps are computed from the caller's `now`, so tests can move the clock.

import { createTOTPKeyURI, verifyHOTP } from '@oslojs/otp';
import type { DbOrTx } from '@tessera/db';
import { userTotp } from '@tessera/db';
import { and, eq, isNotNull, isNull, lt, or } from 'drizzle-orm';

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps accepted either side of now: a phone clock a little off, a code typed at a boundary. */
const DRIFT_STEPS = 1;
export const TOTP_KEY_BYTES = 20;

export function timeStep(now: Date): number {
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

/** The time step whose code this is (within the drift window), or null. */
export function matchingStep(key: Uint8Array, code: string, now: Date): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const current = timeStep(now);
  for (let step = current - DRIFT_STEPS; step <= current + DRIFT_STEPS; step++) {
    if (verifyHOTP(key, BigInt(step), TOTP_DIGITS, code)) return step;
  }
  return null;
}

export function totpUri(issuer: string, accountName: string, key: Uint8Array): string {
  return createTOTPKeyURI(issuer, accountName, key, TOTP_PERIOD_SECONDS, TOTP_DIGITS);
}

/**
 * Accepts a code's step for an enabled factor, at most once: one guarded UPDATE moves
 * last_used_step forward only past the steps already used. False = the code (or a later one) was
 * already used — a replay, or a race with the same code that the other request won.
 */
export function claimStep(tx: DbOrTx, userId: string, step: number): boolean {
  const claimed = tx
    .update(userTotp)
    .set({ lastUsedStep: step })
    .where(
      and(
        eq(userTotp.userId, userId),
        isNotNull(userTotp.enabledAt),
        or(isNull(userTotp.lastUsedStep), lt(userTotp.lastUsedStep, step)),
      ),
    )
    .returning({ userId: userTotp.userId })
    .get();
  return claimed !== undefined;
}

/** Whether the user has a confirmed TOTP factor. */
export function hasTwoFactor(db: DbOrTx, userId: string): boolean {
  const row = db
    .select({ userId: userTotp.userId })
    .from(userTotp)
    .where(and(eq(userTotp.userId, userId), isNotNull(userTotp.enabledAt)))
    .get();
  return row !== undefined;
}
