// Grants made inside a payments transaction on PostgreSQL (a redeemed code; later a paid Stripe
// event): a mark's membership with its member event and audit row, purchased credits through the
// money function, and the guessing buckets. Each runs on the caller's transaction, so the grant
// and whatever claimed it commit together or not at all.
import type { PgTx } from '@tessera/db/pg';
import { sql } from 'drizzle-orm';
import type { PurchasedCreditsInput } from '../../../domain/credits/purchased-credits.ts';
import { assertGrantDays, type GrantMarkInput } from '../../../domain/memberships/grant-mark.ts';
import { DomainError } from '../../../errors.ts';
import { grantIn } from '../members/memberships.ts';

export { lockCreditAccount } from '../members/in-transaction.ts';

/** grantMark on PostgreSQL inside the caller's transaction: the members store's own upsert. */
export async function grantMarkPg(tx: PgTx, input: GrantMarkInput) {
  assertGrantDays(input.days);
  return grantIn(tx, input);
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

export {
  pgReturnToken as returnTokenPg,
  pgTakeToken as takeTokenPg,
} from '../account/pg-shared.ts';
