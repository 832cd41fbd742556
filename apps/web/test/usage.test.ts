import { describe, expect, it } from 'vitest';
import { formatDuration, formatMoment } from '../src/lib/format.ts';
import { memberEventKind, refreshTargets } from '../src/lib/memberEvents.ts';
import {
  chartScale,
  dailyLimitSource,
  formatQuota,
  overLimitNote,
  quota,
} from '../src/lib/usage.ts';
import { tEn, tZh } from './helpers.ts';

describe('quota', () => {
  it('measures usage against a limit', () => {
    expect(quota(0, 20)).toEqual({
      used: 0,
      limit: 20,
      percent: 0,
      status: 'normal',
      remaining: 20,
    });
    expect(quota(5, 20)).toMatchObject({ percent: 25, status: 'normal', remaining: 15 });
    expect(quota(16, 20)).toMatchObject({ percent: 80, status: 'warning', remaining: 4 });
    // 99.5 % is not full yet: the bar says so.
    expect(quota(199, 200)).toMatchObject({ percent: 99, status: 'warning', remaining: 1 });
    expect(quota(20, 20)).toMatchObject({ percent: 100, status: 'exhausted', remaining: 0 });
    expect(quota(25, 20)).toMatchObject({ percent: 100, status: 'exhausted', remaining: 0 });
  });

  it('treats null as unlimited and 0 as nothing granted', () => {
    expect(quota(7, null)).toEqual({
      used: 7,
      limit: null,
      percent: 0,
      status: 'unlimited',
      remaining: null,
    });
    expect(quota(0, 0)).toMatchObject({ status: 'exhausted', percent: 100, remaining: 0 });
  });

  it('reads as "used / limit"', () => {
    expect(formatQuota(0, 20, tEn, 'en')).toBe('0 / 20');
    expect(formatQuota(1234, 10_000, tEn, 'en')).toBe('1,234 / 10,000');
    expect(formatQuota(3, null, tEn, 'en')).toBe('3 / Unlimited');
    expect(formatQuota(3, null, tZh, 'zh-CN')).toBe('3 / 不限');
  });

  it('never reads "21 / 20" after a downgrade, and says why', () => {
    expect(formatQuota(21, 20, tEn, 'en')).toBe('20 / 20');
    expect(formatQuota(5, 0, tEn, 'en')).toBe('0 / 0');
    expect(overLimitNote(21, 20, 'day', tEn, 'en')).toBe(
      "You used 21 under your previous plan; today's limit is 20.",
    );
    expect(overLimitNote(1200, 600, 'month', tEn, 'en')).toBe(
      "You used 1,200 this month under your previous plan; this month's limit is 600.",
    );
    expect(overLimitNote(21, 20, 'day', tZh, 'zh-CN')).toContain('21');
    expect(overLimitNote(20, 20, 'day', tEn, 'en')).toBeNull();
    expect(overLimitNote(21, null, 'day', tEn, 'en')).toBeNull();
  });

  it('knows when today’s limit is the member’s own cap', () => {
    expect(dailyLimitSource({ limit: 20, planLimit: 20 })).toBe('plan');
    expect(dailyLimitSource({ limit: 5, planLimit: 20 })).toBe('personal');
    expect(dailyLimitSource({ limit: 5, planLimit: null })).toBe('personal');
    expect(dailyLimitSource({ limit: null, planLimit: null })).toBe('plan');
  });
});

describe('chart scale', () => {
  it('rounds the top of the axis up to a readable step', () => {
    expect(chartScale([0, 3, 20, 7])).toEqual({ max: 20, ticks: [0, 5, 10, 15, 20] });
    expect(chartScale([3])).toEqual({ max: 3, ticks: [0, 1, 2, 3] });
    expect(chartScale([7])).toEqual({ max: 8, ticks: [0, 2, 4, 6, 8] });
    expect(chartScale([9_870])).toEqual({ max: 10_000, ticks: [0, 2500, 5000, 7500, 10_000] });
  });

  it('draws an empty axis when nothing happened', () => {
    expect(chartScale([0, 0, 0])).toEqual({ max: 4, ticks: [0, 1, 2, 3, 4] });
    expect(chartScale([])).toEqual({ max: 4, ticks: [0, 1, 2, 3, 4] });
  });
});

describe('times', () => {
  const now = Date.parse('2026-11-22T12:00:00');
  it('leaves out midnight and the current year', () => {
    expect(formatMoment(new Date('2026-12-01T00:00:00').toISOString(), 'en', { now })).toBe(
      'Dec 1',
    );
    expect(formatMoment(new Date('2026-12-01T08:30:00').toISOString(), 'en', { now })).toMatch(
      /^Dec 1, 8:30\sAM$/,
    );
    expect(
      formatMoment(new Date('2026-11-23T00:00:00').toISOString(), 'en', { now, time: 'always' }),
    ).toMatch(/^Nov 23, 12:00\sAM$/);
    expect(formatMoment(new Date('2027-01-05T00:00:00').toISOString(), 'en', { now })).toBe(
      'Jan 5, 2027',
    );
    expect(formatMoment('nonsense', 'en')).toBe('nonsense');
  });

  it('says how long a run took', () => {
    expect(formatDuration(12, 'en')).toBe('12ms');
    expect(formatDuration(3400, 'en')).toBe('3.4s');
    expect(formatDuration(125_000, 'en')).toBe('2m 5s');
    expect(formatDuration(3400, 'zh-CN')).toBe('3.4秒');
  });
});

describe('member events', () => {
  it('reads the kind of plain and tracked messages', () => {
    expect(memberEventKind({ kind: 'connected', markKey: null })).toBe('connected');
    expect(memberEventKind({ id: '7', data: { kind: 'credits.changed', markKey: null } })).toBe(
      'credits.changed',
    );
    expect(memberEventKind(null)).toBeNull();
  });

  it('refreshes usage on credit changes, everything otherwise', () => {
    expect(refreshTargets('credits.changed')).toEqual(['usage']);
    expect(refreshTargets('membership.granted')).toEqual(['membership', 'usage']);
    expect(refreshTargets('connected')).toEqual(['membership', 'usage']);
    expect(refreshTargets(null)).toEqual(['membership', 'usage']);
  });
});
