import type { Locale } from '../i18n/translate.ts';

/** Date formatting for ISO strings from the API, in the reader's locale and time zone. */
export function formatDateTime(iso: string, locale: Locale): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

export function formatDate(iso: string, locale: Locale): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(date);
}

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** "3 minutes ago", "in 29 days", "刚刚"… */
export function formatRelative(iso: string, locale: Locale, now: number = Date.now()): string {
  const time = new Date(iso).getTime();
  if (Number.isNaN(time)) return iso;
  const seconds = Math.round((time - now) / 1000);
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === 'second') {
      return format.format(Math.round(seconds / size), unit);
    }
  }
  return format.format(0, 'second');
}

/** Audit data on one line (`{"markKey":"pro","days":1}`); a dash when there is none. */
export function compactJson(data: Record<string, unknown> | null): string {
  if (!data || Object.keys(data).length === 0) return '—';
  return JSON.stringify(data);
}

/**
 * A point in time, short: "Dec 1", "Dec 1, 8:00 AM", "Jan 5, 2027". The time is left out when it
 * is local midnight and `time` is 'auto' (calendar periods start there); the year only when it is
 * not the current one.
 */
export function formatMoment(
  iso: string,
  locale: Locale,
  options: { now?: number; time?: 'auto' | 'always' } = {},
): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const now = new Date(options.now ?? Date.now());
  const midnight = date.getHours() === 0 && date.getMinutes() === 0;
  const showTime = options.time === 'always' || !midnight;
  return new Intl.DateTimeFormat(locale, {
    year: date.getFullYear() === now.getFullYear() ? undefined : 'numeric',
    month: 'short',
    day: 'numeric',
    ...(showTime ? { hour: 'numeric', minute: '2-digit' } : {}),
  }).format(date);
}

/** A run's length in the locale's narrow units: "12ms", "3.4s", "2m 5s" (zh-CN: "3.4秒"). */
export function formatDuration(ms: number, locale: Locale): string {
  const unit = (value: number, name: 'millisecond' | 'second' | 'minute', digits = 0) =>
    new Intl.NumberFormat(locale, {
      style: 'unit',
      unit: name,
      unitDisplay: 'narrow',
      maximumFractionDigits: digits,
    }).format(value);
  if (ms < 1000) return unit(Math.max(0, Math.round(ms)), 'millisecond');
  if (ms < 60_000) return unit(ms / 1000, 'second', 1);
  return `${unit(Math.floor(ms / 60_000), 'minute')} ${unit(Math.round((ms % 60_000) / 1000), 'second')}`;
}
