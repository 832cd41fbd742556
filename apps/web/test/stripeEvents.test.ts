import { describe, expect, it } from 'vitest';
import {
  eventsOfPages,
  nextEventsCursor,
  outcomeColor,
  type StripeEventRow,
} from '../src/lib/stripeEvents.ts';

function event(id: string, outcome: StripeEventRow['outcome'] = 'ignored'): StripeEventRow {
  return {
    id,
    type: 'invoice.paid',
    created: '2026-12-01T00:00:00.000Z',
    receivedAt: '2026-12-01T00:00:01.000Z',
    outcome,
    error: null,
  };
}

describe('Stripe event log paging', () => {
  it('follows nextBefore until the server says the log ends', () => {
    expect(nextEventsCursor({ nextBefore: 'evt_2' })).toBe('evt_2');
    // undefined, not null: React Query reads undefined as "no next page".
    expect(nextEventsCursor({ nextBefore: null })).toBeUndefined();
  });

  it('lists the loaded pages in order, newest first', () => {
    const pages = [{ events: [event('evt_3'), event('evt_2')] }, { events: [event('evt_1')] }];
    expect(eventsOfPages(pages).map((e) => e.id)).toEqual(['evt_3', 'evt_2', 'evt_1']);
    expect(eventsOfPages([])).toEqual([]);
  });

  it('colours outcomes: applied green, failed red, ignored plain', () => {
    expect(outcomeColor('applied')).toBe('green');
    expect(outcomeColor('failed')).toBe('red');
    expect(outcomeColor('ignored')).toBe('default');
  });
});
