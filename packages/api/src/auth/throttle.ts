// Failed sign-in throttling with token buckets stored in SQLite (so every server process and the
// CLI share them). A sign-in attempt takes a token from its account's bucket and its address's
// bucket *before* the password is checked — one guarded upsert each, so parallel guesses cannot
// slip past a check-then-write gap. Success gives the tokens back.
//
// Account bucket: 10 tokens, refilled at 90 an hour → at most 100 failures in any hour, and a
// person whose account is being attacked waits at most 40 s for the next attempt (never locked
// out for long). Address bucket: 50 tokens, 600 an hour, against spraying many accounts.
//
// Sign-up takes from its own two buckets (see sign-up.ts): because it answers EMAIL_TAKEN, every
// sign-up is a question "does this address have an account?", so it is throttled like a guess.
import type { DbOrTx } from '@tessera/db';
import { authThrottles } from '@tessera/db';
import { eq, sql } from 'drizzle-orm';

export interface BucketPolicy {
  capacity: number;
  perHour: number;
}

export const ACCOUNT_BUCKET: BucketPolicy = { capacity: 10, perHour: 90 };
export const ADDRESS_BUCKET: BucketPolicy = { capacity: 50, perHour: 600 };
/** Sign-ups naming one email: a person retrying a typo'd form is never held up, a prober is. */
export const SIGNUP_EMAIL_BUCKET: BucketPolicy = { capacity: 5, perHour: 20 };
/** Sign-ups from one network: a household or office signs up a few people; enumeration crawls. */
export const SIGNUP_NETWORK_BUCKET: BucketPolicy = { capacity: 20, perHour: 60 };

/**
 * The network an address belongs to, for throttling: an IPv4 address itself, an IPv6 address's
 * /64 (one host commonly holds a whole /64, so per-address buckets would be free to multiply).
 */
export function networkOf(ip: string): string {
  const bare = ip.split('%')[0]!.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
  if (mapped) return mapped[1]!;
  if (!bare.includes(':')) return bare;
  const [head = '', tail] = bare.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros =
    tail === undefined ? [] : Array(Math.max(0, 8 - left.length - right.length)).fill('0');
  const groups = [...left, ...zeros, ...right].map((g) =>
    Number.parseInt(g || '0', 16).toString(16),
  );
  return `${groups.slice(0, 4).join(':')}::/64`;
}

/** Reset mails to one address: a forgetful owner gets a few, a mail bomb does not. */
export const RESET_EMAIL_BUCKET: BucketPolicy = { capacity: 3, perHour: 6 };
/** Reset requests from one network, across addresses: against probing and spraying. */
export const RESET_NETWORK_BUCKET: BucketPolicy = { capacity: 10, perHour: 30 };

const HOUR_MS = 3_600_000;

function refilled(policy: BucketPolicy, nowMs: number) {
  const rate = tokensPerMs(policy);
  return sql`min(${policy.capacity}, ${authThrottles.tokens} + (${nowMs} - ${authThrottles.updatedAt}) * ${rate})`;
}

/**
 * Takes one token, or returns the seconds until one is available. One statement: a new key starts
 * full (minus this token); an existing key is refilled for the time passed and decremented only
 * when at least one token is there.
 */
export function takeToken(
  db: DbOrTx,
  key: string,
  policy: BucketPolicy,
  now: Date,
): { ok: true } | { ok: false; retryAfterSeconds: number } {
  const nowMs = now.getTime();
  const taken = db
    .insert(authThrottles)
    .values({ key, tokens: policy.capacity - 1, updatedAt: now })
    .onConflictDoUpdate({
      target: authThrottles.key,
      set: { tokens: sql`${refilled(policy, nowMs)} - 1`, updatedAt: now },
      setWhere: sql`${refilled(policy, nowMs)} >= 1`,
    })
    .returning({ tokens: authThrottles.tokens })
    .get();
  if (taken) return { ok: true };

  const row = db
    .select({ available: refilled(policy, nowMs).mapWith(Number) })
    .from(authThrottles)
    .where(eq(authThrottles.key, key))
    .get();
  return { ok: false, retryAfterSeconds: secondsUntilToken(policy, row?.available ?? 0) };
}

/** Tokens a bucket regains per millisecond (a fraction: PostgreSQL must see it as a float). */
export function tokensPerMs(policy: BucketPolicy): number {
  return policy.perHour / HOUR_MS;
}

/** How long a bucket holding `available` (< 1) tokens takes to hold one; at least a second. */
export function secondsUntilToken(policy: BucketPolicy, available: number): number {
  const missing = 1 - available;
  return Math.max(1, Math.ceil((missing * HOUR_MS) / policy.perHour / 1000));
}

/** Gives one token back (capped at capacity), after an attempt turned out to be legitimate. */
export function returnToken(db: DbOrTx, key: string, policy: BucketPolicy, now: Date): void {
  db.update(authThrottles)
    .set({
      tokens: sql`min(${policy.capacity}, ${refilled(policy, now.getTime())} + 1)`,
      updatedAt: now,
    })
    .where(eq(authThrottles.key, key))
    .run();
}

/** Forgets an account's failures after a successful sign-in. */
export function resetBucket(db: DbOrTx, key: string): void {
  db.delete(authThrottles).where(eq(authThrottles.key, key)).run();
}
