import type { Locale, TranslateFn } from '../i18n/translate.ts';
import { formatCount } from './money.ts';

/** From this share of a limit on, a quota bar turns amber. */
export const WARNING_RATIO = 0.8;

export type QuotaStatus = 'unlimited' | 'normal' | 'warning' | 'exhausted';

export interface Quota {
  used: number;
  /** null = unlimited. */
  limit: number | null;
  /** 0–100, for a progress bar; 0 when unlimited. */
  percent: number;
  status: QuotaStatus;
  /** What is left (never negative); null when unlimited. */
  remaining: number | null;
}

/** Usage against a limit (null = unlimited, 0 = none granted). */
export function quota(used: number, limit: number | null): Quota {
  if (limit === null) {
    return { used, limit, percent: 0, status: 'unlimited', remaining: null };
  }
  const remaining = Math.max(0, limit - used);
  if (limit <= 0 || used >= limit) {
    return { used, limit, percent: 100, status: 'exhausted', remaining };
  }
  // Floor, so a bar shows 100% only when the limit is really reached.
  const percent = Math.min(99, Math.floor((used / limit) * 100));
  return {
    used,
    limit,
    percent,
    status: used / limit >= WARNING_RATIO ? 'warning' : 'normal',
    remaining,
  };
}

/**
 * "3 / 20", "3 / Unlimited" — never "21 / 20": requests counted under a more generous plan (before
 * a downgrade, or a lowered cap) show as the limit reached, and overLimitNote() says why.
 */
export function formatQuota(used: number, limit: number | null, t: TranslateFn, locale: Locale) {
  const max = limit === null ? t('limits.unlimited') : formatCount(limit, locale);
  const shown = limit === null ? used : Math.min(used, Math.max(0, limit));
  return `${formatCount(shown, locale)} / ${max}`;
}

/** Why a meter shows its limit though more was used in the window, or null when it did not. */
export function overLimitNote(
  used: number,
  limit: number | null,
  window: 'day' | 'month',
  t: TranslateFn,
  locale: Locale,
): string | null {
  if (limit === null || used <= limit) return null;
  return t(window === 'day' ? 'usage.overLimitDay' : 'usage.overLimitMonth', {
    used: formatCount(used, locale),
    limit: formatCount(limit, locale),
  });
}

/** Where today's limit comes from: the member's own cap when it is below the plan's, else the plan. */
export function dailyLimitSource(day: {
  limit: number | null;
  planLimit: number | null;
}): 'plan' | 'personal' {
  if (day.limit === null) return 'plan';
  return day.planLimit === null || day.limit < day.planLimit ? 'personal' : 'plan';
}

export interface ChartScale {
  /** The top of the y axis: a round number ≥ the largest value (1 when all are zero). */
  max: number;
  /** Gridline values from 0 to max, evenly spaced. */
  ticks: number[];
}

/** A y axis for a bar chart: 1, 2, 2.5 or 5 × 10ⁿ per step, whole numbers only. */
export function chartScale(values: readonly number[], steps = 4): ChartScale {
  const largest = Math.max(0, ...values.filter((v) => Number.isFinite(v)));
  if (largest === 0) return { max: steps, ticks: Array.from({ length: steps + 1 }, (_, i) => i) };
  const raw = largest / steps;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(
    1,
    [1, 2, 2.5, 5, 10].map((f) => f * magnitude).find((s) => s >= raw && Number.isInteger(s)) ??
      Math.ceil(raw),
  );
  const max = step * Math.ceil(largest / step);
  const ticks: number[] = [];
  for (let value = 0; value <= max; value += step) ticks.push(value);
  return { max, ticks };
}

/** Compact axis labels: 1,200 → "1.2K" (en) / "1200" (zh-CN): the locale decides. */
export function formatAxis(value: number, locale: Locale): string {
  return new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 }).format(
    value,
  );
}
