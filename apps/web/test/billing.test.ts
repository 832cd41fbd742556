import { describe, expect, it } from 'vitest';
import { checkoutReturn, planOffer } from '../src/lib/billing.ts';

const plan = { held: false, trialAvailable: false, stripePriceId: 'price_1' as string | null };

describe('planOffer', () => {
  it('offers Checkout for a priced plan when Stripe is set up, trial or not', () => {
    expect(planOffer(plan, true)).toBe('checkout');
    expect(planOffer({ ...plan, trialAvailable: true }, true)).toBe('checkout');
  });
  it('nothing to buy for a plan one holds', () => {
    expect(planOffer({ ...plan, held: true }, true)).toBe('held');
  });
  it('without a Stripe price: the free trial if there is one, else how to get it', () => {
    const unpriced = { ...plan, stripePriceId: null };
    expect(planOffer({ ...unpriced, trialAvailable: true }, true)).toBe('trial');
    expect(planOffer(unpriced, true)).toBe('notLinked');
    expect(planOffer(plan, false)).toBe('offline');
  });
});

describe('checkoutReturn', () => {
  it('reads success and cancelled, ignores anything else', () => {
    expect(checkoutReturn('?checkout=success&session_id=cs_test_1')).toBe('success');
    expect(checkoutReturn('?checkout=cancelled')).toBe('cancelled');
    expect(checkoutReturn('?checkout=hacked')).toBeNull();
    expect(checkoutReturn('')).toBeNull();
  });
});
