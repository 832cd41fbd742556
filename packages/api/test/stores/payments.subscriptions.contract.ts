// The payments store's contract for a member's own subscriptions (membership.subscriptions), one
// suite for every engine: payments.sqlite.test.ts and payments.pg.test.ts.
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { EngineUnderTest, OpenEngine } from './engine.ts';
import { addMark, addPlan, addSubscription, addUser, DAY, NOW } from './payments.fixtures.ts';

export function paymentsSubscriptionsContract(openEngine: OpenEngine) {
  let engine: EngineUnderTest;
  beforeEach(async () => {
    engine = await openEngine();
  });
  afterEach(() => engine.close());

  it("lists a member's live and recently ended subscriptions, latest change first, with their notice", async () => {
    await addUser(engine, 'alice');
    await addUser(engine, 'bob');
    await addMark(engine, 'pro');
    await addPlan(engine, 'pro-monthly', { markId: 'pro', name: 'Pro' });
    const sub = { userId: 'alice', planId: 'pro-monthly', markId: 'pro' };
    await addSubscription(engine, 'live', {
      ...sub,
      status: 'past_due',
      notice: 'payment_failed',
      updatedAt: new Date(NOW.getTime() - 2 * DAY),
    });
    await addSubscription(engine, 'ending', {
      ...sub,
      status: 'active',
      cancelAtPeriodEnd: true,
      notice: 'cancels_at_period_end',
      updatedAt: new Date(NOW.getTime() - DAY),
    });
    await addSubscription(engine, 'ended-lately', {
      ...sub,
      status: 'canceled',
      endedAt: new Date(NOW.getTime() - 13 * DAY),
      notice: 'ended',
      updatedAt: NOW,
    });
    // Ended more than two weeks ago: no longer shown.
    await addSubscription(engine, 'ended-long-ago', {
      ...sub,
      status: 'canceled',
      endedAt: new Date(NOW.getTime() - 15 * DAY),
      notice: 'ended',
      updatedAt: new Date(NOW.getTime() + DAY),
    });
    await addSubscription(engine, 'bobs', { ...sub, userId: 'bob', status: 'active' });

    const mine = await engine.stores.payments.listMySubscriptions({ userId: 'alice', now: NOW });
    expect(mine.map((s) => [s.id, s.status, s.notice, s.cancelAtPeriodEnd])).toEqual([
      ['ended-lately', 'canceled', 'ended', false],
      ['ending', 'active', 'cancels_at_period_end', true],
      ['live', 'past_due', 'payment_failed', false],
    ]);
    expect(mine[1]).toEqual({
      id: 'ending',
      planName: 'Pro',
      planKey: 'pro-monthly',
      status: 'active',
      currentPeriodEnd: new Date(NOW.getTime() + 30 * DAY),
      accessUntil: new Date(NOW.getTime() + 30 * DAY),
      cancelAtPeriodEnd: true,
      endedAt: null,
      notice: 'cancels_at_period_end',
    });
    expect(await engine.stores.payments.listMySubscriptions({ userId: 'carol', now: NOW })).toEqual(
      [],
    );
  });

  it('shows at most the 20 latest', async () => {
    await addUser(engine, 'alice');
    await addMark(engine, 'pro');
    await addPlan(engine, 'pro-monthly', { markId: 'pro' });
    for (let i = 0; i < 22; i++) {
      await addSubscription(engine, `s${String(i).padStart(2, '0')}`, {
        userId: 'alice',
        planId: 'pro-monthly',
        markId: 'pro',
        status: 'active',
        updatedAt: new Date(NOW.getTime() + i),
      });
    }
    const mine = await engine.stores.payments.listMySubscriptions({ userId: 'alice', now: NOW });
    expect(mine).toHaveLength(20);
    expect(mine[0]?.id).toBe('s21');
    expect(mine[19]?.id).toBe('s02');
  });
}
