// Calendar windows in the platform's time zone. A day starts at local midnight, a week on Monday,
// a month on the 1st — also across daylight-saving changes, where a "day" is 23 or 25 hours long
// and, in a few zones, local midnight does not exist (the day then starts at the transition).

export type PeriodUnit = 'minute' | 'hour' | 'day' | 'week' | 'month';

interface LocalDate {
  year: number;
  month: number; // 1-12
  day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Throws a RangeError for an unknown zone; call once when reading configuration. */
export function assertTimeZone(timeZone: string): void {
  formatter(timeZone);
}

function localParts(instant: number, timeZone: string) {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(instant)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return parts as {
    year: number;
    month: number;
    day: number;
    hour: number;
    minute: number;
    second: number;
  };
}

/** Local wall time minus UTC at an instant, in ms. */
function offsetAt(instant: number, timeZone: string): number {
  const p = localParts(instant, timeZone);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - Math.floor(instant / 1000) * 1000;
}

/** The first instant of a local calendar date in `timeZone`. */
export function startOfLocalDate(date: LocalDate, timeZone: string): number {
  const wallMidnight = Date.UTC(date.year, date.month - 1, date.day);
  // Try the offsets in force well before and well after; keep the earliest candidate that still
  // falls on the wanted local date (that handles both the skipped and the repeated hour).
  const candidates = [-36, 36].map(
    (h) => wallMidnight - offsetAt(wallMidnight + h * 3_600_000, timeZone),
  );
  const onDate = candidates.filter((t) => {
    const p = localParts(t, timeZone);
    return p.year === date.year && p.month === date.month && p.day === date.day;
  });
  if (onDate.length > 0) return Math.min(...onDate);
  // Midnight was skipped by both guesses: the day starts at the transition; search the minute.
  let t = Math.min(...candidates);
  for (let i = 0; i < 24 * 60; i++, t += 60_000) {
    const p = localParts(t, timeZone);
    if (p.year === date.year && p.month === date.month && p.day === date.day) return t;
  }
  throw new RangeError(
    `Cannot find the start of ${date.year}-${date.month}-${date.day} in ${timeZone}`,
  );
}

function localDate(instant: number, timeZone: string): LocalDate {
  const { year, month, day } = localParts(instant, timeZone);
  return { year, month, day };
}

function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

const DAY_INDEX_MONDAY = 4; // 1970-01-05 was the first Monday after the epoch (days since epoch)

function computePeriodStart(now: Date, unit: PeriodUnit, timeZone: string, every: number): Date {
  const t = now.getTime();
  if (unit === 'minute') return new Date(Math.floor(t / (60_000 * every)) * 60_000 * every);
  if (unit === 'hour') return new Date(Math.floor(t / (3_600_000 * every)) * 3_600_000 * every);
  const today = localDate(t, timeZone);
  if (unit === 'month') {
    const index = today.year * 12 + (today.month - 1);
    const start = index - (((index % every) + every) % every);
    return new Date(
      startOfLocalDate({ year: Math.floor(start / 12), month: (start % 12) + 1, day: 1 }, timeZone),
    );
  }
  const dayIndex = Date.UTC(today.year, today.month - 1, today.day) / 86_400_000;
  const length = unit === 'week' ? 7 * every : every;
  const anchor = unit === 'week' ? DAY_INDEX_MONDAY : 0;
  const offset = (((dayIndex - anchor) % length) + length) % length;
  return new Date(startOfLocalDate(addDays(today, -offset), timeZone));
}

function computeNextPeriodStart(
  start: Date,
  unit: PeriodUnit,
  timeZone: string,
  every: number,
): Date {
  if (unit === 'minute') return new Date(start.getTime() + 60_000 * every);
  if (unit === 'hour') return new Date(start.getTime() + 3_600_000 * every);
  const first = localDate(start.getTime(), timeZone);
  if (unit === 'month') {
    const index = first.year * 12 + (first.month - 1) + every;
    return new Date(
      startOfLocalDate({ year: Math.floor(index / 12), month: (index % 12) + 1, day: 1 }, timeZone),
    );
  }
  return new Date(startOfLocalDate(addDays(first, unit === 'week' ? 7 * every : every), timeZone));
}

// Zone arithmetic (Intl) costs tens of microseconds; every request asks for the same few periods.
// Remember the current [start, end) per (unit, zone, every) and answer from it while `now` is in it;
// the last period of each unit is checked first, without building a key.
interface CachedPeriod {
  timeZone: string;
  every: number;
  start: number;
  end: number;
}
const current = new Map<string, CachedPeriod>();
const recent: Partial<Record<PeriodUnit, CachedPeriod>> = {};

function periodOf(t: number, unit: PeriodUnit, timeZone: string, every: number): CachedPeriod {
  const last = recent[unit];
  if (last && last.start <= t && t < last.end && last.timeZone === timeZone && last.every === every)
    return last;
  const key = `${unit}|${timeZone}|${every}`;
  let period = current.get(key);
  if (!period || t < period.start || t >= period.end) {
    const start = computePeriodStart(new Date(t), unit, timeZone, every);
    period = {
      timeZone,
      every,
      start: start.getTime(),
      end: computeNextPeriodStart(start, unit, timeZone, every).getTime(),
    };
    current.set(key, period);
  }
  recent[unit] = period;
  return period;
}

/**
 * Start of the period containing `now`. With `every > 1`, periods are counted from a fixed anchor
 * (the epoch's calendar), so "every 2 weeks" means the same fortnights for everyone.
 */
export function periodStart(now: Date, unit: PeriodUnit, timeZone: string, every = 1): Date {
  return new Date(periodOf(now.getTime(), unit, timeZone, every).start);
}

/** `periodStart` in epoch ms, for hot paths (no Date is made). */
export function periodStartMs(now: number, unit: PeriodUnit, timeZone: string, every = 1): number {
  return periodOf(now, unit, timeZone, every).start;
}

/** Start of the period after the one containing `now` (when a window resets). */
export function nextPeriodStart(now: Date, unit: PeriodUnit, timeZone: string, every = 1): Date {
  return new Date(periodOf(now.getTime(), unit, timeZone, every).end);
}

/** How a refusal names a quota window ("the daily limit"): `${window}ly` would say "dayly". */
export const WINDOW_ADJECTIVE = { day: 'daily', month: 'monthly' } as const;
