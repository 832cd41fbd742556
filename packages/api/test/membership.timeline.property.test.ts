// Property: over any timeline of grants, extensions, revocations and clock moves, a member has
// access to a mark exactly when an unexpired, unrevoked membership exists — on the query, the
// mutation and the subscription-start path alike.
import { TRPCError } from '@trpc/server';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantMark } from '../src/domain/memberships/grant-mark.ts';
import { revokeMark } from '../src/domain/memberships/revoke-mark.ts';
import { createCallerFactory, memberProcedure, router } from '../src/trpc.ts';
import { createTestApi, demoIds, signedUp, type TestApi } from './harness.ts';

const gated = memberProcedure({ marks: ['pro'] });
const probeRouter = router({
  query: gated.query(() => 'ok'),
  mutation: gated.mutation(() => 'ok'),
  subscription: gated.subscription(async function* () {
    yield 'ok';
  }),
});
const createProbe = createCallerFactory(probeRouter);

type Step =
  | { op: 'grant'; days: number | null }
  | { op: 'extend'; days: number }
  | { op: 'revoke' }
  | { op: 'wait'; ms: number };

const DAY = 86_400_000;
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    op: fc.constant('grant' as const),
    days: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null, freq: 4 }),
  }),
  fc.record({ op: fc.constant('extend' as const), days: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ op: fc.constant('revoke' as const) }),
  fc.record({ op: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 4 * DAY }) }),
);

/** The reference model: when access ends (null = never, undefined = never held). */
class Model {
  held = false;
  end: number | null = 0;
  has(now: number) {
    return this.held && (this.end === null || this.end > now);
  }
  apply(s: Step, now: number): boolean /* did the real call succeed */ {
    if (s.op === 'wait') return true;
    if (s.op === 'revoke') {
      if (!this.has(now)) return false;
      this.end = now;
      return true;
    }
    if (s.op === 'extend' && !this.held) return false;
    const active = this.has(now);
    if (s.days === null || (active && this.end === null)) this.end = null;
    else this.end = (active ? Math.max(this.end as number, now) : now) + s.days * DAY;
    this.held = true;
    return true;
  }
}

async function allowed(promise: Promise<unknown>): Promise<boolean> {
  try {
    const result = await promise;
    if (result && typeof result === 'object' && Symbol.asyncIterator in result) {
      for await (const _ of result as AsyncIterable<unknown>) break;
    }
    return true;
  } catch (error) {
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe('FORBIDDEN');
    return false;
  }
}

describe('membership timelines', () => {
  let api: TestApi;
  let proId: string;
  beforeAll(async () => {
    api = createTestApi({ seedDemo: true });
    proId = (await demoIds(api)).marks.pro!;
  });
  afterAll(() => api.destroy());

  it('grant access exactly while an unexpired, unrevoked membership exists', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        const { browser, viewer } = await signedUp(api, `timeline${n++}@example.com`);
        const userId = viewer.user.id;
        const model = new Model();
        for (const s of steps) {
          const now = api.clock.now;
          let succeeded = true;
          try {
            if (s.op === 'wait') api.clock.advance(s.ms);
            else if (s.op === 'revoke')
              revokeMark(api.db.db, { userId, markId: proId, actorUserId: null, now });
            else
              grantMark(api.db.db, {
                userId,
                markId: proId,
                days: s.days,
                source: 'admin',
                actorUserId: null,
                now,
                mode: s.op === 'extend' ? 'extend' : 'grant',
              });
          } catch {
            succeeded = false;
          }
          expect(succeeded, `${s.op} succeeded`).toBe(model.apply(s, now.getTime()));

          const expected = model.has(api.clock.now.getTime());
          const probe = createProbe(api.contextFor(browser));
          expect(await allowed(probe.query()), 'query').toBe(expected);
          expect(await allowed(probe.mutation()), 'mutation').toBe(expected);
          expect(await allowed(probe.subscription()), 'subscription start').toBe(expected);
          const mine = await api.caller(browser).membership.mine();
          expect(
            mine.marks.some((m) => m.markKey === 'pro'),
            'membership.mine',
          ).toBe(expected);
        }
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});
