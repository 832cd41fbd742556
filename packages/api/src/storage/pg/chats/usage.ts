// PostgreSQL: the member's usage reads (usage.summary, usage.daily, the /v1 rate-limit headers).
// The figures are read here; what they mean (limits, caps, the zero-filled series, the tightest
// window) is the shared domain code's. `window` is a reserved word in PostgreSQL: quoted.
import type { PgDb } from '@tessera/db/pg';
import {
  type RequestWindowKind,
  tightestRequestWindow,
} from '../../../domain/usage/get-request-window.ts';
import {
  dailySeriesOf,
  dailyUsageSince,
  type UsageFigures,
  usageSummaryOf,
} from '../../../domain/usage/get-usage-summary.ts';
import { periodStart, periodStartMs } from '../../../domain/usage/periods.ts';
import { checkPersonalCaps } from '../../../domain/usage/set-personal-caps.ts';
import type { ChatStore } from '../../chats-store.ts';

type UsageMethods = Pick<
  ChatStore,
  'usageSummary' | 'dailyUsage' | 'requestWindow' | 'setPersonalCaps'
>;

type Counter = { requests: number; credits: number; input_tokens: number; output_tokens: number };

export function pgUsageMethods(db: PgDb): UsageMethods {
  const pool = db.$client;
  return {
    async usageSummary(input) {
      const day = periodStart(input.now, 'day', input.timeZone).getTime();
      const month = periodStart(input.now, 'month', input.timeZone).getTime();
      const [counters, accounts] = await Promise.all([
        pool.query<Counter & { window: 'day' | 'month' }>({
          name: 'tessera_usage_summary_counters',
          text: `select "window", requests, credits, input_tokens, output_tokens from usage_counters
                 where user_id = $1
                   and (("window" = 'day' and period_start = $2)
                     or ("window" = 'month' and period_start = $3))`,
          values: [input.userId, day, month],
        }),
        pool.query<NonNullable<UsageFigures['account']>>({
          name: 'tessera_usage_summary_account',
          text: `select balance, reserved, purchased, daily_request_cap, monthly_credit_cap
                 from credit_accounts where user_id = $1`,
          values: [input.userId],
        }),
      ]);
      return usageSummaryOf(
        {
          today: counters.rows.find((row) => row.window === 'day'),
          thisMonth: counters.rows.find((row) => row.window === 'month'),
          account: accounts.rows[0],
        },
        input,
      );
    },

    async dailyUsage(input) {
      const { rows } = await pool.query<Counter & { period_start: number }>({
        name: 'tessera_usage_daily',
        text: `select period_start, requests, credits, input_tokens, output_tokens
               from usage_counters
               where user_id = $1 and "window" = 'day' and period_start >= $2
               order by period_start`,
        values: [input.userId, dailyUsageSince(input)],
      });
      return dailySeriesOf(rows, input);
    },

    async requestWindow(input) {
      // One round trip: the personal daily cap and the three windows' counts now.
      const t = input.now.getTime();
      const starts = {
        minute: periodStartMs(t, 'minute', input.timeZone),
        day: periodStartMs(t, 'day', input.timeZone),
        month: periodStartMs(t, 'month', input.timeZone),
      };
      const count = (n: number, window: RequestWindowKind) =>
        `coalesce((select requests from usage_counters where user_id = $1 and "window" = '${window}' and period_start = $${n}), 0) as ${window}`;
      const { rows } = await pool.query<{
        cap: number | null;
        minute: number;
        day: number;
        month: number;
      }>({
        name: 'tessera_usage_request_window',
        text: `select (select daily_request_cap from credit_accounts where user_id = $1) as cap,
                 ${count(2, 'minute')}, ${count(3, 'day')}, ${count(4, 'month')}`,
        values: [input.userId, starts.minute, starts.day, starts.month],
      });
      const figures = rows[0]!;
      return tightestRequestWindow(input, figures.cap, (window, start) =>
        start === starts[window] ? figures[window] : 0,
      );
    },

    async setPersonalCaps(input) {
      checkPersonalCaps(input);
      await pool.query({
        name: 'tessera_usage_set_caps',
        text: `update credit_accounts set daily_request_cap = $1, monthly_credit_cap = $2, updated_at = $3
               where user_id = $4`,
        values: [input.dailyRequestCap, input.monthlyCreditCap, input.now.getTime(), input.userId],
      });
      return { dailyRequestCap: input.dailyRequestCap, monthlyCreditCap: input.monthlyCreditCap };
    },
  };
}
