import { describe, expect, it } from 'vitest';
import {
  ENDING_SOON_MS,
  formatCountdown,
  isEndingSoon,
  msUntil,
  splitDuration,
} from '../src/lib/countdown.ts';
import { compactJson } from '../src/lib/format.ts';
import { tEn, tZh } from './helpers.ts';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const at = (ms: number) => new Date(NOW + ms).toISOString();
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe('countdown', () => {
  it('measures the time left, null for no end', () => {
    expect(msUntil(at(5000), NOW)).toBe(5000);
    expect(msUntil(null, NOW)).toBeNull();
    expect(msUntil('not a date', NOW)).toBeNull();
  });

  it('counts a mark as ending soon within three days, not after it ended', () => {
    expect(isEndingSoon(at(DAY), NOW)).toBe(true);
    expect(isEndingSoon(at(ENDING_SOON_MS), NOW)).toBe(true);
    expect(isEndingSoon(at(ENDING_SOON_MS + 1), NOW)).toBe(false);
    expect(isEndingSoon(at(-1), NOW)).toBe(false);
    expect(isEndingSoon(null, NOW)).toBe(false);
  });

  it('splits a duration into days, hours, minutes and seconds', () => {
    expect(splitDuration(2 * DAY + 3 * HOUR + 4 * MIN + 5000)).toEqual({
      days: 2,
      hours: 3,
      minutes: 4,
      seconds: 5,
    });
    expect(splitDuration(-10)).toEqual({ days: 0, hours: 0, minutes: 0, seconds: 0 });
  });

  it('shows the two or three largest units', () => {
    expect(formatCountdown(2 * DAY + 3 * HOUR + 4 * MIN, tEn)).toBe('2d 3h 4m');
    expect(formatCountdown(DAY - MIN, tEn)).toBe('23h 59m');
    expect(formatCountdown(4 * MIN + 9000, tEn)).toBe('4m 9s');
    expect(formatCountdown(0, tEn)).toBe('Ended');
    expect(formatCountdown(2 * DAY + 3 * HOUR + 4 * MIN, tZh)).toBe('2 天 3 小时 4 分');
  });
});

describe('compactJson', () => {
  it('puts audit data on one line', () => {
    expect(compactJson({ markKey: 'pro', days: 1 })).toBe('{"markKey":"pro","days":1}');
    expect(compactJson(null)).toBe('—');
    expect(compactJson({})).toBe('—');
  });
});
