import type { Db } from '@tessera/db';
import { validate } from '../../lib/validate.ts';
import { type RefillPolicy, refillPolicySchema } from '../entitlements/entitlements.ts';
import { nextPeriodStart } from '../usage/periods.ts';

export interface RefillPreviewInput {
  markId: string;
  policy: RefillPolicy;
  now: Date;
  timeZone: string;
}
export type RefillPreview = ReturnType<typeof groupRefillHolders>;

/** How far back a holder's requests count for its activity grade. */
export const REFILL_GRADE_WINDOW_MS = 7 * 86_400_000;

/**
 * What a refill policy would do for a mark's current holders: "this change gives 1,204 users 500
 * credits each on Dec 1". Groups holders by the amount their activity grade earns.
 */
export function previewRefill(db: Db, input: RefillPreviewInput): RefillPreview {
  const policy = validate(refillPolicySchema, input.policy, 'policy')!;
  const now = input.now.getTime();
  const since = now - REFILL_GRADE_WINDOW_MS;
  const holders = db.$client
    .prepare<[{ mark: string; now: number; since: number }], { user_id: string; requests: number }>(
      `select m.user_id, coalesce((select sum(requests) from usage_counters u
         where u.user_id = m.user_id and u.window = 'day' and u.period_start >= @since), 0) as requests
       from memberships m where m.mark_id = @mark and (m.expires_at is null or m.expires_at > @now)`,
    )
    .all({ mark: input.markId, now, since });
  return groupRefillHolders(input, policy, holders);
}

/** The preview from the holders' 7-day request counts (either engine's query). */
export function groupRefillHolders(
  input: Pick<RefillPreviewInput, 'now' | 'timeZone'>,
  policy: RefillPolicy,
  holders: readonly { requests: number }[],
) {
  const grades = [...policy.grades].sort((a, b) => b.minRequests7d - a.minRequests7d);
  const byAmount = new Map<number, number>();
  for (const h of holders) {
    const amount = grades.find((g) => h.requests >= g.minRequests7d)?.amount ?? policy.amount;
    byAmount.set(amount, (byAmount.get(amount) ?? 0) + 1);
  }
  return {
    holders: holders.length,
    groups: [...byAmount]
      .map(([amount, users]) => ({ amount, users }))
      .sort((a, b) => b.amount - a.amount),
    strategy: policy.strategy,
    mode: policy.mode,
    nextRefillAt: nextPeriodStart(input.now, policy.every.unit, input.timeZone, policy.every.value),
  };
}
