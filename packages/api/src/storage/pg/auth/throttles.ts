// The sign-in and sign-up throttles on PostgreSQL (decision 002): the token buckets of
// auth/throttle.ts as the same guarded upserts. `ON CONFLICT DO UPDATE … WHERE` locks the bucket's
// row and re-checks the guard on its latest version, so parallel attempts on several instances
// cannot take a token that is not there.
import { authThrottles, type PgDb, type PgDbOrTx } from '@tessera/db/pg';
import { eq, sql } from 'drizzle-orm';
import { type BucketPolicy, secondsUntilToken, tokensPerMs } from '../../../auth/throttle.ts';
import type { AuthStore, ThrottleBucket, ThrottleDecision } from '../../auth-store.ts';
import { withRetry } from '../retry.ts';

/**
 * The bucket's tokens now: refilled for the time passed, capped. The rate is a fraction, so it is
 * cast (an untyped parameter next to a bigint would be read as a bigint).
 */
function refilled(policy: BucketPolicy, nowMs: number) {
  return sql`least(${policy.capacity}::double precision, ${authThrottles.tokens} + (${nowMs}::bigint - ${authThrottles.updatedAt}) * ${tokensPerMs(policy)}::double precision)`;
}

async function takeToken(
  tx: PgDbOrTx,
  bucket: ThrottleBucket,
  now: Date,
): Promise<ThrottleDecision> {
  const nowMs = now.getTime();
  const taken = await tx
    .insert(authThrottles)
    .values({ key: bucket.key, tokens: bucket.policy.capacity - 1, updatedAt: now })
    .onConflictDoUpdate({
      target: authThrottles.key,
      set: { tokens: sql`${refilled(bucket.policy, nowMs)} - 1`, updatedAt: now },
      setWhere: sql`${refilled(bucket.policy, nowMs)} >= 1`,
    })
    .returning({ tokens: authThrottles.tokens });
  if (taken.length > 0) return { ok: true };
  const [row] = await tx
    .select({ available: refilled(bucket.policy, nowMs).mapWith(Number) })
    .from(authThrottles)
    .where(eq(authThrottles.key, bucket.key));
  return { ok: false, retryAfterSeconds: secondsUntilToken(bucket.policy, row?.available ?? 0) };
}

/** Thrown inside a throttle transaction to roll back the tokens already taken. */
class Refused extends Error {
  constructor(readonly decision: ThrottleDecision) {
    super('throttled');
  }
}

export function createPgThrottles(
  db: PgDb,
): Pick<AuthStore, 'takeThrottleTokens' | 'forgiveThrottle'> {
  return {
    takeThrottleTokens: (buckets, now) =>
      // Every caller takes its buckets in one fixed order (account then address, email then
      // network), so two attempts cannot deadlock; a retry is for a serialization failure only.
      withRetry(async () => {
        try {
          await db.transaction(async (tx) => {
            for (const bucket of buckets) {
              const taken = await takeToken(tx, bucket, now);
              if (!taken.ok) throw new Refused(taken);
            }
          });
        } catch (error) {
          if (error instanceof Refused) return error.decision;
          throw error;
        }
        return { ok: true } as const;
      }),

    forgiveThrottle: ({ reset, giveBack, now }) =>
      withRetry(() =>
        db.transaction(async (tx) => {
          for (const key of reset) await tx.delete(authThrottles).where(eq(authThrottles.key, key));
          for (const bucket of giveBack) {
            await tx
              .update(authThrottles)
              .set({
                tokens: sql`least(${bucket.policy.capacity}::double precision, ${refilled(bucket.policy, now.getTime())} + 1)`,
                updatedAt: now,
              })
              .where(eq(authThrottles.key, bucket.key));
          }
        }),
      ),
  };
}
