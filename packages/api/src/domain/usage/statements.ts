// Prepared statements for the hot path (admission and settlement), compiled once per connection.
// Each one is a single guarded statement: a change happens only if its condition holds *in the
// same statement*, so concurrent requests (in this or another process) can never overshoot.
// Admission and settlement each run them in one write transaction: the first statement of each
// takes the write lock, so what a later statement is given (a counter's new value, returned by an
// earlier statement of the same transaction) cannot have changed underneath it.
import type { Sqlite } from '@tessera/db';

/** A window's counters after an admission counted it (`returning` of the counting upsert). */
export interface CountedWindow {
  window: 'minute' | 'day' | 'month';
  requests: number;
  credits: number;
}

// +1 request in each window, only while below that window's limit. A window at its limit is left
// alone and is missing from what comes back; the caller then rolls the transaction back. A limit
// of 0 never reaches SQL (an insert of a window's first row is not guarded): the caller refuses.
const countUpsert = (limit: string) =>
  `on conflict(user_id, window, period_start) do update set requests = requests + 1
   where requests < ${limit} returning window, requests, credits`;

function compile(sqlite: Sqlite) {
  return {
    /** The reservation, or nothing when the request id exists (a replay, or another user's id). */
    insertReservation: sqlite.prepare<
      [{ id: string; user: string; amount: number; now: number; holder: string }],
      { id: string }
    >(
      `insert into credit_reservations (id, user_id, amount, status, created_at, holder)
       values (@id, @user, @amount, 'open', @now, @holder)
       on conflict(id) do nothing returning id`,
    ),
    getReservation: sqlite.prepare<
      [string],
      { user_id: string; amount: number; status: string; charged: number | null }
    >('select user_id, amount, status, charged from credit_reservations where id = ?'),
    /** The day and month windows, counted in one statement (see countUpsert). */
    countDayMonth: sqlite.prepare<
      [{ user: string; day: number; month: number; dayLimit: number; monthLimit: number }],
      CountedWindow
    >(
      `insert into usage_counters (user_id, window, period_start, requests)
       values (@user, 'day', @day, 1), (@user, 'month', @month, 1)
       ${countUpsert("case window when 'day' then @dayLimit else @monthLimit end")}`,
    ),
    /** The same with a per-minute rate limit. */
    countMinuteDayMonth: sqlite.prepare<
      [
        {
          user: string;
          minute: number;
          day: number;
          month: number;
          minuteLimit: number;
          dayLimit: number;
          monthLimit: number;
        },
      ],
      CountedWindow
    >(
      `insert into usage_counters (user_id, window, period_start, requests)
       values (@user, 'minute', @minute, 1), (@user, 'day', @day, 1), (@user, 'month', @month, 1)
       ${countUpsert("case window when 'minute' then @minuteLimit when 'day' then @dayLimit else @monthLimit end")}`,
    ),
    /**
     * Holds `amount` only if that much is available, today's request count (this one included)
     * is within the personal daily cap, and the personal monthly credit cap allows it. `dayRequests`
     * and `monthCredits` come from the counting statement of the same transaction.
     */
    reserveCredits: sqlite.prepare<
      [{ amount: number; now: number; user: string; dayRequests: number; monthCredits: number }],
      { balance: number; reserved: number }
    >(
      `update credit_accounts set reserved = reserved + @amount, updated_at = @now
       where user_id = @user and balance - reserved >= @amount
         and (daily_request_cap is null or daily_request_cap >= @dayRequests)
         and (monthly_credit_cap is null or monthly_credit_cap - reserved - @monthCredits >= @amount)
       returning balance, reserved`,
    ),
    /** Only to explain a refusal, inside the refused transaction. */
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
    /** Tokens and credits into the day and month windows, in one statement. */
    addUsage: sqlite.prepare<
      [
        {
          user: string;
          day: number;
          month: number;
          input: number;
          output: number;
          credits: number;
        },
      ]
    >(
      `insert into usage_counters (user_id, window, period_start, requests, input_tokens, output_tokens, credits)
       values (@user, 'day', @day, 0, @input, @output, @credits), (@user, 'month', @month, 0, @input, @output, @credits)
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

/**
 * `body` as one write transaction (`BEGIN IMMEDIATE`; a savepoint when already inside one), built
 * once per connection with better-sqlite3's own wrapper. Drizzle's `db.transaction` builds a new
 * wrapper and a transaction object with a query builder per table on every call, which cost more
 * CPU than all the statements of an admission together.
 */
export function hotTransaction<A, R>(
  body: (s: HotStatements, arg: A) => R,
): (sqlite: Sqlite, arg: A) => R {
  const compiled = new WeakMap<Sqlite, (arg: A) => R>();
  return (sqlite, arg) => {
    let run = compiled.get(sqlite);
    if (!run) {
      const s = hotStatements(sqlite);
      run = sqlite.transaction((inner: A) => body(s, inner)).immediate;
      compiled.set(sqlite, run);
    }
    return run(arg);
  };
}
