// Prepared statements for the hot path (admission and settlement), compiled once per connection.
// Each one is a single guarded statement: a change happens only if its condition holds *in the
// same statement*, so concurrent requests (in this or another process) can never overshoot.
// Admission and settlement each run them in one write transaction: the first statement of each
// takes the write lock, so what a later statement is given (a counter's new value, returned by an
// earlier statement of the same transaction) cannot have changed underneath it.
import type { Sqlite } from '@tessera/db';
import { nextLedgerIdSql } from '../credits/ledger-sql.ts';

/** A window's counters after an admission counted it (`returning` of the counting upsert). */
export interface CountedWindow {
  window: 'minute' | 'day' | 'month';
  requests: number;
  credits: number;
}

// +1 request in each window, only while below that window's limit. A window at its limit is left
// alone and is missing from what comes back; the caller then rolls the transaction back. A limit
// of 0 never reaches SQL (an insert of a window's first row is not guarded): the caller refuses.
const COUNT_UPSERT = `on conflict(user_id, window, period_start) do update set requests = requests + 1
   where requests < case window when 'minute' then ? when 'day' then ? else ? end
   returning window, requests, credits`;

// Parameters are bound by position: better-sqlite3 binds named ones through an object lookup per
// parameter, which cost about a third of a statement here. Each statement is wrapped in a function
// whose arguments name them; the SQL lists them in order in a comment.
function compile(sqlite: Sqlite) {
  const insertReservation = sqlite.prepare<[string, string, number, number, string, number]>(
    // id, user, amount, now, holder, leaseUntil
    `insert into credit_reservations (id, user_id, amount, status, created_at, holder, lease_until)
     values (?, ?, ?, 'open', ?, ?, ?) on conflict(id) do nothing`,
  );
  const getReservation = sqlite.prepare<
    [string],
    { user_id: string; amount: number; status: string; charged: number | null }
  >('select user_id, amount, status, charged from credit_reservations where id = ?');
  const countDayMonth = sqlite.prepare<
    [string, number, string, number, number, number, number],
    CountedWindow
  >(
    // user, day, user, month, minuteLimit (unused), dayLimit, monthLimit
    `insert into usage_counters (user_id, window, period_start, requests)
     values (?, 'day', ?, 1), (?, 'month', ?, 1) ${COUNT_UPSERT}`,
  );
  const countMinuteDayMonth = sqlite.prepare<
    [string, number, string, number, string, number, number, number, number],
    CountedWindow
  >(
    // user, minute, user, day, user, month, minuteLimit, dayLimit, monthLimit
    `insert into usage_counters (user_id, window, period_start, requests)
     values (?, 'minute', ?, 1), (?, 'day', ?, 1), (?, 'month', ?, 1) ${COUNT_UPSERT}`,
  );
  const reserveCredits = sqlite.prepare<[number, number, string, number, number, number, number]>(
    // amount, now, user, amount, dayRequests, monthCredits, amount
    `update credit_accounts set reserved = reserved + ?, updated_at = ?
     where user_id = ? and balance - reserved >= ?
       and (daily_request_cap is null or daily_request_cap >= ?)
       and (monthly_credit_cap is null or monthly_credit_cap - reserved - ? >= ?)`,
  );
  const getAccount = sqlite.prepare<
    [string],
    {
      balance: number;
      reserved: number;
      daily_request_cap: number | null;
      monthly_credit_cap: number | null;
    }
  >(
    'select balance, reserved, daily_request_cap, monthly_credit_cap from credit_accounts where user_id = ?',
  );
  const closeReservation = sqlite.prepare<
    [number, number, number, string],
    { user_id: string; amount: number; charged: number }
  >(
    // cost, cost, now, id
    `update credit_reservations
     set status = case when min(?, amount) > 0 then 'settled' else 'released' end,
         charged = min(?, amount), settled_at = ?
     where id = ? and status = 'open'
     returning user_id, amount, charged`,
  );
  const getPurchased = sqlite.prepare<[string], { purchased: number }>(
    'select purchased from credit_accounts where user_id = ?',
  );
  // The waterfall (decision 015): the charge comes out of the allowance (balance − purchased)
  // first and out of purchased credits only for the rest. SQLite evaluates every SET expression
  // on the row as it was, so `purchased` here is computed from the old balance and purchased.
  const settleAccount = sqlite.prepare<
    [number, number, number, number, string],
    { balance: number; purchased: number }
  >(
    // charged, charged, amount, now, user
    `update credit_accounts set purchased = purchased - max(0, ? - (balance - purchased)),
       balance = balance - ?, reserved = reserved - ?, updated_at = ?
     where user_id = ? returning balance, purchased`,
  );
  const insertCharge = sqlite.prepare<
    [string, string, number, number, string, string, string, number]
  >(
    // user, user, delta, balance, pot, key, model, now
    `insert into credit_ledger (user_id, id, delta, balance_after, kind, pot, idempotency_key, reference, created_at)
     values (?, ${nextLedgerIdSql('?')}, ?, ?, 'charge', ?, ?, ?, ?)`,
  );
  const addUsage = sqlite.prepare<
    [string, number, number, number, number, string, number, number, number, number]
  >(
    // (user, day, input, output, credits), (user, month, input, output, credits)
    `insert into usage_counters (user_id, window, period_start, requests, input_tokens, output_tokens, credits)
     values (?, 'day', ?, 0, ?, ?, ?), (?, 'month', ?, 0, ?, ?, ?)
     on conflict(user_id, window, period_start) do update set
       input_tokens = input_tokens + excluded.input_tokens,
       output_tokens = output_tokens + excluded.output_tokens,
       credits = credits + excluded.credits`,
  );
  const getModelPrice = sqlite.prepare<
    [string],
    { input_price_per_million: number; output_price_per_million: number }
  >(
    'select input_price_per_million, output_price_per_million from models where id = ? and active = 1',
  );

  return {
    /** Inserts an open reservation; false when the request id exists (a replay, or another user's). */
    insertReservation: (
      id: string,
      user: string,
      amount: number,
      now: number,
      holder: string,
      leaseUntil: number,
    ) => insertReservation.run(id, user, amount, now, holder, leaseUntil).changes === 1,
    getReservation: (id: string) => getReservation.get(id),
    /** Counts day and month, and the minute unless `minuteLimit` is null; see COUNT_UPSERT. */
    countRequest: (
      user: string,
      day: number,
      dayLimit: number,
      month: number,
      monthLimit: number,
      minute: number,
      minuteLimit: number | null,
    ) =>
      minuteLimit === null
        ? countDayMonth.all(user, day, user, month, 0, dayLimit, monthLimit)
        : countMinuteDayMonth.all(
            user,
            minute,
            user,
            day,
            user,
            month,
            minuteLimit,
            dayLimit,
            monthLimit,
          ),
    /**
     * Holds `amount` only if that much is available, today's request count (this one included)
     * is within the personal daily cap, and the personal monthly credit cap allows it.
     * `dayRequests` and `monthCredits` come from `countRequest` in the same transaction.
     */
    reserveCredits: (
      user: string,
      amount: number,
      dayRequests: number,
      monthCredits: number,
      now: number,
    ) =>
      reserveCredits.run(amount, now, user, amount, dayRequests, monthCredits, amount).changes ===
      1,
    /** Only to explain a refusal, inside the refused transaction. */
    getAccount: (user: string) => getAccount.get(user),
    /** Closes an open reservation exactly once; a second settlement matches no row. */
    closeReservation: (id: string, cost: number, now: number) =>
      closeReservation.get(cost, cost, now, id),
    /** Purchased credits before a settlement, to label the ledger rows it writes by pot. */
    getPurchased: (user: string) => getPurchased.get(user)?.purchased ?? 0,
    settleAccount: (user: string, charged: number, amount: number, now: number) =>
      settleAccount.get(charged, charged, amount, now, user),
    insertCharge: (
      user: string,
      delta: number,
      balance: number,
      pot: 'allowance' | 'purchased',
      key: string,
      model: string,
      now: number,
    ) => insertCharge.run(user, user, delta, balance, pot, key, model, now),
    /** Tokens and credits into the day and month windows, in one statement. */
    addUsage: (
      user: string,
      day: number,
      month: number,
      input: number,
      output: number,
      credits: number,
    ) => addUsage.run(user, day, input, output, credits, user, month, input, output, credits),
    getModelPrice: (id: string) => getModelPrice.get(id),
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
