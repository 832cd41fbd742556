// The credit invariants, checked over the whole database (`pnpm tessera credits:check`, tests),
// for the total and for each pot (decision 015):
//   balance = Σ ledger deltas, per user
//   purchased = Σ deltas of the purchased pot, and allowance = balance − purchased = Σ deltas of
//   the allowance pot; neither pot is below zero
//   reserved = Σ open reservations, per user, and available = balance − reserved ≥ 0
//   every ledger row's balance_after follows from the row before it
//   a reservation is settled at most once: its charge rows (one per pot it drew on) add up to
//   exactly what it charged, and a released or open one has none
import type { DbOrTx } from '@tessera/db';
import { sql } from 'drizzle-orm';

export interface InvariantReport {
  ok: boolean;
  accounts: number;
  ledgerRows: number;
  problems: { check: string; userId?: string; detail: string }[];
}

export function checkCreditInvariants(db: DbOrTx): InvariantReport {
  const problems: InvariantReport['problems'] = [];
  const rows = <T>(query: ReturnType<typeof sql>) => db.all<T>(query);

  for (const r of rows<{ user_id: string; balance: number; total: number }>(sql`
    select a.user_id, a.balance, coalesce(l.total, 0) as total from credit_accounts a
    left join (select user_id, sum(delta) as total from credit_ledger group by user_id) l on l.user_id = a.user_id
    where a.balance <> coalesce(l.total, 0)`)) {
    problems.push({
      check: 'balance = Σ ledger',
      userId: r.user_id,
      detail: `balance ${r.balance}, ledger ${r.total}`,
    });
  }
  for (const r of rows<{
    user_id: string;
    purchased: number;
    total: number;
    allowance: number;
  }>(sql`
    select a.user_id, a.purchased, coalesce(l.purchased, 0) as total, a.balance - a.purchased as allowance
    from credit_accounts a
    left join (select user_id, sum(delta) as purchased from credit_ledger where pot = 'purchased' group by user_id) l
      on l.user_id = a.user_id
    where a.purchased <> coalesce(l.purchased, 0) or a.purchased < 0 or a.balance < a.purchased`)) {
    problems.push({
      check: 'purchased = Σ purchased-pot ledger, 0 ≤ purchased ≤ balance',
      userId: r.user_id,
      detail: `purchased ${r.purchased}, ledger ${r.total}, allowance ${r.allowance}`,
    });
  }
  for (const r of rows<{ user_id: string; reserved: number; open: number }>(sql`
    select a.user_id, a.reserved, coalesce(o.open, 0) as open from credit_accounts a
    left join (select user_id, sum(amount) as open from credit_reservations where status = 'open' group by user_id) o on o.user_id = a.user_id
    where a.reserved <> coalesce(o.open, 0) or a.balance < a.reserved or a.reserved < 0`)) {
    problems.push({
      check: 'reserved = Σ open reservations ≤ balance',
      userId: r.user_id,
      detail: `reserved ${r.reserved}, open ${r.open}`,
    });
  }
  for (const r of rows<{ user_id: string; id: number }>(sql`
    select user_id, id from (
      select user_id, id, balance_after, delta,
             lag(balance_after, 1, 0) over (partition by user_id order by id) as previous
      from credit_ledger) where balance_after <> previous + delta`)) {
    problems.push({
      check: 'ledger chain',
      userId: r.user_id,
      detail: `row ${r.id} does not follow from the row before`,
    });
  }
  for (const r of rows<{ id: string }>(sql`
    select r.id from credit_reservations r
    left join credit_ledger c
      on c.idempotency_key in ('charge:' || r.id, 'charge:' || r.id || ':purchased')
    group by r.id
    having (r.status = 'open' and r.charged is not null)
       or (r.status <> 'open' and (r.charged is null or r.charged > r.amount))
       or coalesce(-sum(c.delta), 0) <> (case when r.status = 'settled' then r.charged else 0 end)`)) {
    problems.push({ check: 'settled exactly once', detail: `reservation ${r.id}` });
  }
  const [counts] = rows<{ accounts: number; ledger: number }>(
    sql`select (select count(*) from credit_accounts) as accounts, (select count(*) from credit_ledger) as ledger`,
  );
  return {
    ok: problems.length === 0,
    accounts: counts?.accounts ?? 0,
    ledgerRows: counts?.ledger ?? 0,
    problems,
  };
}
