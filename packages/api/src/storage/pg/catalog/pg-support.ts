import {
  creditPacks,
  models,
  type PgDb,
  type PgDbOrTx,
  type PgTx,
  plans,
  tenants,
} from '@tessera/db/pg';
import { and, eq, inArray, ne } from 'drizzle-orm';
import { assertPriceOwner } from '../../../domain/payments/assert-price-free.ts';
import { type TenantLimits, tenantLimitsOf } from '../../../domain/tenancy/tenant-ceiling.ts';

/** The SQLSTATE of a PostgreSQL error, also when Drizzle wrapped it (DrizzleQueryError.cause). */
export function pgCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 3; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** 23505: what SQLite reports as SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY. */
export const isPgUniqueViolation = (error: unknown) => pgCode(error) === '23505';
/** 23503: what SQLite reports as SQLITE_CONSTRAINT_FOREIGNKEY. */
export const isPgForeignKeyViolation = (error: unknown) => pgCode(error) === '23503';

const ROLLED_BACK = new Set(['40001', '40P01']);

/**
 * One transaction, run again (at most 5 times) when PostgreSQL rolled it back for a deadlock or a
 * serialization failure: nothing of it was committed, so running it again is the same request.
 * A lost connection is not retried here: a create might have committed, and these writes carry
 * no idempotency key.
 */
export async function inTransaction<T>(db: PgDb, work: (tx: PgTx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(work);
    } catch (error) {
      const code = pgCode(error);
      if (attempt >= 5 || code === undefined || !ROLLED_BACK.has(code)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 2 * 2 ** attempt * Math.random()));
    }
  }
}

export { appendBroadcastEventPg, recordAuditPg } from '../ops/in-transaction.ts';

/**
 * A tenant and what bounds it (NOT_FOUND when missing). `lock` takes the tenant's row lock so that
 * changes to one vendor (ceiling, suspension, owner) queue instead of interleaving.
 */
export async function readTenantLimitsPg(
  tx: PgDbOrTx,
  tenantId: string,
  options: { lock?: boolean } = {},
): Promise<TenantLimits> {
  const query = tx
    .select({
      id: tenants.id,
      kind: tenants.kind,
      slug: tenants.slug,
      ceiling: tenants.ceiling,
      suspendedAt: tenants.suspendedAt,
    })
    .from(tenants)
    .where(eq(tenants.id, tenantId));
  const [row] = options.lock ? await query.for('update') : await query;
  return tenantLimitsOf(row);
}

/** The ids of `ids` that are models of the catalog. */
export async function knownModelsPg(tx: PgDbOrTx, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await tx
    .select({ id: models.id })
    .from(models)
    .where(inArray(models.id, [...ids]));
  return new Set(rows.map((r) => r.id));
}

/** assertPriceFree's twin: a Stripe price sells one plan or one credit pack. */
export async function assertPriceFreePg(
  tx: PgDbOrTx,
  priceId: string | null | undefined,
  except: { planId?: string } = {},
): Promise<void> {
  if (!priceId) return;
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
    .where(eq(creditPacks.stripePriceId, priceId))
    .limit(1);
  assertPriceOwner(priceId, plan ? `plan ${plan.key}` : pack ? `credit pack ${pack.id}` : null);
}
