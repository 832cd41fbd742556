// The credit invariants (`credits:check`) on PostgreSQL: the same five checks as
// domain/credits/check-invariants.ts, in PostgreSQL's dialect (sums are numeric, a derived table
// needs an alias, counts are bigint). Read in one REPEATABLE READ snapshot would be stricter; each
// check is one statement, so run it on a quiet database or expect in-flight requests to show.
import type { InvariantReport } from '../../domain/credits/check-invariants.ts';
import { num, type PgQueryable } from './pg-query.ts';

const CHECKS: { check: string; sql: string; describe(row: Record<string, unknown>): string }[] = [
  {
    check: 'balance = Σ ledger',
    sql: `select a.user_id, a.balance, coalesce(l.total, 0) as total from credit_accounts a
          left join (select user_id, sum(delta) as total from credit_ledger group by user_id) l
            on l.user_id = a.user_id
          where a.balance <> coalesce(l.total, 0)`,
    describe: (r) => `balance ${num(r.balance as string)}, ledger ${num(r.total as string)}`,
  },
  {
    check: 'purchased = Σ purchased-pot ledger, 0 ≤ purchased ≤ balance',
    sql: `select a.user_id, a.purchased, coalesce(l.purchased, 0) as total,
                 a.balance - a.purchased as allowance
          from credit_accounts a
          left join (select user_id, sum(delta) as purchased from credit_ledger
                     where pot = 'purchased' group by user_id) l on l.user_id = a.user_id
          where a.purchased <> coalesce(l.purchased, 0) or a.purchased < 0 or a.balance < a.purchased`,
    describe: (r) =>
      `purchased ${num(r.purchased as string)}, ledger ${num(r.total as string)}, allowance ${num(r.allowance as string)}`,
  },
  {
    check: 'reserved = Σ open reservations ≤ balance',
    sql: `select a.user_id, a.reserved, coalesce(o.open, 0) as open from credit_accounts a
          left join (select user_id, sum(amount) as open from credit_reservations
                     where status = 'open' group by user_id) o on o.user_id = a.user_id
          where a.reserved <> coalesce(o.open, 0) or a.balance < a.reserved or a.reserved < 0`,
    describe: (r) => `reserved ${num(r.reserved as string)}, open ${num(r.open as string)}`,
  },
  {
    check: 'ledger chain',
    sql: `select user_id, id from (
            select user_id, id, balance_after, delta,
                   lag(balance_after, 1, 0::bigint) over (partition by user_id order by id) as previous
            from credit_ledger) chain
          where balance_after <> previous + delta`,
    describe: (r) => `row ${num(r.id as string)} does not follow from the row before`,
  },
  {
    check: 'settled exactly once',
    sql: `select r.id, null as user_id from credit_reservations r
          left join credit_ledger c
            on c.idempotency_key in ('charge:' || r.id, 'charge:' || r.id || ':purchased')
          group by r.id
          having (r.status = 'open' and r.charged is not null)
              or (r.status <> 'open' and (r.charged is null or r.charged > r.amount))
              or coalesce(-sum(c.delta), 0) <> (case when r.status = 'settled' then r.charged else 0 end)`,
    describe: (r) => `reservation ${r.id as string}`,
  },
];

export async function checkPgCreditInvariants(pool: PgQueryable): Promise<InvariantReport> {
  const problems: InvariantReport['problems'] = [];
  for (const { check, sql, describe } of CHECKS) {
    const { rows } = await pool.query<Record<string, unknown>>({ text: sql });
    for (const row of rows) {
      const userId = row.user_id === null ? undefined : (row.user_id as string);
      problems.push(
        check === 'settled exactly once'
          ? { check, detail: describe(row) }
          : { check, userId, detail: describe(row) },
      );
    }
  }
  const { rows } = await pool.query<{ accounts: string; ledger: string }>({
    text: 'select (select count(*) from credit_accounts) as accounts, (select count(*) from credit_ledger) as ledger',
  });
  return {
    ok: problems.length === 0,
    accounts: num(rows[0]?.accounts),
    ledgerRows: num(rows[0]?.ledger),
    problems,
  };
}
