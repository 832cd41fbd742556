import { TRPCError } from '@trpc/server';
import { afterEach, describe, expect, it } from 'vitest';
import { clearRefillHints } from '../src/domain/credits/refill-user.ts';
import { type EngineTestApi, openTestApi, signedUp } from './harness.ts';

describe('usage procedures', () => {
  let api: EngineTestApi;
  afterEach(() => api.destroy());

  it('summarise today and this month against the limits, with the resets, balance and history', async () => {
    api = await openTestApi({ timeZone: 'Asia/Shanghai' });
    clearRefillHints();
    const { browser, viewer } = await signedUp(api, 'meter@example.com');
    const caller = api.caller(browser);
    const first = await caller.usage.summary();
    // Looking at the page triggers the free tier's on-demand daily refill.
    expect(first.credits).toEqual({
      balance: 10_000,
      reserved: 0,
      available: 10_000,
      allowance: 10_000,
      purchased: 0,
    });
    expect(first.day).toMatchObject({ requests: 0, limit: 20, planLimit: 20 });
    expect(first.day.resetsAt.toISOString()).toBe('2026-03-01T16:00:00.000Z'); // midnight in Shanghai
    expect(first.timeZone).toBe('Asia/Shanghai');

    const { entitlements } = await caller.membership.mine();
    const admission = await api.stores.money.admit({
      userId: viewer.user.id,
      requestId: 'r1',
      modelId: 'tessera-mini',
      entitlements,
      refills: [],
      inputTokens: 100,
      requestedOutputTokens: 200,
      now: api.clock.now,
      timeZone: 'Asia/Shanghai',
    });
    expect(admission.ok).toBe(true);
    await api.stores.money.settle({
      requestId: 'r1',
      modelId: 'tessera-mini',
      inputTokens: 100,
      outputTokens: 50,
      now: api.clock.now,
      timeZone: 'Asia/Shanghai',
    });

    const after = await caller.usage.summary();
    expect(after.day.requests).toBe(1);
    expect(after.month).toMatchObject({ requests: 1, creditsSpent: 5 + 10 });
    expect(after.credits.balance).toBe(10_000 - 15);
    const ledger = await caller.usage.ledger();
    expect(ledger.entries.map((e) => [e.kind, e.delta])).toEqual([
      ['charge', -15],
      ['refill', 10_000],
    ]);
    const daily = await caller.usage.daily({ days: 30 });
    expect(daily).toHaveLength(30);
    expect(daily.at(-1)).toMatchObject({ requests: 1, credits: 15 });
    expect(daily.slice(0, -1).every((d) => d.requests === 0)).toBe(true);
  });

  it('lets a member cap themselves below the plan, never above', async () => {
    api = await openTestApi();
    const { browser } = await signedUp(api, 'capper@example.com');
    const caller = api.caller(browser);
    expect(await caller.usage.setCaps({ dailyRequestCap: 5, monthlyCreditCap: 1000 })).toEqual({
      dailyRequestCap: 5,
      monthlyCreditCap: 1000,
    });
    expect((await caller.usage.summary()).day).toMatchObject({ limit: 5, planLimit: 20 });
    const above = await caller.usage
      .setCaps({ dailyRequestCap: 21, monthlyCreditCap: null })
      .catch((e: TRPCError) => e);
    expect(above).toBeInstanceOf(TRPCError);
    expect((above as TRPCError).code).toBe('BAD_REQUEST');
    expect((await caller.usage.summary()).caps).toEqual({
      dailyRequestCap: 5,
      monthlyCreditCap: 1000,
    });
  });
});
