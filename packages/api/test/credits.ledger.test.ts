// The ledger is clustered by user (primary key (user_id, id)): every way of writing a row takes the
// user's next id in the inserting statement, so a user's rows are numbered 1, 2, 3… in the order
// they were written, whoever wrote them, and the listing pages through them newest first.
import { afterEach, describe, expect, it } from 'vitest';
import { adjustCredits } from '../src/domain/credits/adjust-credits.ts';
import { checkCreditInvariants } from '../src/domain/credits/check-invariants.ts';
import { listLedger } from '../src/domain/credits/list-ledger.ts';
import { clearRefillHints, refillUserOnDemand } from '../src/domain/credits/refill-user.ts';
import { runScheduledRefills } from '../src/domain/credits/run-scheduled-refills.ts';
import { entitlementsSchema } from '../src/domain/entitlements/entitlements.ts';
import { grantMark } from '../src/domain/memberships/grant-mark.ts';
import { admitRequest } from '../src/domain/usage/admit-request.ts';
import { settleRequest } from '../src/domain/usage/settle-request.ts';
import { createTestApi, demoIds, signedUp, type TestApi } from './harness.ts';

describe('the credit ledger', () => {
  let api: TestApi;
  afterEach(() => api.destroy());

  const rows = (userId: string) =>
    api.db.sqlite
      .prepare(
        'select id, kind, delta, balance_after from credit_ledger where user_id = ? order by id',
      )
      .all(userId) as { id: number; kind: string; delta: number; balance_after: number }[];

  it('numbers each user’s rows 1, 2, 3… across adjustments, refills and charges', async () => {
    api = createTestApi({ seedDemo: true });
    clearRefillHints();
    const { marks } = await demoIds(api);
    const alice = (await signedUp(api, 'alice@example.com')).viewer.user.id;
    const bob = (await signedUp(api, 'bob@example.com')).viewer.user.id;
    const before = { alice: rows(alice).length, bob: rows(bob).length };
    // Sign-up may already have written a refill; whatever is there is numbered from 1.
    expect(rows(alice).map((r) => r.id)).toEqual(
      Array.from({ length: before.alice }, (_, i) => i + 1),
    );

    const set = (userId: string, amount: number, reason: string) =>
      adjustCredits(api.db.db, {
        userId,
        mode: 'set',
        amount,
        reason,
        actorUserId: null,
        now: api.clock.now,
      });
    set(alice, 100_000, 'start');
    set(bob, 5, 'start');
    const admitted = admitRequest(api.db.db, {
      userId: alice,
      requestId: 'chat-1',
      modelId: 'tessera-mini',
      entitlements: entitlementsSchema.parse({
        models: ['tessera-mini'],
        requestsPerDay: null,
        requestsPerMonth: null,
        requestsPerMinute: null,
        maxOutputTokens: 100,
      }),
      refills: [],
      inputTokens: 1000,
      requestedOutputTokens: 100,
      now: api.clock.now,
      timeZone: 'UTC',
    });
    expect(admitted.ok).toBe(true);
    settleRequest(api.db.db, {
      requestId: 'chat-1',
      modelId: 'tessera-mini',
      inputTokens: 1000,
      outputTokens: 100,
      now: api.clock.now,
      timeZone: 'UTC',
    });
    // A scheduled run inserts set-based, for both users at once.
    for (const userId of [alice, bob])
      grantMark(api.db.db, {
        userId,
        markId: marks.enterprise!,
        days: 60,
        source: 'admin',
        actorUserId: null,
        now: api.clock.now,
      });
    expect(
      runScheduledRefills(api.db.db, { trigger: 'cli', now: api.clock.now, timeZone: 'UTC' })
        .usersRefilled,
    ).toBe(2);
    set(alice, 1, 'last');

    const aliceRows = rows(alice);
    expect(aliceRows.map((r) => r.id)).toEqual(
      Array.from({ length: before.alice + 4 }, (_, i) => i + 1),
    );
    expect(aliceRows.slice(-4).map((r) => r.kind)).toEqual(['set', 'charge', 'refill', 'set']);
    expect(rows(bob).map((r) => r.id)).toEqual(
      Array.from({ length: before.bob + 2 }, (_, i) => i + 1),
    );
    expect(checkCreditInvariants(api.db.db)).toMatchObject({ ok: true, problems: [] });

    // Newest first, page by page, with the per-user ids as the cursor.
    const first = listLedger(api.db.db, { userId: alice, limit: 2 });
    expect(first.entries.map((e) => e.id)).toEqual([aliceRows.length, aliceRows.length - 1]);
    const second = listLedger(api.db.db, {
      userId: alice,
      limit: 2,
      beforeId: first.nextBeforeId!,
    });
    expect(second.entries.map((e) => e.id)).toEqual([aliceRows.length - 2, aliceRows.length - 3]);
  });

  it('an on-demand refill takes the next id too, and a repeated one writes nothing', async () => {
    api = createTestApi({ seedDemo: true });
    clearRefillHints();
    const userId = (await signedUp(api, 'carol@example.com')).viewer.user.id;
    const count = rows(userId).length;
    const policy = {
      amount: 500,
      every: { value: 1, unit: 'day' as const },
      strategy: 'topup' as const,
      cap: 100_000,
      mode: 'on_demand' as const,
      grades: [],
    };
    const refill = () =>
      refillUserOnDemand(api.db.db, {
        userId,
        refills: [{ markId: 'extra', markKey: 'extra', policy }],
        now: api.clock.now,
        timeZone: 'UTC',
      });
    expect(refill()).toBe(500);
    clearRefillHints(); // forget the hint: the ledger's unique key alone must refuse the repeat
    expect(refill()).toBe(0);
    expect(rows(userId).map((r) => r.id)).toEqual(
      Array.from({ length: count + 1 }, (_, i) => i + 1),
    );
    expect(checkCreditInvariants(api.db.db).ok).toBe(true);
  });
});
