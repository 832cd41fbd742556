// The ledger is clustered by user (primary key (user_id, id)), and a user's ids follow the order
// their rows were written, whoever wrote them; the listing pages through them newest first. On
// SQLite every writer takes the user's next id in the inserting statement, so they are 1, 2, 3…
// (decision 010); PostgreSQL draws them from one sequence for every user (decision 028), so there
// they only increase.
import { afterEach, describe, expect, it } from 'vitest';
import { clearRefillHints } from '../src/domain/credits/refill-user.ts';
import { entitlementsSchema } from '../src/domain/entitlements/entitlements.ts';
import { demoIds, type EngineTestApi, openTestApi, signedUp } from './harness.ts';
import { rowsWithNumbers, setCredits } from './money-fixtures.ts';

describe('the credit ledger', () => {
  let api: EngineTestApi;
  afterEach(() => api.destroy());

  const rows = (userId: string) =>
    rowsWithNumbers(
      api,
      ['id', 'delta', 'balance_after'],
      'select id, kind, delta, balance_after from credit_ledger where user_id = $1 order by id',
      [userId],
    );

  /** `ids` (ascending) as `count` rows written one after another get them on this engine. */
  const expectWriteOrderIds = (ids: number[], count: number) => {
    expect(ids).toHaveLength(count);
    if (api.engine === 'sqlite')
      expect(ids).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    else expect(new Set(ids).size).toBe(count);
  };

  it('numbers each user’s rows in write order (1, 2, 3… on SQLite) across adjustments, refills and charges', async () => {
    api = await openTestApi({ seedDemo: true });
    clearRefillHints();
    const { marks } = await demoIds(api);
    const alice = (await signedUp(api, 'alice@example.com')).viewer.user.id;
    const bob = (await signedUp(api, 'bob@example.com')).viewer.user.id;
    const before = { alice: (await rows(alice)).length, bob: (await rows(bob)).length };
    // Sign-up may already have written a refill; whatever is there is numbered from 1.
    expectWriteOrderIds(
      (await rows(alice)).map((r) => r.id),
      before.alice,
    );

    await setCredits(api, alice, 100_000, 'start');
    await setCredits(api, bob, 5, 'start');
    const admitted = await api.stores.money.admit({
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
    await api.stores.money.settle({
      requestId: 'chat-1',
      modelId: 'tessera-mini',
      inputTokens: 1000,
      outputTokens: 100,
      now: api.clock.now,
      timeZone: 'UTC',
    });
    // A scheduled run inserts set-based, for both users at once.
    for (const userId of [alice, bob])
      await api.stores.members.grantMark({
        userId,
        markId: marks.enterprise!,
        days: 60,
        source: 'admin',
        actorUserId: null,
        now: api.clock.now,
      });
    expect(
      (
        await api.stores.money.runScheduledRefills({
          trigger: 'cli',
          now: api.clock.now,
          timeZone: 'UTC',
        })
      ).usersRefilled,
    ).toBe(2);
    await setCredits(api, alice, 1, 'last');

    const aliceRows = await rows(alice);
    expectWriteOrderIds(
      aliceRows.map((r) => r.id),
      before.alice + 4,
    );
    expect(aliceRows.slice(-4).map((r) => r.kind)).toEqual(['set', 'charge', 'refill', 'set']);
    expectWriteOrderIds(
      (await rows(bob)).map((r) => r.id),
      before.bob + 2,
    );
    expect(await api.stores.money.checkInvariants()).toMatchObject({ ok: true, problems: [] });

    // Newest first, page by page, with the per-user ids as the cursor.
    const first = await api.stores.payments.listLedger({ userId: alice, limit: 2 });
    const newestFirst = aliceRows.map((r) => r.id).reverse();
    expect(first.entries.map((e) => e.id)).toEqual(newestFirst.slice(0, 2));
    const second = await api.stores.payments.listLedger({
      userId: alice,
      limit: 2,
      beforeId: first.nextBeforeId!,
    });
    expect(second.entries.map((e) => e.id)).toEqual(newestFirst.slice(2, 4));
  });

  it('an on-demand refill takes the next id too, and a repeated one writes nothing', async () => {
    api = await openTestApi({ seedDemo: true });
    clearRefillHints();
    const userId = (await signedUp(api, 'carol@example.com')).viewer.user.id;
    const count = (await rows(userId)).length;
    const policy = {
      amount: 500,
      every: { value: 1, unit: 'day' as const },
      strategy: 'topup' as const,
      cap: 100_000,
      mode: 'on_demand' as const,
      grades: [],
    };
    const refill = () =>
      api.stores.money.refillUserOnDemand({
        userId,
        refills: [{ markId: 'extra', markKey: 'extra', policy }],
        now: api.clock.now,
        timeZone: 'UTC',
      });
    expect(await refill()).toBe(500);
    clearRefillHints(); // forget the hint: the ledger's unique key alone must refuse the repeat
    expect(await refill()).toBe(0);
    expectWriteOrderIds(
      (await rows(userId)).map((r) => r.id),
      count + 1,
    );
    expect((await api.stores.money.checkInvariants()).ok).toBe(true);
  });
});
