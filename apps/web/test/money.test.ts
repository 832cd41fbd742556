import { describe, expect, it } from 'vitest';
import { currencyDigits, formatMoney, majorToMinor, minorToMajor } from '../src/lib/money.ts';
import { formatPlanPrice, groupByTenant, intervalLabel } from '../src/lib/plans.ts';
import { tEn, tZh } from './helpers.ts';

describe('money', () => {
  it('knows how many minor units a currency has', () => {
    expect(currencyDigits('usd')).toBe(2);
    expect(currencyDigits('JPY')).toBe(0);
    expect(currencyDigits('not-a-currency')).toBe(2);
  });

  it('formats minor units with the currency, dropping .00 on whole amounts', () => {
    expect(formatMoney(2000, 'usd', 'en')).toBe('$20');
    expect(formatMoney(1999, 'usd', 'en')).toBe('$19.99');
    expect(formatMoney(1950, 'usd', 'en')).toBe('$19.50');
    expect(formatMoney(900, 'jpy', 'en')).toBe('¥900');
    expect(formatMoney(2000, 'eur', 'en')).toBe('€20');
    expect(formatMoney(2000, 'usd', 'zh-CN')).toBe('US$20');
  });

  it('converts between the major units people type and the minor units the API takes', () => {
    expect(majorToMinor(19.99, 'usd')).toBe(1999);
    expect(majorToMinor(0.1 + 0.2, 'usd')).toBe(30);
    expect(majorToMinor(900, 'jpy')).toBe(900);
    expect(minorToMajor(20_000, 'usd')).toBe(200);
    expect(minorToMajor(majorToMinor(4.99, 'usd'), 'usd')).toBe(4.99);
  });
});

describe('plan prices', () => {
  const plan = (priceMinor: number, interval: string) => ({
    priceMinor,
    currency: 'usd',
    interval,
  });

  it('adds the interval', () => {
    expect(formatPlanPrice(plan(2000, 'month'), tEn, 'en')).toBe('$20/mo');
    expect(formatPlanPrice(plan(20_000, 'year'), tEn, 'en')).toBe('$200/yr');
    expect(formatPlanPrice(plan(900, 'once'), tEn, 'en')).toBe('$9 once');
    expect(formatPlanPrice(plan(2000, 'month'), tZh, 'zh-CN')).toBe('US$20/月');
  });

  it('calls a zero price free', () => {
    expect(formatPlanPrice(plan(0, 'once'), tEn, 'en')).toBe('Free');
    expect(formatPlanPrice(plan(0, 'month'), tZh, 'zh-CN')).toBe('免费');
  });

  it('names intervals', () => {
    expect(intervalLabel('month', tEn)).toBe('Monthly');
    expect(intervalLabel('once', tZh)).toBe('一次性');
    expect(intervalLabel('fortnight', tEn)).toBe('fortnight');
  });
});

describe('groupByTenant', () => {
  it('groups rows by tenant, platform first, keeping the order within a tenant', () => {
    const rows = [
      { id: 'a1', tenantId: 'acme', tenantName: 'Acme' },
      { id: 'p1', tenantId: 'platform', tenantName: 'Tessera' },
      { id: 'a2', tenantId: 'acme', tenantName: 'Acme' },
      { id: 'g1', tenantId: 'globex', tenantName: 'Globex' },
    ];
    const groups = groupByTenant(rows);
    expect(groups.map((g) => g.tenantId)).toEqual(['platform', 'acme', 'globex']);
    expect(groups[1]?.rows.map((r) => r.id)).toEqual(['a1', 'a2']);
  });
});
