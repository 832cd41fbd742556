import type { Db } from '@tessera/db';
import { appendMemberEvent } from '../../events/outbox.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { RefillPolicy } from '../entitlements/entitlements.ts';
import { periodStart } from '../usage/periods.ts';
import { nextLedgerIdSql } from './ledger-sql.ts';
import { gradedAmountSql, refillDeltaSql, refillKey, requests7dSql } from './refill-sql.ts';

export interface HeldRefill {
  markId: string;
  markKey: string;
  policy: RefillPolicy;
}

// Which (user, mark, period) this process has already refilled: a hint that saves the attempt on
// every request. The ledger's unique key remains the only guard; a stale hint costs one no-op.
const refilledHint = new Map<string, number>();

/**
 * On-demand refills for one user: each held mark whose policy is `on_demand` and whose period has
 * turned grants once for the new period. Call inside the admission or sign-in transaction.
 * Returns the credits added.
 */
export function refillUserOnDemand(
  db: Db,
  input: { userId: string; refills: readonly HeldRefill[]; now: Date; timeZone: string },
): number {
  let added = 0;
  for (const { markId, markKey, policy } of input.refills) {
    if (policy.mode !== 'on_demand') continue;
    const period = periodStart(input.now, policy.every.unit, input.timeZone, policy.every.value);
    const hintKey = `${input.userId}:${markId}`;
    if (refilledHint.get(hintKey) === period.getTime()) continue;

    const amount = gradedAmountSql(
      policy,
      requests7dSql('@user', input.now.getTime() - 7 * 86_400_000),
    );
    const delta = refillDeltaSql(policy, amount);
    const insert = db.$client.prepare<
      [{ key: string; markKey: string; now: number; user: string }],
      { delta: number }
    >(
      `insert into credit_ledger (user_id, id, delta, balance_after, kind, idempotency_key, reference, created_at)
         select user_id, ${nextLedgerIdSql('@user')}, ${delta}, balance + ${delta}, 'refill', @key, @markKey, @now from credit_accounts where user_id = @user
         on conflict(idempotency_key) do nothing
         returning delta`,
    );
    // Its own transaction, so a later refusal of the request cannot roll the refill back while the
    // hint says it happened.
    const delta_ = db.transaction((tx) => {
      const row = insert.get({
        key: refillKey(input.userId, markId, period),
        markKey,
        now: input.now.getTime(),
        user: input.userId,
      });
      if (!row) return null;
      db.$client
        .prepare(
          'update credit_accounts set balance = balance + ?, updated_at = ? where user_id = ?',
        )
        .run(row.delta, input.now.getTime(), input.userId);
      recordAudit(tx, {
        tenantId: null,
        actorUserId: null,
        action: 'credits.refilled',
        subjectType: 'user',
        subjectId: input.userId,
        data: {
          markKey,
          delta: row.delta,
          period: period.toISOString(),
          strategy: policy.strategy,
          mode: 'on_demand',
        },
        ip: null,
        createdAt: input.now,
      });
      if (row.delta !== 0)
        appendMemberEvent(tx, {
          userId: input.userId,
          kind: 'credits.changed',
          markKey,
          now: input.now,
        });
      return row.delta;
    });
    refilledHint.set(hintKey, period.getTime());
    added += delta_ ?? 0;
  }
  return added;
}

/** Forget the hints (tests that rewind the clock or reuse ids). */
export function clearRefillHints(): void {
  refilledHint.clear();
}
