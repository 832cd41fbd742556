import { describe, expect, it } from 'vitest';
import {
  hasPayments,
  leadingCurrency,
  type RevenueReport,
  revenuePoints,
} from '../src/lib/moneyViews.ts';

const kinds = (subscription: number, plan: number, pack: number) => ({ subscription, plan, pack });
const report: RevenueReport = {
  range: '30d',
  unit: 'day',
  timeZone: 'Asia/Shanghai',
  from: '2026-03-01T16:00:00.000Z',
  to: '2026-03-03T16:00:00.000Z',
  currencies: ['jpy', 'usd'],
  totals: [
    { currency: 'jpy', purchases: 1, grossMinor: 900, refundedMinor: 0, netMinor: 900 },
    { currency: 'usd', purchases: 2, grossMinor: 2500, refundedMinor: 500, netMinor: 2000 },
  ],
  purchases: kinds(2, 0, 1),
  buckets: [
    {
      start: '2026-03-01T16:00:00.000Z',
      end: '2026-03-02T16:00:00.000Z',
      revenue: [
        { currency: 'jpy', netMinor: 900 },
        { currency: 'usd', netMinor: 0 },
      ],
      purchases: kinds(1, 0, 0),
    },
    {
      start: '2026-03-02T16:00:00.000Z',
      end: '2026-03-03T16:00:00.000Z',
      revenue: [
        { currency: 'jpy', netMinor: 0 },
        { currency: 'usd', netMinor: 2000 },
      ],
      purchases: kinds(1, 0, 1),
    },
  ],
  products: [],
};

describe('money views', () => {
  it('draws one currency in major units, with every purchase, labelled in the platform zone', () => {
    expect(revenuePoints(report, 'usd', 'en')).toEqual([
      { start: '2026-03-01T16:00:00.000Z', label: 'Mar 2', net: 0, purchases: 1 },
      { start: '2026-03-02T16:00:00.000Z', label: 'Mar 3', net: 20, purchases: 2 },
    ]);
    // Yen have no minor digits: 900 is ¥900, never ¥9.
    expect(revenuePoints(report, 'jpy', 'en').map((p) => p.net)).toEqual([900, 0]);
  });

  it('opens on the currency most purchases were made in, and knows when nobody has paid', () => {
    // Two purchases in dollars beat one in yen; the amounts (900 vs 2000 minor units) are never
    // compared across currencies.
    expect(leadingCurrency(report)).toBe('usd');
    const tie = report.totals.map((t) => ({ ...t, purchases: 1 }));
    expect(leadingCurrency({ totals: tie })).toBe('jpy');
    expect(leadingCurrency({ totals: [] })).toBeUndefined();
    expect(hasPayments(report)).toBe(true);
    expect(hasPayments({ totals: [] })).toBe(false);
  });
});
