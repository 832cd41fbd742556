import { creditPacks, type PgDbOrTx, type PgTx, payments, plans } from '@tessera/db/pg';
import { and, eq, ne, sql } from 'drizzle-orm';
import { DomainError } from '../../../errors.ts';

export { recordAuditPg as insertAudit } from '../ops/in-transaction.ts';

/**
 * assertPriceFree on PostgreSQL. SQLite's write lock made its read-then-link safe; here two
 * transactions linking one price to two things would both read "free", so each first takes a
 * transaction-scoped advisory lock on the price: the second waits, then sees the first's link.
 * (Every linker of a price must take it: packs here, plans in linkPlanPrice's adapter.)
 */
export async function assertPriceFreePg(
  tx: PgDbOrTx,
  priceId: string | null | undefined,
  except: { planId?: string; packId?: string } = {},
): Promise<void> {
  if (!priceId) return;
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`stripe-price:${priceId}`}, 0))`,
  );
  const [plan] = await tx
    .select({ key: plans.key })
    .from(plans)
    .where(
      and(
        eq(plans.stripePriceId, priceId),
        except.planId ? ne(plans.id, except.planId) : undefined,
      ),
    )
    .limit(1);
  const [pack] = await tx
    .select({ id: creditPacks.id })
    .from(creditPacks)
    .where(
      and(
        eq(creditPacks.stripePriceId, priceId),
        except.packId ? ne(creditPacks.id, except.packId) : undefined,
      ),
    )
    .limit(1);
  const owner = plan ? `plan ${plan.key}` : pack ? `credit pack ${pack.id}` : null;
  if (owner) {
    throw new DomainError('CONFLICT', `Stripe price ${priceId} is already linked to ${owner}.`, {
      fieldErrors: { stripePriceId: ['STRIPE_PRICE_TAKEN'] },
    });
  }
}

/** Records the payment once; false when it was recorded before (its effects happened then). */
export async function recordPaymentPg(tx: PgTx, payment: typeof payments.$inferInsert) {
  const rows = await tx
    .insert(payments)
    .values(payment)
    .onConflictDoNothing()
    .returning({ id: payments.id });
  return rows.length > 0;
}
