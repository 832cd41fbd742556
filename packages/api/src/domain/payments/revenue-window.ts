import { nextPeriodStart, periodStart } from '../usage/periods.ts';

/** The ranges the money views offer, each with the bucket it is drawn in. */
export const revenueRanges = ['30d', '90d', '365d'] as const;
export type RevenueRange = (typeof revenueRanges)[number];

const RANGE_DAYS: Record<RevenueRange, number> = { '30d': 30, '90d': 90, '365d': 365 };
// A year of days is 365 points nobody can read; weeks keep the chart legible.
const RANGE_UNIT: Record<RevenueRange, 'day' | 'week'> = {
  '30d': 'day',
  '90d': 'day',
  '365d': 'week',
};

export interface RevenueWindow {
  unit: 'day' | 'week';
  /** Start of the first bucket; the sum of the buckets is exactly the total over [from, to). */
  from: number;
  /** End of the current bucket (the next local midnight / Monday), so today's payments count. */
  to: number;
  /** Consecutive [start, end) in epoch ms, oldest first. */
  buckets: [number, number][];
}

/**
 * The calendar buckets of "the last N days" in the platform's time zone: local days (or weeks from
 * Monday), so a payment at 23:30 local time lands on that local day whatever UTC says, and a
 * daylight-saving day is 23 or 25 hours long. Whole buckets only: the 365-day range starts on the
 * Monday of the week 364 days ago, so its total and its weekly points agree.
 */
export function revenueWindow(range: RevenueRange, now: Date, timeZone: string): RevenueWindow {
  const unit = RANGE_UNIT[range];
  const today = periodStart(now, 'day', timeZone);
  // Noon of the local day N−1 days back: daylight-saving shifts (an hour or two) cannot move
  // noon off its day, so one zone lookup finds that day's start.
  const first = periodStart(
    new Date(today.getTime() - (RANGE_DAYS[range] - 1) * 86_400_000 + 12 * 3_600_000),
    'day',
    timeZone,
  );
  let start = periodStart(first, unit, timeZone).getTime();
  const to = nextPeriodStart(now, unit, timeZone).getTime();
  const buckets: [number, number][] = [];
  while (start < to) {
    const end = nextPeriodStart(new Date(start), unit, timeZone).getTime();
    buckets.push([start, end]);
    start = end;
  }
  return { unit, from: buckets[0]?.[0] ?? to, to, buckets };
}
