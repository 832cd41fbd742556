import { describe, expect, it } from 'vitest';
import { nextPeriodStart, periodStart } from '../src/domain/usage/periods.ts';

const iso = (d: Date) => d.toISOString();

describe('calendar windows in a time zone', () => {
  it('start days at local midnight in UTC and in a zone with an offset', () => {
    const now = new Date('2026-03-10T15:30:00Z');
    expect(iso(periodStart(now, 'day', 'UTC'))).toBe('2026-03-10T00:00:00.000Z');
    expect(iso(periodStart(now, 'day', 'Asia/Shanghai'))).toBe('2026-03-09T16:00:00.000Z');
    expect(iso(nextPeriodStart(now, 'day', 'Asia/Shanghai'))).toBe('2026-03-10T16:00:00.000Z');
  });

  it('give the spring-forward day 23 hours and the fall-back day 25 in New York', () => {
    const tz = 'America/New_York';
    // 2026-03-08: clocks go 02:00 → 03:00
    const spring = new Date('2026-03-08T12:00:00Z');
    const springStart = periodStart(spring, 'day', tz);
    const springEnd = nextPeriodStart(spring, 'day', tz);
    expect(iso(springStart)).toBe('2026-03-08T05:00:00.000Z'); // EST midnight
    expect(iso(springEnd)).toBe('2026-03-09T04:00:00.000Z'); // EDT midnight
    expect((springEnd.getTime() - springStart.getTime()) / 3_600_000).toBe(23);
    // 2026-11-01: clocks go 02:00 → 01:00
    const fall = new Date('2026-11-01T12:00:00Z');
    const fallLength =
      nextPeriodStart(fall, 'day', tz).getTime() - periodStart(fall, 'day', tz).getTime();
    expect(fallLength / 3_600_000).toBe(25);
    // The instant just before local midnight belongs to the previous day.
    expect(iso(periodStart(new Date('2026-03-09T03:59:59Z'), 'day', tz))).toBe(
      '2026-03-08T05:00:00.000Z',
    );
    expect(iso(periodStart(new Date('2026-03-09T04:00:00Z'), 'day', tz))).toBe(
      '2026-03-09T04:00:00.000Z',
    );
  });

  it('start the day at the transition where local midnight does not exist', () => {
    // America/Santiago: on 2026-09-06 clocks jump from 00:00 to 01:00.
    const tz = 'America/Santiago';
    const start = periodStart(new Date('2026-09-06T18:00:00Z'), 'day', tz);
    const local = new Intl.DateTimeFormat('en-GB', {
      timeZone: tz,
      dateStyle: 'short',
      timeStyle: 'short',
    }).format(start);
    expect(local).toBe('06/09/2026, 01:00');
    expect(periodStart(new Date(start.getTime() - 1), 'day', tz).getTime()).toBeLessThan(
      start.getTime(),
    );
  });

  it('align months to the 1st and weeks to Monday, in the zone', () => {
    const tz = 'Europe/Berlin';
    const now = new Date('2026-10-31T23:30:00Z'); // already 1 Nov 00:30 in Berlin (CET)
    expect(iso(periodStart(now, 'month', tz))).toBe('2026-10-31T23:00:00.000Z');
    expect(iso(nextPeriodStart(now, 'month', tz))).toBe('2026-11-30T23:00:00.000Z');
    const wed = new Date('2026-11-25T12:00:00Z');
    expect(iso(periodStart(wed, 'week', 'UTC'))).toBe('2026-11-23T00:00:00.000Z'); // Monday
    expect(iso(periodStart(new Date('2026-12-15T12:00:00Z'), 'month', 'UTC', 3))).toBe(
      '2026-10-01T00:00:00.000Z',
    );
    expect(iso(nextPeriodStart(new Date('2026-12-15T12:00:00Z'), 'month', 'UTC', 3))).toBe(
      '2027-01-01T00:00:00.000Z',
    );
  });

  it('cover every instant exactly once across a year of days (no gaps, no overlaps)', () => {
    const tz = 'America/New_York';
    let start = periodStart(new Date('2026-01-01T12:00:00Z'), 'day', tz);
    for (let i = 0; i < 366; i++) {
      const next = nextPeriodStart(start, 'day', tz);
      expect(periodStart(new Date(next.getTime() - 1), 'day', tz).getTime()).toBe(start.getTime());
      expect(periodStart(next, 'day', tz).getTime()).toBe(next.getTime());
      start = next;
    }
  });
});
