// The SQL both refill paths share. A refill is one ledger row keyed
// `refill:<user>:<mark>:<period start>` — the unique key makes the scheduled job, an on-demand
// refill and an admin's "run now" unable to grant twice for the same period, whichever runs first.
import type { RefillPolicy } from '../entitlements/entitlements.ts';

export function refillKey(userId: string, markId: string, periodStart: Date): string {
  return `refill:${userId}:${markId}:${periodStart.getTime()}`;
}

/** The plan allowance of the account row in scope: the balance less purchased credits. */
export const ALLOWANCE_SQL = '(balance - purchased)';

/**
 * SQL for the credits a refill adds, given `amount` for this user (reads the account row). Refills
 * only ever look at the allowance: purchased credits neither count towards the amount nor are
 * touched (decision 015).
 */
export function refillDeltaSql(policy: RefillPolicy, amountSql: string): string {
  const cap = policy.cap ?? policy.amount;
  return policy.strategy === 'reset'
    ? // Up to the amount, never down: an unused allowance does not pile up past the amount.
      `max(0, ${amountSql} - ${ALLOWANCE_SQL})`
    : `max(0, min(${amountSql}, ${cap} - ${ALLOWANCE_SQL}))`; // add the amount, up to the cap
}

/** The most a policy ever brings the allowance up to (its amount, cap or best grade). */
export function allowanceCeilingOf(policy: RefillPolicy): number {
  const base = policy.strategy === 'topup' ? (policy.cap ?? policy.amount) : policy.amount;
  return Math.max(base, ...policy.grades.map((grade) => grade.amount));
}

/** SQL for the amount a user gets: the highest activity grade they reach, else the base amount. */
export function gradedAmountSql(policy: RefillPolicy, requests7dSql: string): string {
  const grades = [...policy.grades].sort((a, b) => b.minRequests7d - a.minRequests7d);
  if (grades.length === 0) return String(policy.amount);
  const whens = grades
    .map((g) => `when ${requests7dSql} >= ${g.minRequests7d} then ${g.amount}`)
    .join(' ');
  return `(case ${whens} else ${policy.amount} end)`;
}

/** Requests in the 7 day-windows up to now, for grading. `userSql` names the user column. */
export function requests7dSql(userSql: string, sinceMs: number): string {
  return `(select coalesce(sum(requests), 0) from usage_counters u where u.user_id = ${userSql} and u.window = 'day' and u.period_start >= ${sinceMs})`;
}
