// The payments store's contract for checkout (decision 016): what a checkout is decided on, read
// before any Stripe call, and the user's one Stripe customer. Run by payments.*.test.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EngineUnderTest, OpenEngine } from './engine.ts';
import { addMark, addPlan, addUser, addVendor, count, DAY, NOW } from './payments.fixtures.ts';

export function paymentsBillingContract(openEngine: OpenEngine) {
  let engine: EngineUnderTest;
  beforeEach(async () => {
    engine = await openEngine();
    await addUser(engine, 'alice');
    await addVendor(engine, 'acme');
    await engine.sql(`update tenants set ceiling = $1 where id = 'acme'`, ['{"trialDays":7}']);
    await addMark(engine, 'pro');
    await addMark(engine, 'acme-gold', 'acme');
    await addPlan(engine, 'pro-monthly', { markId: 'pro', stripePriceId: 'price_pro' });
    await addPlan(engine, 'pro-pass', {
      markId: 'pro',
      interval: 'once',
      durationDays: 30,
      stripePriceId: 'price_pass',
    });
    await addPlan(engine, 'gold', {
      tenantId: 'acme',
      markId: 'acme-gold',
      stripePriceId: 'price_gold',
    });
    await addPlan(engine, 'unpriced', { markId: 'pro' });
    await engine.sql(`update plans set trial_days = 14 where id in ('pro-monthly', 'gold')`);
  });
  afterEach(() => engine.close());
  const store = () => engine.stores.payments;
  const checkout = (item: { planId: string } | { packId: string }, userId = 'alice') =>
    store().prepareCheckout({ userId, item, now: NOW });

  describe('prepareCheckout', () => {
    it('sells a monthly plan with its trial (within the vendor ceiling) until the trial is used', async () => {
      expect(await checkout({ planId: 'pro-monthly' })).toEqual({
        terms: {
          mode: 'subscription',
          priceId: 'price_pro',
          planKey: 'pro-monthly',
          metadata: { plan: 'pro-monthly', tenant: 'platform', user: 'alice' },
          trialDays: 14,
        },
        customerId: null,
      });
      expect((await checkout({ planId: 'gold' })).terms).toMatchObject({
        trialDays: 7,
        metadata: { tenant: 'acme' },
      });
      await engine.sql(
        `insert into trial_redemptions (user_id, tenant_id, mark_id, plan_id, created_at) values ('alice', 'acme', 'acme-gold', 'gold', $1)`,
        [NOW],
      );
      expect((await checkout({ planId: 'gold' })).terms.trialDays).toBe(0);
      expect((await checkout({ planId: 'pro-pass' })).terms).toMatchObject({
        mode: 'payment',
        trialDays: 0,
      });
    });

    it('refuses: unverified first, then unknown, unpriced, suspended, already subscribed through Stripe', async () => {
      await addUser(engine, 'carol', { verified: false });
      await expect(checkout({ planId: 'nope' }, 'carol')).rejects.toMatchObject({
        code: 'EMAIL_NOT_VERIFIED',
      });
      await expect(checkout({ planId: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await engine.sql(`update plans set active = $1 where id = 'pro-pass'`, [false]);
      await expect(checkout({ planId: 'pro-pass' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(checkout({ planId: 'unpriced' })).rejects.toMatchObject({
        code: 'NOT_FOR_SALE',
        details: { reason: 'NO_STRIPE_PRICE' },
      });
      const hold = async (source: string, expiresAt: Date | null) => {
        await engine.sql('delete from memberships');
        await engine.sql(
          `insert into memberships (id, user_id, mark_id, starts_at, expires_at, status, source, created_at, updated_at)
           values ('m1', 'alice', 'pro', $1, $2, 'active', $3, $1, $1)`,
          [NOW, expiresAt, source],
        );
      };
      await hold('stripe', new Date(NOW.getTime() + DAY));
      await expect(checkout({ planId: 'pro-monthly' })).rejects.toMatchObject({
        code: 'ALREADY_SUBSCRIBED',
      });
      await hold('stripe', NOW);
      await expect(checkout({ planId: 'pro-monthly' })).resolves.toBeTruthy();
      await hold('admin', null);
      await expect(checkout({ planId: 'pro-monthly' })).resolves.toBeTruthy();
      await engine.sql(`update tenants set suspended_at = $1 where id = 'acme'`, [NOW]);
      await expect(checkout({ planId: 'gold' })).rejects.toMatchObject({
        code: 'NOT_FOR_SALE',
        details: { reason: 'VENDOR_SUSPENDED' },
      });
    });

    it('sells an active priced pack, and says who the Stripe customer is', async () => {
      await engine.sql(
        `insert into credit_packs (id, name, credits, price_minor, currency, stripe_price_id, active, created_at, updated_at)
         values ('pk1', 'Small', 1000, 500, 'usd', 'price_pk1', $1, $2, $2), ('pk2', 'Bare', 10, 5, 'usd', null, $1, $2, $2)`,
        [true, NOW],
      );
      await store().saveBillingCustomer({ userId: 'alice', customerId: 'cus_1', now: NOW });
      expect(await checkout({ packId: 'pk1' })).toEqual({
        terms: {
          mode: 'payment',
          priceId: 'price_pk1',
          planKey: null,
          metadata: { pack: 'pk1', tenant: 'platform', user: 'alice' },
          trialDays: 0,
        },
        customerId: 'cus_1',
      });
      await expect(checkout({ packId: 'pk2' })).rejects.toMatchObject({ code: 'NOT_FOR_SALE' });
      await expect(checkout({ packId: 'pk3' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });
  });

  describe('the Stripe customer', () => {
    it('is recorded once: the first writer wins, however many race', async () => {
      expect(await store().findBillingCustomer('alice')).toBeNull();
      const saved = await Promise.all(
        ['cus_a', 'cus_b', 'cus_c', 'cus_d'].map((customerId) =>
          store().saveBillingCustomer({ userId: 'alice', customerId, now: NOW }),
        ),
      );
      const winner = await store().findBillingCustomer('alice');
      expect(winner).toMatch(/^cus_[a-d]$/);
      expect(saved).toEqual([winner, winner, winner, winner]);
      expect(await count(engine, 'billing_customers')).toBe(1);
    });
  });
}
