// Prepared statements for the hot path (admission and settlement), compiled once per connection.
// Each one is a single guarded statement: a change happens only if its condition holds *in the
// same statement*, so concurrent requests (in this or another process) can never overshoot.
import type { Sqlite } from '@tessera/db';

function compile(sqlite: Sqlite) {
  return {
    insertReservation: sqlite.prepare<
      [{ id: string; user: string; amount: number; now: number; holder: string }]
    >(
      `insert into credit_reservations (id, user_id, amount, status, created_at, holder)
       values (@id, @user, @amount, 'open', @now, @holder)
       on conflict(id) do nothing returning id`,
    ),
    getReservation: sqlite.prepare<
      [string],
      { user_id: string; amount: number; status: string; charged: number | null }
    >('select user_id, amount, status, charged from credit_reservations where id = ?'),
    /** +1 request in a window, only while below the limit. */
    countRequest: sqlite.prepare<
      [{ user: string; window: string; start: number; limit: number }],
      { requests: number }
    >(
      `insert into usage_counters (user_id, window, period_start, requests) values (@user, @window, @start, 1)
       on conflict(user_id, window, period_start) do update set requests = requests + 1 where requests < @limit
       returning requests`,
    ),
    getAccount: sqlite.prepare<
      [string],
      {
        balance: number;
        reserved: number;
        daily_request_cap: number | null;
        monthly_credit_cap: number | null;
      }
    >(
      'select balance, reserved, daily_request_cap, monthly_credit_cap from credit_accounts where user_id = ?',
    ),
    /** Holds `amount` only if that much is available and the personal monthly cap allows it. */
    reserveCredits: sqlite.prepare<
      [{ amount: number; now: number; user: string; month: number }],
      { balance: number; reserved: number }
    >(
      `update credit_accounts set reserved = reserved + @amount, updated_at = @now
       where user_id = @user and balance - reserved >= @amount
         and (monthly_credit_cap is null or monthly_credit_cap - reserved - coalesce(
               (select credits from usage_counters where user_id = @user and window = 'month' and period_start = @month), 0) >= @amount)
       returning balance, reserved`,
    ),
    /** Closes an open reservation exactly once; a second settlement matches no row. */
    closeReservation: sqlite.prepare<
      [{ cost: number; now: number; id: string }],
      { user_id: string; amount: number; charged: number }
    >(
      `update credit_reservations
       set status = case when min(@cost, amount) > 0 then 'settled' else 'released' end, charged = min(@cost, amount), settled_at = @now
       where id = @id and status = 'open'
       returning user_id, amount, charged`,
    ),
    settleAccount: sqlite.prepare<
      [{ charged: number; amount: number; now: number; user: string }],
      { balance: number }
    >(
      `update credit_accounts set balance = balance - @charged, reserved = reserved - @amount, updated_at = @now
       where user_id = @user returning balance`,
    ),
    insertCharge: sqlite.prepare<[string, number, number, string, string, number]>(
      `insert into credit_ledger (user_id, delta, balance_after, kind, idempotency_key, reference, created_at)
       values (?, ?, ?, 'charge', ?, ?, ?)`,
    ),
    addUsage: sqlite.prepare<
      [
        {
          user: string;
          window: string;
          start: number;
          input: number;
          output: number;
          credits: number;
        },
      ]
    >(
      `insert into usage_counters (user_id, window, period_start, requests, input_tokens, output_tokens, credits)
       values (@user, @window, @start, 0, @input, @output, @credits)
       on conflict(user_id, window, period_start) do update set
         input_tokens = input_tokens + excluded.input_tokens,
         output_tokens = output_tokens + excluded.output_tokens,
         credits = credits + excluded.credits`,
    ),
    getModelPrice: sqlite.prepare<
      [string],
      { input_price_per_million: number; output_price_per_million: number }
    >(
      'select input_price_per_million, output_price_per_million from models where id = ? and active = 1',
    ),
  };
}

export type HotStatements = ReturnType<typeof compile>;
const cache = new WeakMap<Sqlite, HotStatements>();

export function hotStatements(sqlite: Sqlite): HotStatements {
  let statements = cache.get(sqlite);
  if (!statements) {
    statements = compile(sqlite);
    cache.set(sqlite, statements);
  }
  return statements;
}
