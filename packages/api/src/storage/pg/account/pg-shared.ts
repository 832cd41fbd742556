import { authThrottles, type PgDb, type PgDbOrTx, type PgTx } from '@tessera/db/pg';
import { eq, sql } from 'drizzle-orm';
import type { BucketPolicy } from '../../../auth/throttle.ts';

export {
  appendMemberEventPg as pgAppendMemberEvent,
  enqueueMailPg as pgEnqueueMail,
  recordAuditPg as pgRecordAudit,
} from '../ops/in-transaction.ts';

const HOUR_MS = 3_600_000;

// The rate is fractional: cast, or PostgreSQL would infer the parameter as bigint from the column.
function refilled(policy: BucketPolicy, nowMs: number) {
  const rate = policy.perHour / HOUR_MS;
  return sql`least(${policy.capacity}::double precision, ${authThrottles.tokens} + (${nowMs}::bigint - ${authThrottles.updatedAt}) * ${rate}::double precision)`;
}

/** auth/throttle.ts's takeToken on PostgreSQL: one guarded upsert, the same bucket arithmetic. */
export async function pgTakeToken(
  tx: PgDbOrTx,
  key: string,
  policy: BucketPolicy,
  now: Date,
): Promise<{ ok: true } | { ok: false; retryAfterSeconds: number }> {
  const nowMs = now.getTime();
  const taken = await tx
    .insert(authThrottles)
    .values({ key, tokens: policy.capacity - 1, updatedAt: now })
    .onConflictDoUpdate({
      target: authThrottles.key,
      set: { tokens: sql`${refilled(policy, nowMs)} - 1`, updatedAt: now },
      setWhere: sql`${refilled(policy, nowMs)} >= 1`,
    })
    .returning({ tokens: authThrottles.tokens });
  if (taken.length > 0) return { ok: true };
  const [row] = await tx
    .select({ available: refilled(policy, nowMs).mapWith(Number) })
    .from(authThrottles)
    .where(eq(authThrottles.key, key));
  const missing = 1 - (row?.available ?? 0);
  return {
    ok: false,
    retryAfterSeconds: Math.max(1, Math.ceil((missing * HOUR_MS) / policy.perHour / 1000)),
  };
}

export function pgReturnToken(tx: PgDbOrTx, key: string, policy: BucketPolicy, now: Date) {
  return tx
    .update(authThrottles)
    .set({
      tokens: sql`least(${policy.capacity}::double precision, ${refilled(policy, now.getTime())} + 1)`,
      updatedAt: now,
    })
    .where(eq(authThrottles.key, key));
}

export function pgResetBucket(tx: PgDbOrTx, key: string) {
  return tx.delete(authThrottles).where(eq(authThrottles.key, key));
}

/** Rolled back by the server, so running the whole transaction again is safe. */
const ROLLED_BACK = new Set(['40001', '40P01']);

/**
 * One transaction, run again (up to 5 times) when PostgreSQL rolled it back for a serialization
 * failure or a deadlock. Not on a lost connection: these writes are not all keyed, and an invite or
 * a mail must not go out twice because an answer was lost.
 */
export async function pgTransaction<T>(db: PgDb, run: (tx: PgTx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(run);
    } catch (error) {
      const code = pgErrorCode(error);
      if (attempt >= 5 || code === null || !ROLLED_BACK.has(code)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 2 * 2 ** attempt * Math.random()));
    }
  }
}

/** The SQLSTATE of a failed query (Drizzle wraps node-postgres' error as its `cause`). */
export function pgErrorCode(error: unknown): string | null {
  for (let e = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return null;
}
