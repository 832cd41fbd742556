import type { Db, Sqlite } from '@tessera/db';
import type { Entitlements } from '../entitlements/entitlements.ts';
import { nextPeriodStart, periodStartMs } from './periods.ts';

// Read on every /v1 response: compiled once per connection.
const compiled = new WeakMap<Sqlite, ReturnType<typeof compile>>();
function compile(sqlite: Sqlite) {
  return {
    used: sqlite.prepare<[string, string, number], { requests: number }>(
      'select requests from usage_counters where user_id = ? and window = ? and period_start = ?',
    ),
    account: sqlite.prepare<[string], { daily_request_cap: number | null }>(
      'select daily_request_cap from credit_accounts where user_id = ?',
    ),
  };
}
function statementsFor(sqlite: Sqlite) {
  let statements = compiled.get(sqlite);
  if (!statements) {
    statements = compile(sqlite);
    compiled.set(sqlite, statements);
  }
  return statements;
}

export interface RequestWindow {
  window: 'minute' | 'day' | 'month';
  limit: number;
  remaining: number;
  resetsAt: Date;
}

/**
 * The member's tightest request window now: of the limited ones (per minute, per day with the
 * personal cap, per month), the one with the fewest requests left, the sooner reset on a tie.
 * `null` when no window limits requests. What OpenAI's `x-ratelimit-*-requests` headers report.
 */
export function getRequestWindow(
  db: Db,
  input: { userId: string; entitlements: Entitlements; now: Date; timeZone: string },
): RequestWindow | null {
  const { used, account } = statementsFor(db.$client);
  const cap = account.get(input.userId)?.daily_request_cap ?? null;
  return tightestRequestWindow(
    input,
    cap,
    (window, periodStart) => used.get(input.userId, window, periodStart)?.requests ?? 0,
  );
}

export type RequestWindowKind = RequestWindow['window'];

/**
 * The tightest window from the personal daily cap and the requests counted per window (shared by
 * every storage adapter); `used` is asked only for the windows that have a limit.
 */
export function tightestRequestWindow(
  input: { entitlements: Entitlements; now: Date; timeZone: string },
  cap: number | null,
  used: (window: RequestWindowKind, periodStart: number) => number,
): RequestWindow | null {
  const e = input.entitlements;
  const t = input.now.getTime();
  const dayLimit =
    e.requestsPerDay === null
      ? cap
      : cap === null
        ? e.requestsPerDay
        : Math.min(cap, e.requestsPerDay);
  const limits = [
    ['minute', e.requestsPerMinute],
    ['day', dayLimit],
    ['month', e.requestsPerMonth],
  ] as const;
  let tightest: RequestWindow | null = null;
  for (const [window, limit] of limits) {
    if (limit === null) continue;
    const count = used(window, periodStartMs(t, window, input.timeZone));
    const remaining = Math.max(0, limit - count);
    // Listed from the soonest reset, so a tie keeps the earlier one.
    if (!tightest || remaining < tightest.remaining)
      tightest = {
        window,
        limit,
        remaining,
        resetsAt: nextPeriodStart(input.now, window, input.timeZone),
      };
  }
  return tightest;
}
