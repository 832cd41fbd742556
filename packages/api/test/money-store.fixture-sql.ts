// The money store contract's fixture helpers, in SQL both engines read (see money-store.contract.ts).
import type { MoneyFixture } from './money-store.contract.ts';
import { plan } from './money-store.contract.ts';

/**
 * The fixture helpers, in SQL both engines read (`?` placeholders; the PostgreSQL runner numbers
 * them). Balances are seeded through ledger rows keyed `seed:…`, so the invariants hold from the
 * start; `ledger()` leaves those rows out.
 */
export function sqlFixture(
  query: <R>(sql: string, params: unknown[]) => Promise<R[]>,
  /** SQL for a new ledger row's id; `v.u` names its user. */
  nextLedgerId: string,
): Omit<MoneyFixture, 'store' | 'close'> {
  const seed = async (user: string, key: string, pot: string, delta: number, after: number) =>
    query(
      `insert into credit_ledger (user_id, id, delta, balance_after, kind, pot, idempotency_key, created_at)
       select v.u, ${nextLedgerId}, ?, ?, 'adjust', ?, ?, 0 from (select ? as u) v`,
      [delta, after, pot, key, user],
    );
  return {
    async addUser(id, account) {
      const purchased = account.purchased ?? 0;
      await query('insert into users (id, email, password_hash, created_at) values (?, ?, ?, 0)', [
        id,
        `${id}@contract.example`,
        'x',
      ]);
      await query(
        `insert into credit_accounts (user_id, balance, reserved, purchased, daily_request_cap, monthly_credit_cap, updated_at)
         values (?, ?, 0, ?, ?, ?, 0)`,
        [id, account.balance, purchased, account.dailyCap ?? null, account.monthlyCap ?? null],
      );
      const allowance = account.balance - purchased;
      if (allowance > 0) await seed(id, `seed:${id}`, 'allowance', allowance, allowance);
      if (purchased > 0) await seed(id, `seed:${id}:p`, 'purchased', purchased, account.balance);
    },
    async addRefillMark(id, policy, users) {
      const entitlements = JSON.stringify(plan({ refill: policy }));
      await query(
        `insert into marks (id, tenant_id, slug, key, name, description, entitlements, created_at, updated_at)
         values (?, 'platform', ?, ?, ?, '', ?, 0, 0)`,
        [id, id, id, id, entitlements],
      );
      for (const user of users)
        await query(
          `insert into memberships (id, user_id, mark_id, starts_at, expires_at, status, source, created_at, updated_at)
           values (?, ?, ?, 0, null, 'active', 'admin', 0, 0)`,
          [`${user}:${id}`, user, id],
        );
    },
    async account(id) {
      const [row] = await query<Record<string, unknown>>(
        'select balance, reserved, purchased from credit_accounts where user_id = ?',
        [id],
      );
      return {
        balance: Number(row?.balance),
        reserved: Number(row?.reserved),
        purchased: Number(row?.purchased),
      };
    },
    async ledger(id) {
      const rows = await query<Record<string, unknown>>(
        `select delta, pot, kind, idempotency_key from credit_ledger
         where user_id = ? and idempotency_key not like 'seed:%' order by id`,
        [id],
      );
      return rows.map((r) => ({
        delta: Number(r.delta),
        pot: String(r.pot),
        kind: String(r.kind),
        key: String(r.idempotency_key),
      }));
    },
    async requests(id, window) {
      const rows = await query<{ n: unknown }>(
        `select coalesce(sum(requests), 0) as n from usage_counters where user_id = ? and "window" = ?`,
        [id, window],
      );
      return Number(rows[0]?.n);
    },
    async reservations(id) {
      const rows = await query<{ n: unknown }>(
        'select count(*) as n from credit_reservations where user_id = ?',
        [id],
      );
      return Number(rows[0]?.n);
    },
    async reservation(requestId) {
      const [row] = await query<Record<string, unknown>>(
        'select status, holder, lease_until from credit_reservations where id = ?',
        [requestId],
      );
      if (!row) return undefined;
      return {
        status: String(row.status),
        holder: row.holder == null ? null : String(row.holder),
        leaseUntil: row.lease_until == null ? null : Number(row.lease_until),
      };
    },
    async setLease(requestId, leaseUntil) {
      await query('update credit_reservations set lease_until = ? where id = ?', [
        leaseUntil,
        requestId,
      ]);
    },
    async breakBalance(id) {
      await query('update credit_accounts set balance = balance + 1 where user_id = ?', [id]);
    },
    async creditEvents(id) {
      const rows = await query<{ n: unknown }>(
        `select count(*) as n from member_events where user_id = ? and kind = 'credits.changed'`,
        [id],
      );
      return Number(rows[0]?.n);
    },
  };
}
