// A plan's allowance ends with the plan (decision 015): when a mark is revoked or lapses, the
// allowance is lowered to the most the marks still held would refill it to (0 when none refills).
// Pro's 2,000,000 credits do not outlive Pro; a Free member keeps Free's amount; purchased credits
// are never touched, nor credits held by a running request.
import type { DbOrTx } from '@tessera/db';
import { sql } from 'drizzle-orm';
import { parseStoredEntitlements } from '../entitlements/entitlements.ts';
import { clampToCeiling, parseStoredCeiling } from '../tenancy/ceiling.ts';
import { moveCredits } from './move-credits.ts';
import { allowanceCeilingOf } from './refill-sql.ts';

/**
 * The most the refills of the marks a user holds at `now` can bring the allowance up to. The same
 * access rule as listActiveMemberships (`expires_at > now`, vendor not suspended, clamped to the
 * vendor's ceiling), written for a transaction (that one uses the connection's prepared statements).
 */
export function heldAllowanceCeiling(db: DbOrTx, userId: string, now: Date): number {
  const rows = db.all<{ entitlements: string; ceiling: string | null }>(sql`
    select m.entitlements, case when t.kind = 'vendor' then t.ceiling end as ceiling
    from memberships ms join marks m on m.id = ms.mark_id join tenants t on t.id = m.tenant_id
    where ms.user_id = ${userId} and (ms.expires_at is null or ms.expires_at > ${now.getTime()})
      and t.suspended_at is null`);
  return allowanceCeilingOfRows(rows);
}

/** The highest allowance the refills of these held marks give (rows as any engine reads them). */
export function allowanceCeilingOfRows(
  rows: readonly { entitlements: string; ceiling: string | null }[],
): number {
  let most = 0;
  for (const row of rows) {
    let entitlements = parseStoredEntitlements(JSON.parse(row.entitlements));
    if (row.ceiling !== null)
      entitlements = clampToCeiling(entitlements, parseStoredCeiling(JSON.parse(row.ceiling)));
    if (entitlements.refill) most = Math.max(most, allowanceCeilingOf(entitlements.refill));
  }
  return most;
}

/**
 * Lowers the allowance to what the marks still held grant, after `markKey` ended. `key` names the
 * ending (e.g. `lapse:<user>:<mark>:<ended at>`): a retried ending takes nothing more. Call it in
 * the transaction that ends the mark. Returns the credits taken (≥ 0).
 */
export function lapseAllowance(
  db: DbOrTx,
  input: {
    userId: string;
    markKey: string;
    tenantId: string | null;
    key: string;
    actorUserId: string | null;
    actorLabel?: string | null;
    now: Date;
  },
): number {
  const result = moveCredits(db, {
    userId: input.userId,
    pot: 'allowance',
    mode: 'capAt',
    amount: heldAllowanceCeiling(db, input.userId, input.now),
    kind: 'lapse',
    idempotencyKey: input.key,
    reference: input.markKey,
    actorUserId: input.actorUserId,
    audit: {
      action: 'credits.lapsed',
      tenantId: input.tenantId,
      actorLabel: input.actorLabel ?? null,
      data: { markKey: input.markKey },
    },
    now: input.now,
  });
  return result.applied ? -result.delta : 0;
}
