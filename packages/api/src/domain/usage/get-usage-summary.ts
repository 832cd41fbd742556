import type { Db } from '@tessera/db';
import type { Entitlements } from '../entitlements/entitlements.ts';
import { nextPeriodStart, periodStart } from './periods.ts';

/** Today's and this month's usage against the limits, the credit balance and personal caps. */
export function getUsageSummary(
  db: Db,
  input: { userId: string; entitlements: Entitlements; now: Date; timeZone: string },
) {
  const day = periodStart(input.now, 'day', input.timeZone).getTime();
  const month = periodStart(input.now, 'month', input.timeZone).getTime();
  const counter = db.$client.prepare<
    [string, string, number],
    { requests: number; credits: number; input_tokens: number; output_tokens: number }
  >(
    'select requests, credits, input_tokens, output_tokens from usage_counters where user_id = ? and window = ? and period_start = ?',
  );
  const today = counter.get(input.userId, 'day', day);
  const thisMonth = counter.get(input.userId, 'month', month);
  const account = db.$client
    .prepare<
      [string],
      {
        balance: number;
        reserved: number;
        purchased: number;
        daily_request_cap: number | null;
        monthly_credit_cap: number | null;
      }
    >(
      'select balance, reserved, purchased, daily_request_cap, monthly_credit_cap from credit_accounts where user_id = ?',
    )
    .get(input.userId);
  return usageSummaryOf({ today, thisMonth, account }, input);
}

/** What a usage summary is built from: the day's and month's counters and the credit account. */
export interface UsageFigures {
  today?: { requests: number; credits: number };
  thisMonth?: { requests: number; credits: number };
  account?: {
    balance: number;
    reserved: number;
    purchased: number;
    daily_request_cap: number | null;
    monthly_credit_cap: number | null;
  };
}

export type UsageSummary = ReturnType<typeof usageSummaryOf>;
export type DailyUsage = ReturnType<typeof dailySeriesOf>;

/** The summary from its figures (shared by every storage adapter). */
export function usageSummaryOf(
  { today, thisMonth, account }: UsageFigures,
  input: { entitlements: Entitlements; now: Date; timeZone: string },
) {
  const cap = account?.daily_request_cap ?? null;
  const planDay = input.entitlements.requestsPerDay;
  return {
    day: {
      requests: today?.requests ?? 0,
      limit: planDay === null ? cap : cap === null ? planDay : Math.min(planDay, cap),
      planLimit: planDay,
      resetsAt: nextPeriodStart(input.now, 'day', input.timeZone),
    },
    month: {
      requests: thisMonth?.requests ?? 0,
      limit: input.entitlements.requestsPerMonth,
      creditsSpent: thisMonth?.credits ?? 0,
      resetsAt: nextPeriodStart(input.now, 'month', input.timeZone),
    },
    requestsPerMinute: input.entitlements.requestsPerMinute,
    credits: {
      balance: account?.balance ?? 0,
      reserved: account?.reserved ?? 0,
      available: (account?.balance ?? 0) - (account?.reserved ?? 0),
      // The two pots (decision 015): a chat spends the allowance first, then purchased credits.
      allowance: (account?.balance ?? 0) - (account?.purchased ?? 0),
      purchased: account?.purchased ?? 0,
    },
    caps: { dailyRequestCap: cap, monthlyCreditCap: account?.monthly_credit_cap ?? null },
    timeZone: input.timeZone,
  };
}

/** Requests, tokens and credits per day for the last `days` days (oldest first, zero-filled). */
export function getDailyUsage(
  db: Db,
  input: { userId: string; days: number; now: Date; timeZone: string },
) {
  const rows = db.$client
    .prepare<
      [string, number],
      {
        period_start: number;
        requests: number;
        credits: number;
        input_tokens: number;
        output_tokens: number;
      }
    >(
      "select period_start, requests, credits, input_tokens, output_tokens from usage_counters where user_id = ? and window = 'day' and period_start >= ? order by period_start",
    )
    .all(input.userId, dailyUsageSince(input));
  return dailySeriesOf(rows, input);
}

/** The window of day counters `getDailyUsage` reads: period starts from this many ms on. */
export function dailyUsageSince(input: { days: number; now: Date }): number {
  return input.now.getTime() - (input.days + 1) * 86_400_000;
}

/** The zero-filled series from the day counters (shared by every storage adapter). */
export function dailySeriesOf(
  rows: readonly {
    period_start: number;
    requests: number;
    credits: number;
    input_tokens: number;
    output_tokens: number;
  }[],
  input: { days: number; now: Date; timeZone: string },
) {
  const byStart = new Map(rows.map((r) => [r.period_start, r]));
  const series: { day: Date; requests: number; credits: number; tokens: number }[] = [];
  let start = periodStart(input.now, 'day', input.timeZone);
  for (let i = 0; i < input.days; i++) {
    const r = byStart.get(start.getTime());
    series.unshift({
      day: start,
      requests: r?.requests ?? 0,
      credits: r?.credits ?? 0,
      tokens: (r?.input_tokens ?? 0) + (r?.output_tokens ?? 0),
    });
    start = periodStart(new Date(start.getTime() - 1), 'day', input.timeZone);
  }
  return series;
}
