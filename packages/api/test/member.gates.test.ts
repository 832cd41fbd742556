import { TRPCError } from '@trpc/server';
import { afterEach, describe, expect, it } from 'vitest';
import type { DomainError } from '../src/errors.ts';
import { createCallerFactory, memberProcedure, router } from '../src/trpc.ts';
import { demoIds, type EngineTestApi, openTestApi, signedUp } from './harness.ts';

const gates = router({
  plusModel: memberProcedure({ model: 'tessera-plus' }).query(() => 'ok'),
  seo: memberProcedure({ feature: 'seo-analysis' }).query(() => 'ok'),
  enterpriseOnly: memberProcedure({ marks: ['enterprise'] }).query(() => 'ok'),
  api: memberProcedure({ apiAccess: true }).query(() => 'ok'),
  withHeadroom: memberProcedure({ quota: true }).query(() => 'ok'),
});
const createGates = createCallerFactory(gates);

async function denial(promise: Promise<unknown>) {
  const error = await promise.then(
    () => expect.fail('expected a denial'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  const cause = (error as TRPCError).cause as DomainError;
  return {
    trpc: (error as TRPCError).code,
    code: cause.code,
    message: cause.message,
    details: cause.details as { unlock: { markKey: string; plans: { name: string }[] }[] },
  };
}

describe('member gates', () => {
  let api: EngineTestApi;
  afterEach(() => api.destroy());

  it('deny with a typed reason and name the marks and plans that unlock it', async () => {
    api = await openTestApi({ seedDemo: true });
    const { browser } = await signedUp(api, 'free@example.com');
    const caller = createGates(api.contextFor(browser));

    const model = await denial(caller.plusModel());
    expect(model).toMatchObject({ trpc: 'FORBIDDEN', code: 'MODEL_NOT_IN_PLAN' });
    expect(model.details.unlock.map((u) => u.markKey).sort()).toEqual([
      'acme:writer',
      'enterprise',
      'pro',
    ]);
    expect(model.details.unlock.find((u) => u.markKey === 'pro')?.plans.map((p) => p.name)).toEqual(
      ['Pro monthly', 'Pro yearly'],
    );

    const seo = await denial(caller.seo());
    expect(seo.code).toBe('FEATURE_NOT_IN_PLAN');
    expect(seo.details.unlock.map((u) => u.markKey).sort()).toEqual(['acme:writer', 'enterprise']);

    expect(await denial(caller.enterpriseOnly())).toMatchObject({
      trpc: 'FORBIDDEN',
      code: 'MARK_REQUIRED',
    });
    expect(await denial(caller.api())).toMatchObject({
      trpc: 'PAYMENT_REQUIRED',
      code: 'PLAN_REQUIRED',
    });
  });

  it('open as soon as a mark granting it is held', async () => {
    api = await openTestApi({ seedDemo: true });
    const { browser } = await signedUp(api, 'acme-fan@example.com');
    await api
      .caller(browser)
      .membership.startTrial({ planId: (await demoIds(api)).plans['Acme Writer']! });
    const caller = createGates(api.contextFor(browser));
    expect(await caller.seo()).toBe('ok');
    expect(await caller.plusModel()).toBe('ok');
    await expect(caller.enterpriseOnly()).rejects.toBeInstanceOf(TRPCError);
  });

  it('check request headroom without spending it, and name the reset and the plans with more', async () => {
    api = await openTestApi({ seedDemo: true });
    const { browser, viewer } = await signedUp(api, 'busy@example.com');
    const caller = createGates(api.contextFor(browser));
    expect(await caller.withHeadroom()).toBe('ok');
    expect(await caller.withHeadroom()).toBe('ok'); // checking spends nothing
    const [counters] = await api.sql<{ n: number }>('select count(*) as n from usage_counters');
    expect(Number(counters!.n)).toBe(0);

    // "window" is a reserved word on PostgreSQL: quoted, it names the column on both engines.
    await api.sql(
      `insert into usage_counters (user_id, "window", period_start, requests) values ($1, 'day', $2, 20)`,
      [viewer.user.id, Date.UTC(2026, 2, 1)],
    );
    const denied = await denial(caller.withHeadroom());
    expect(denied).toMatchObject({
      trpc: 'TOO_MANY_REQUESTS',
      code: 'QUOTA_EXCEEDED',
      message: 'The daily request limit is reached.',
    });
    expect(denied.details).toMatchObject({
      window: 'day',
      limit: 20,
      resetsAt: '2026-03-02T00:00:00.000Z',
    });
    expect(denied.details.unlock.map((u) => u.markKey)).toEqual(
      expect.arrayContaining(['pro', 'enterprise']),
    );
  });
});
