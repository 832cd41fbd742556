// Grants made inside a payments transaction on PostgreSQL (a redeemed code; later a paid Stripe
// event): a mark's membership with its member event and audit row, purchased credits through the
// money function, and the guessing buckets. Each runs on the caller's transaction, so the grant
// and whatever claimed it commit together or not at all.
import { authThrottles, marks, memberEvents, memberships, type PgTx, users } from '@tessera/db/pg';
import { eq, sql } from 'drizzle-orm';
import type { BucketPolicy } from '../../../auth/throttle.ts';
import type { PurchasedCreditsInput } from '../../../domain/credits/purchased-credits.ts';
import {
  assertGrantDays,
  type GrantMarkInput,
  grantOutcome,
} from '../../../domain/memberships/grant-mark.ts';
import { DomainError } from '../../../errors.ts';
import { randomId } from '../../../lib/ids.ts';
import { insertAudit } from './shared.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * Locks the user's credit account for the rest of the transaction: every transaction that may
 * touch a user's credits takes this lock first (decision 028), so it never waits on a money
 * transaction of the same user in the opposite order.
 */
export async function lockCreditAccount(tx: PgTx, userId: string): Promise<void> {
  await tx.execute(sql`select 1 from credit_accounts where user_id = ${userId} for update`);
}

/** grantMark on PostgreSQL: one guarded upsert, its member event and audit row. */
export async function grantMarkPg(tx: PgTx, input: GrantMarkInput) {
  assertGrantDays(input.days);
  const now = input.now.getTime();
  const length = input.days === null ? null : input.days * DAY_MS;
  const [mark] = await tx
    .select({ key: marks.key, tenantId: marks.tenantId })
    .from(marks)
    .where(eq(marks.id, input.markId));
  if (!mark) throw new DomainError('NOT_FOUND', 'No such mark.');
  const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.id, input.userId));
  if (!user) throw new DomainError('NOT_FOUND', 'No such user.');
  if (input.mode === 'extend') {
    const [held] = await tx
      .select({ id: memberships.id })
      .from(memberships)
      .where(
        sql`${memberships.userId} = ${input.userId} and ${memberships.markId} = ${input.markId}`,
      );
    if (!held)
      throw new DomainError('NOT_FOUND', 'The user never held this mark; grant it instead.');
  }
  const lapsed = sql`(${memberships.expiresAt} is not null and ${memberships.expiresAt} <= ${now})`;
  const [row] = await tx
    .insert(memberships)
    .values({
      id: randomId(),
      userId: input.userId,
      markId: input.markId,
      startsAt: input.now,
      expiresAt: length === null ? null : new Date(now + length),
      status: 'active',
      source: input.source,
      reference: input.reference ?? null,
      createdAt: input.now,
      updatedAt: input.now,
    })
    .onConflictDoUpdate({
      target: [memberships.userId, memberships.markId],
      set: {
        startsAt: sql`case when ${lapsed} then ${now}::bigint else ${memberships.startsAt} end`,
        expiresAt:
          length === null
            ? sql`null`
            : sql`case when ${memberships.expiresAt} is null then null else greatest(${memberships.expiresAt}, ${now}::bigint) + ${length}::bigint end`,
        status: 'active',
        source: sql`excluded.source`,
        reference: sql`excluded.reference`,
        updatedAt: input.now,
      },
    })
    .returning();
  const { kind, audit } = grantOutcome(input, mark, row!);
  await tx.insert(memberEvents).values({
    userId: input.userId,
    kind,
    markKey: mark.key,
    data: null,
    createdAt: input.now,
  });
  await insertAudit(tx, audit);
  return { membership: row!, markKey: mark.key, event: kind };
}

/**
 * grantPurchasedCredits / takeBackPurchasedCredits on PostgreSQL: tessera_move_credits (ledger id
 * from the sequence, ledger, balance, audit and credits event) inside the caller's transaction.
 * A key moved before moves nothing. `delta` is what moved (a take-back never goes below zero).
 */
export async function movePurchasedCreditsPg(
  tx: PgTx,
  input: PurchasedCreditsInput,
  how: { mode: 'add' | 'takeBack' } = { mode: 'add' },
) {
  const [kind, action] =
    how.mode === 'add' ? ['purchase', 'credits.purchased'] : ['refund', 'credits.refunded'];
  const result = await tx.execute<{ o_outcome: string; o_delta: number | string | null }>(
    sql`select o_outcome, o_delta from tessera_move_credits(${input.userId}, 'purchased',
      ${how.mode}, ${input.amount}::bigint, ${kind}, ${input.idempotencyKey}, ${input.reason},
      ${input.actorUserId}, ${input.now.getTime()}::bigint, ${action},
      ${input.tenantId ?? null}, ${input.actorLabel ?? null},
      ${JSON.stringify({ amount: input.amount, reason: input.reason })}::jsonb)`,
  );
  const row = result.rows[0];
  if (row?.o_outcome === 'no_account') throw new DomainError('NOT_FOUND', 'No such user.');
  return { applied: row?.o_outcome === 'applied', delta: Number(row?.o_delta ?? 0) };
}

/** grantPurchasedCredits on PostgreSQL (see movePurchasedCreditsPg). */
export function grantPurchasedCreditsPg(tx: PgTx, input: PurchasedCreditsInput) {
  return movePurchasedCreditsPg(tx, input);
}

function refilled(policy: BucketPolicy, nowMs: number) {
  const rate = policy.perHour / HOUR_MS;
  return sql`least(${policy.capacity}::float8, ${authThrottles.tokens} + (${nowMs}::bigint - ${authThrottles.updatedAt}) * ${rate}::float8)`;
}

/** takeToken on PostgreSQL: one guarded upsert; the seconds until a token when there is none. */
export async function takeTokenPg(
  tx: PgTx,
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

/** returnToken on PostgreSQL: one token back, capped at capacity. */
export async function returnTokenPg(
  tx: PgTx,
  key: string,
  policy: BucketPolicy,
  now: Date,
): Promise<void> {
  await tx
    .update(authThrottles)
    .set({
      tokens: sql`least(${policy.capacity}::float8, ${refilled(policy, now.getTime())} + 1)`,
      updatedAt: now,
    })
    .where(eq(authThrottles.key, key));
}
