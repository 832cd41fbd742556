import type { DbOrTx } from '@tessera/db';
import { creditLedger } from '@tessera/db';
import { and, desc, eq, lt } from 'drizzle-orm';

/** A user's ledger, newest first, with keyset pagination. */
export function listLedger(
  db: DbOrTx,
  input: { userId: string; beforeId?: number; limit?: number },
) {
  const limit = input.limit ?? 50;
  const rows = db
    .select({
      id: creditLedger.id,
      delta: creditLedger.delta,
      balanceAfter: creditLedger.balanceAfter,
      kind: creditLedger.kind,
      pot: creditLedger.pot,
      reference: creditLedger.reference,
      createdAt: creditLedger.createdAt,
    })
    .from(creditLedger)
    .where(
      and(
        eq(creditLedger.userId, input.userId),
        input.beforeId ? lt(creditLedger.id, input.beforeId) : undefined,
      ),
    )
    .orderBy(desc(creditLedger.id))
    .limit(limit + 1)
    .all();
  const entries = rows.slice(0, limit);
  return { entries, nextBeforeId: rows.length > limit ? (entries.at(-1)?.id ?? null) : null };
}
