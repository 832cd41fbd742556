// "Your credits are running low", checked right after a charge settles (decision 025) — outside
// the settlement's guarded transaction, so the money path is untouched. It is told when a charge
// moves the balance (allowance + purchased) from at or above the threshold to below it, judged on
// the balance the settlement itself returned (no read that another charge could race). The common
// case is one primary-key read of the user's preferences (usually absent: the defaults) and two
// comparisons. Only on a crossing is the occurrence worked out: the position of the user's last
// ledger row that added credits (a refill, a purchase, a grant), one seek in a partial index of
// credit rows that charges never write. The key makes it one mail per dip whatever races or
// retries; after a top-up the next crossing is a new occurrence. A balance that never reaches the
// threshold (a Free allowance below it) is never "running low": it never crosses.
import type { Db, Sqlite } from '@tessera/db';
import { DEFAULT_CREDITS_LOW_THRESHOLD } from '@tessera/db';
import { IMMEDIATE } from '../../lib/transactions.ts';
import { appLink } from '../../mail/app-link.ts';
import { notify } from './notify.ts';

interface Statements {
  preferences: { get(userId: string): unknown };
  lastCredit: { get(userId: string): unknown };
  seen: { get(key: string): unknown };
}
const cache = new WeakMap<Sqlite, Statements>();

function statements(sqlite: Sqlite): Statements {
  let s = cache.get(sqlite);
  if (!s) {
    s = {
      preferences: sqlite.prepare(
        'select credits_low as wanted, credits_low_threshold as threshold from notification_preferences where user_id = ?',
      ),
      // One seek in the partial index of credits. Named, because without statistics the planner
      // would rather walk the primary key back over every charge since the last credit.
      lastCredit: sqlite
        .prepare(
          `select max(id) from credit_ledger indexed by credit_ledger_credits_idx
            where user_id = ? and delta > 0`,
        )
        .pluck(),
      seen: sqlite.prepare('select 1 from notifications where key = ?').pluck(),
    };
    cache.set(sqlite, s);
  }
  return s;
}

export interface CreditsLowInput {
  userId: string;
  /** The balance the settlement left, and what it charged. */
  balanceAfter: number;
  charged: number;
  now: Date;
  baseUrl: string;
}

/**
 * The threshold this charge crossed downwards, or null (no notice). Shared by both engines:
 * `preferences` is the user's row (undefined: none, the defaults).
 */
export function creditsLowCrossing(
  preferences: { wanted: boolean; threshold: number } | undefined,
  input: Pick<CreditsLowInput, 'balanceAfter' | 'charged'>,
): number | null {
  if (preferences && !preferences.wanted) return null;
  const threshold = preferences?.threshold ?? DEFAULT_CREDITS_LOW_THRESHOLD;
  const before = input.balanceAfter + input.charged;
  return input.balanceAfter < threshold && before >= threshold ? threshold : null;
}

/** The occurrence's key: one mail per dip, a top-up (a new credit row) starts a new one. */
export const creditsLowKey = (userId: string, lastCreditPosition: number) =>
  `credits_low:${userId}:${lastCreditPosition}`;

/** What `notify` is given for a crossing (mail parameters and stored data). */
export function creditsLowNotice(input: CreditsLowInput, threshold: number, key: string) {
  return {
    userId: input.userId,
    kind: 'credits_low' as const,
    key,
    params: {
      link: appLink(input.baseUrl, '/usage'),
      balance: input.balanceAfter,
      threshold,
    },
    data: { balance: input.balanceAfter, threshold },
    now: input.now,
  };
}

export function noticeCreditsLow(db: Db, input: CreditsLowInput): 'sent' | 'none' {
  const s = statements(db.$client);
  const preferences = s.preferences.get(input.userId) as
    | { wanted: number; threshold: number }
    | undefined;
  const threshold = creditsLowCrossing(
    preferences && { wanted: preferences.wanted === 1, threshold: preferences.threshold },
    input,
  );
  if (threshold === null) return 'none';
  const position = (s.lastCredit.get(input.userId) as number | undefined) ?? 0;
  const key = creditsLowKey(input.userId, position);
  if (s.seen.get(key)) return 'none'; // told already: no write lock taken for nothing
  const outcome = db.transaction(
    (tx) => notify(tx, creditsLowNotice(input, threshold, key)),
    IMMEDIATE,
  );
  return outcome === 'sent' ? 'sent' : 'none';
}
