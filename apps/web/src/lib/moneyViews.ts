import type { Locale } from '../i18n/translate.ts';
import { minorToMajor } from './money.ts';
import type { RouterOutputs } from './trpc.ts';

/** The money views (Admin → Revenue, a vendor's Revenue tab): what they read and how they draw it. */

export type RevenueReport = RouterOutputs['admin']['money']['revenue'];
export type RevenueRange = RevenueReport['range'];
export type RevenueProduct = RevenueReport['products'][number];
export type PlanSubscriptions = RouterOutputs['admin']['money']['subscriptions'][number];

export const REVENUE_RANGES: readonly RevenueRange[] = ['30d', '90d', '365d'];
export const DEFAULT_REVENUE_RANGE: RevenueRange = '30d';

/** One point of the chart: a bucket's net revenue in one currency (major units) and purchases. */
export interface RevenuePoint {
  start: string;
  label: string;
  net: number;
  purchases: number;
}

/**
 * The chart's points for one currency: a chart never adds currencies together, so the view picks
 * one (the one most purchases were made in, by default) and draws its net revenue per bucket beside
 * the purchases of every kind. Labels are the bucket's local date in the platform's time zone.
 */
export function revenuePoints(
  report: RevenueReport,
  currency: string,
  locale: Locale,
): RevenuePoint[] {
  const index = report.currencies.indexOf(currency);
  const label = new Intl.DateTimeFormat(locale, {
    month: 'short',
    day: 'numeric',
    timeZone: report.timeZone,
  });
  return report.buckets.map((b) => ({
    start: b.start,
    label: label.format(new Date(b.start)),
    net: index < 0 ? 0 : minorToMajor(b.revenue[index]?.netMinor ?? 0, currency),
    purchases: b.purchases.subscription + b.purchases.plan + b.purchases.pack,
  }));
}

/**
 * The currency the chart opens on: the one most purchases were made in (ties: alphabetical).
 * Not the largest amount: 900 yen and 2,000 cents cannot be compared without an exchange rate.
 */
export function leadingCurrency(report: Pick<RevenueReport, 'totals'>): string | undefined {
  return [...report.totals].sort(
    (a, b) => b.purchases - a.purchases || a.currency.localeCompare(b.currency),
  )[0]?.currency;
}

/** Has anybody paid in this range? (Otherwise the view explains where payments come from.) */
export function hasPayments(report: Pick<RevenueReport, 'totals'>): boolean {
  return report.totals.some((t) => t.purchases > 0);
}
