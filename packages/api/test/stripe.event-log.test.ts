// The Stripe event log: each event id recorded once (a redelivery changes nothing), listed for the
// platform admin newest first, a page at a time.
import { afterEach, describe, expect, it } from 'vitest';
import { type EngineTestApi, openTestApi, signedUp } from './harness.ts';

let api: EngineTestApi;
afterEach(() => api.destroy());

async function adminAndMember() {
  api = await openTestApi({ seedDemo: true });
  const root = await signedUp(api, 'root@example.com');
  const member = await signedUp(api, 'member@example.com');
  return { admin: api.caller(root.browser), member: api.caller(member.browser) };
}

describe('Stripe event log', () => {
  it('records each event id once and lists the log newest first, a page at a time', async () => {
    const { admin, member } = await adminAndMember();
    for (let i = 1; i <= 5; i++) {
      api.clock.advance(1000);
      const first = await api.stores.payments.handleStripeEvent(
        { id: `evt_${i}`, type: 'customer.created', created: 1_780_000_000 + i, object: {} },
        { fresh: null, graceDays: 3, now: api.clock.now },
      );
      expect(first).toEqual({
        duplicate: false,
        outcome: 'ignored',
        note: 'not handled: customer.created',
      });
    }
    api.clock.advance(1000);
    // A redelivery, later: nothing changes, not even when it was received.
    expect(
      await api.stores.payments.handleStripeEvent(
        { id: 'evt_2', type: 'customer.created', created: 1_780_000_002, object: {} },
        { fresh: null, graceDays: 3, now: api.clock.now },
      ),
    ).toEqual({ duplicate: true, outcome: 'ignored' });

    const page1 = await admin.admin.stripe.events({ limit: 2 });
    expect(page1.events.map((e) => e.id)).toEqual(['evt_5', 'evt_4']);
    expect(page1.events[0]).toMatchObject({
      type: 'customer.created',
      created: new Date(1_780_000_005_000),
      outcome: 'ignored',
      error: 'not handled: customer.created',
    });
    const page2 = await admin.admin.stripe.events({ limit: 2, before: page1.nextBefore! });
    expect(page2.events.map((e) => e.id)).toEqual(['evt_3', 'evt_2']);
    const page3 = await admin.admin.stripe.events({ limit: 2, before: page2.nextBefore! });
    expect(page3).toMatchObject({ events: [{ id: 'evt_1' }], nextBefore: null });
    expect(await admin.admin.stripe.events({ before: 'evt_unknown' })).toEqual({
      events: [],
      nextBefore: null,
    });
    await expect(member.admin.stripe.events()).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
