import { describe, expect, it } from 'vitest';
import {
  entitlementHighlights,
  formatLimit,
  summarizeEntitlements,
} from '../src/lib/entitlements.ts';
import type { Entitlements } from '../src/lib/trpc.ts';
import { tEn, tZh } from './helpers.ts';

const PRO: Entitlements = {
  models: ['tessera-mini', 'tessera-plus'],
  plugins: ['translate'],
  requestsPerDay: 500,
  requestsPerMonth: null,
  requestsPerMinute: 30,
  maxOutputTokens: 0,
  apiAccess: false,
  seats: 0,
  refill: null,
  fallbackModel: null,
};

describe('formatLimit', () => {
  it('reads null as unlimited and 0 as none', () => {
    expect(formatLimit(null, tEn, 'en')).toBe('Unlimited');
    expect(formatLimit(0, tEn, 'en')).toBe('None');
    expect(formatLimit(10_000, tEn, 'en')).toBe('10,000');
    expect(formatLimit(null, tZh, 'zh-CN')).toBe('不限');
    expect(formatLimit(0, tZh, 'zh-CN')).toBe('无');
  });
});

describe('summarizeEntitlements', () => {
  it('lists models, plugins, daily and monthly limits and API access', () => {
    const lines = summarizeEntitlements(PRO, tEn, 'en');
    expect(lines.map((l) => [l.key, l.value, l.granted])).toEqual([
      ['models', 'tessera-mini, tessera-plus', true],
      ['plugins', 'translate', true],
      ['daily', '500', true],
      ['monthly', 'Unlimited', true],
      ['api', 'Not included', false],
    ]);
    expect(lines[0]?.tags).toEqual(['tessera-mini', 'tessera-plus']);
  });

  it('adds per-minute and token limits when detailed, and seats when there are any', () => {
    const lines = summarizeEntitlements({ ...PRO, seats: 25, apiAccess: true }, tEn, 'en', {
      detailed: true,
    });
    const byKey = Object.fromEntries(lines.map((l) => [l.key, l]));
    expect(byKey.perMinute?.value).toBe('30');
    expect(byKey.maxTokens).toMatchObject({ value: 'None', granted: false });
    expect(byKey.api).toMatchObject({ value: 'Included', granted: true });
    expect(byKey.seats?.value).toBe('25');
  });

  it('says when a list is empty', () => {
    const lines = summarizeEntitlements({ ...PRO, models: [], plugins: [] }, tZh, 'zh-CN');
    expect(lines[0]).toMatchObject({ value: '无可用模型', granted: false });
    expect(lines[1]).toMatchObject({ value: '无可用插件', granted: false });
  });
});

describe('entitlementHighlights', () => {
  it('is one short line for tables', () => {
    expect(entitlementHighlights(PRO, tEn, 'en')).toBe('2 models · 1 plugin · 500/day');
    expect(
      entitlementHighlights(
        { ...PRO, requestsPerDay: null, apiAccess: true, seats: 25 },
        tEn,
        'en',
      ),
    ).toBe('2 models · 1 plugin · Unlimited/day · API · 25 seats');
  });
});
