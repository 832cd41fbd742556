import { TRPCError } from '@trpc/server';
import { afterEach, describe, expect, it } from 'vitest';
import type { DomainError } from '../src/errors.ts';
import {
  Browser,
  demoIds,
  type EngineTestApi,
  openTestApi,
  STRONG_PASSWORD,
  signedUp,
} from './harness.ts';

const DAY = 86_400_000;

async function domainCode(promise: Promise<unknown>) {
  const error = await promise.then(
    () => expect.fail('expected a refusal'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return ((error as TRPCError).cause as DomainError).code;
}

describe('trials', () => {
  let api: EngineTestApi;
  afterEach(() => api.destroy());

  it('can be taken once per user per mark, ever — even after the trial is revoked or lapses', async () => {
    api = await openTestApi({ seedDemo: true });
    const { plans } = await demoIds(api);
    const { browser } = await signedUp(api, 'trial@example.com');
    const caller = api.caller(browser);

    const before = await caller.membership.catalog();
    expect(before.find((p) => p.name === 'Pro monthly')).toMatchObject({
      trialAvailable: true,
      held: false,
    });
    expect(before.find((p) => p.name === 'Pro yearly')?.trialAvailable).toBe(false); // no trial days

    const started = await caller.membership.startTrial({ planId: plans['Pro monthly']! });
    expect(started.markKey).toBe('pro');
    expect(started.expiresAt?.getTime()).toBe(api.clock.now.getTime() + 7 * DAY);
    expect((await caller.membership.mine()).marks.map((m) => m.markKey).sort()).toEqual([
      'free',
      'pro',
    ]);
    expect((await caller.membership.catalog()).find((p) => p.name === 'Pro monthly')).toMatchObject(
      {
        held: true,
        trialAvailable: false,
      },
    );

    api.clock.advance(8 * DAY);
    expect((await caller.membership.mine()).marks.map((m) => m.markKey)).toEqual(['free']);
    expect(await domainCode(caller.membership.startTrial({ planId: plans['Pro monthly']! }))).toBe(
      'TRIAL_USED',
    );
    expect(
      (await caller.membership.catalog()).find((p) => p.name === 'Pro monthly')?.trialAvailable,
    ).toBe(false);
  });

  it('refuses parallel attempts beyond the first, and plans without a trial', async () => {
    api = await openTestApi({ seedDemo: true });
    const { plans } = await demoIds(api);
    const { browser } = await signedUp(api, 'parallel@example.com');
    const attempts = await Promise.allSettled(
      Array.from({ length: 5 }, () =>
        api.caller(browser).membership.startTrial({ planId: plans['Acme Writer']! }),
      ),
    );
    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    expect(
      await domainCode(api.caller(browser).membership.startTrial({ planId: plans['Pro yearly']! })),
    ).toBe('CONFLICT');
    expect(
      await domainCode(api.caller(browser).membership.startTrial({ planId: 'no-such-plan' })),
    ).toBe('NOT_FOUND');
  });
});

describe('the sign-in sweep', () => {
  let api: EngineTestApi;
  afterEach(() => api.destroy());

  it('flips lapsed memberships to expired with an audit and member event — access had already ended', async () => {
    api = await openTestApi({ seedDemo: true });
    const { plans } = await demoIds(api);
    const { browser, viewer } = await signedUp(api, 'sweep@example.com');
    await api.caller(browser).membership.startTrial({ planId: plans['Pro monthly']! });
    api.clock.advance(4 * DAY);
    await api.caller(browser).auth.me(); // stay signed in (7 days idle would end the session)
    api.clock.advance(3 * DAY + 1);

    // Before any sweep: the row still says active, yet access is gone.
    const row = () =>
      api.sql<{ source: string; status: string }>(
        'select source, status from memberships where user_id = $1',
        [viewer.user.id],
      );
    expect((await row()).find((m) => m.source === 'trial')?.status).toBe('active');
    expect((await api.caller(browser).membership.mine()).marks.map((m) => m.markKey)).toEqual([
      'free',
    ]);

    await api
      .caller(new Browser())
      .auth.signIn({ email: 'sweep@example.com', password: STRONG_PASSWORD });
    expect((await row()).find((m) => m.source === 'trial')?.status).toBe('expired');
    expect((await row()).find((m) => m.source === 'signup')?.status).toBe('active');
    const expiryAudits = () =>
      api.sql<{ data: string }>(
        "select cast(data as text) as data from audit_events where action = 'membership.expired'",
      );
    const audits = await expiryAudits();
    expect(audits).toHaveLength(1);
    expect(JSON.parse(audits[0]!.data)).toMatchObject({ markKey: 'pro' });
    const events = await api.sql(
      'select user_id as "userId", mark_key as "markKey" from member_events where kind = \'membership.expired\'',
    );
    expect(events).toEqual([{ userId: viewer.user.id, markKey: 'pro' }]);

    // A second sign-in has nothing left to sweep.
    await api
      .caller(new Browser())
      .auth.signIn({ email: 'sweep@example.com', password: STRONG_PASSWORD });
    expect(await expiryAudits()).toHaveLength(1);
  });
});
