// "Your credits are running low", checked right after a charge settles (decision 025) — outside
// the settlement's guarded transaction, so the money path is untouched. The common case (balance
// above the threshold, or the kind turned off) is one primary-key read joined to the user's
// preferences: microseconds, once per charged answer. Only below the threshold is the occurrence
// worked out: the position of the user's last ledger row that added credits (a refill, a
// purchase, a grant), one seek in a partial index of credit rows that charges never write. One
// mail per dip: until credits come in again, every later charge finds the same key and sends
// nothing; after a top-up, the next dip is a new occurrence. Measured: ~5 µs above the threshold,
// ~20 µs below it once told (decision 025).
import type { Db, Sqlite } from '@tessera/db';
import { DEFAULT_CREDITS_LOW_THRESHOLD } from '@tessera/db';
import { IMMEDIATE } from '../../lib/transactions.ts';
import { appLink, notify } from './notify.ts';

interface Statements {
  balance: { get(userId: string): unknown };
  lastCredit: { get(userId: string): unknown };
  seen: { get(key: string): unknown };
}
const cache = new WeakMap<Sqlite, Statements>();

function statements(sqlite: Sqlite): Statements {
  let s = cache.get(sqlite);
  if (!s) {
    s = {
      balance: sqlite.prepare(
        `select a.balance as balance,
                coalesce(p.credits_low, 1) as wanted,
                coalesce(p.credits_low_threshold, ${DEFAULT_CREDITS_LOW_THRESHOLD}) as threshold
           from credit_accounts a
           left join notification_preferences p on p.user_id = a.user_id
          where a.user_id = ?`,
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

export function noticeCreditsLow(
  db: Db,
  input: { userId: string; now: Date; baseUrl: string },
): 'sent' | 'none' {
  const s = statements(db.$client);
  const account = s.balance.get(input.userId) as
    | { balance: number; wanted: number; threshold: number }
    | undefined;
  if (account?.wanted !== 1 || account.balance >= account.threshold) return 'none';
  const position = (s.lastCredit.get(input.userId) as number | undefined) ?? 0;
  const key = `credits_low:${input.userId}:${position}`;
  if (s.seen.get(key)) return 'none'; // told already: no write lock taken for nothing
  const outcome = db.transaction(
    (tx) =>
      notify(tx, {
        userId: input.userId,
        kind: 'credits_low',
        key,
        params: {
          link: appLink(input.baseUrl, '/usage'),
          balance: account.balance,
          threshold: account.threshold,
        },
        data: { balance: account.balance, threshold: account.threshold },
        now: input.now,
      }),
    IMMEDIATE,
  );
  return outcome === 'sent' ? 'sent' : 'none';
}
