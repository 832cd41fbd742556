// The money store on PostgreSQL under real concurrency: a pool of 10 connections, many calls in
// flight at once. What the single SQLite write lock hid (deadlocks from opposite lock orders,
// double grants, lost answers) must not happen here either.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MoveCreditsInput } from '../src/domain/credits/move-credits.ts';
import { createPgMoneyStore } from '../src/storage/pg/pg-money-store.ts';
import type { PgQueryable } from '../src/storage/pg/pg-query.ts';
import { withRetry } from '../src/storage/pg/retry.ts';
import { admission, NOW, usage } from './money-store.contract.ts';
import { openPgMoneyFixture } from './pg-money-fixture.ts';

type Fixture = Awaited<ReturnType<typeof openPgMoneyFixture>>;

describe('money store on PostgreSQL, concurrently', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await openPgMoneyFixture();
  });
  afterEach(async () => {
    await f.close();
  });
  const clean = async () => expect((await f.store.checkInvariants()).problems).toEqual([]);

  it('200 concurrent admissions with credit for exactly one: one admitted', async () => {
    await f.addUser('alice', { balance: 250 });
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => f.store.admit(admission({ requestId: `r${i}` }))),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.code === 'INSUFFICIENT_CREDITS')).toHaveLength(199);
    expect(await f.requests('alice', 'day')).toBe(1);
    expect(await f.account('alice')).toMatchObject({ balance: 250, reserved: 250 });
    await clean();
  });

  it('200 concurrent admissions at the daily limit − 1: one admitted', async () => {
    await f.addUser('alice', { balance: 1_000_000 });
    const entitlements = {
      ...admission().entitlements,
      requestsPerDay: 5,
      requestsPerMinute: null,
    };
    for (let i = 0; i < 4; i++)
      expect(
        await f.store.admit(admission({ requestId: `before-${i}`, entitlements })),
      ).toMatchObject({ ok: true });
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        f.store.admit(admission({ requestId: `r${i}`, entitlements })),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.code === 'QUOTA_EXCEEDED')).toHaveLength(199);
    expect(await f.requests('alice', 'day')).toBe(5);
    await clean();
  });

  it('settlements and admissions of one user interleaved: no deadlock surfaces, books balance', async () => {
    await f.addUser('alice', { balance: 1_000_000, purchased: 500_000 });
    const unlimited = {
      ...admission().entitlements,
      requestsPerMinute: null,
      requestsPerDay: null,
    };
    for (let i = 0; i < 60; i++)
      await f.store.admit(admission({ requestId: `open-${i}`, entitlements: unlimited }));
    let retries = 0;
    const store = createPgMoneyStore(f.pool, { retry: { onRetry: () => retries++ } });
    // Settlement (account → reservation → counters) and admission (account → reservation →
    // counters → account) of the same user, 120 in flight in both orders at once.
    const work = Array.from({ length: 60 }, (_, i) => [
      store.settle({ ...usage(`open-${i}`, 100 + i), announce: true }),
      store.admit(admission({ requestId: `new-${i}`, entitlements: unlimited })),
    ]).flat();
    const results = await Promise.all(work);
    expect(results.every((r) => ('ok' in r ? r.ok : r.settled))).toBe(true);
    expect(await f.account('alice')).toMatchObject({ reserved: 60 * 250 });
    expect((await f.ledger('alice')).filter((r) => r.kind === 'charge')).toHaveLength(60);
    expect(retries).toBe(0); // one lock order: nothing even had to be retried
    await clean();
  });

  it('the same settlement, move and refill from many connections at once apply once', async () => {
    await f.addUser('alice', { balance: 10_000 });
    await f.store.admit(admission());
    const settlements = await Promise.all(
      Array.from({ length: 20 }, () => f.store.settle(usage('req-1', 500))),
    );
    expect(settlements.filter((s) => s.settled)).toHaveLength(1);

    const move: MoveCreditsInput = {
      userId: 'alice',
      pot: 'purchased',
      mode: 'add',
      amount: 700,
      kind: 'purchase',
      idempotencyKey: 'checkout:1',
      reference: null,
      actorUserId: null,
      audit: { action: 'credits.purchased' },
      now: NOW,
    };
    const moves = await Promise.all(Array.from({ length: 20 }, () => f.store.moveCredits(move)));
    expect(moves.filter((m) => m.applied)).toHaveLength(1);

    const policy = {
      amount: 20_000,
      every: { value: 1, unit: 'day' as const },
      strategy: 'reset' as const,
      mode: 'on_demand' as const,
      grades: [],
    };
    await f.addRefillMark('daily', policy, ['alice']);
    // A store per call: each has its own hint, so every call really reaches the database.
    const refills = await Promise.all(
      Array.from({ length: 20 }, () =>
        createPgMoneyStore(f.pool).refillUserOnDemand({
          userId: 'alice',
          refills: [{ markId: 'daily', markKey: 'daily', policy }],
          now: NOW,
          timeZone: 'UTC',
        }),
      ),
    );
    expect(refills.filter((added) => added > 0)).toHaveLength(1);
    expect((await f.ledger('alice')).map((r) => r.key)).toEqual([
      'charge:req-1',
      'checkout:1',
      `refill:alice:daily:${Date.parse('2026-03-10T00:00:00Z')}`,
    ]);
    // 10,000 − 150 charged + 700 bought; the reset tops the allowance (9,175) up to 20,000.
    expect(await f.account('alice')).toEqual({ balance: 20_700, reserved: 0, purchased: 700 });
    await clean();
  });

  it('a retry after a commit whose answer was lost changes nothing', async () => {
    await f.addUser('alice', { balance: 10_000 });
    // The first call of each statement commits, then its answer is lost with the connection.
    const lost = new Set<string>();
    const flaky: PgQueryable = {
      async query(config) {
        const result = await f.pool.query(config);
        if (config.name && !lost.has(config.name)) {
          lost.add(config.name);
          throw new Error('Connection terminated unexpectedly');
        }
        return result;
      },
    };
    const store = createPgMoneyStore(flaky);
    // The admission's own first attempt committed: admitted, not a replay of someone else's.
    expect(await store.admit(admission())).toMatchObject({
      ok: true,
      reserved: 250,
      replay: false,
    });
    // A real reconnect (no answer lost this time) is still a replay.
    expect(await store.admit(admission())).toMatchObject({ ok: true, replay: true });
    expect(await store.settle(usage('req-1', 500))).toEqual({
      settled: false,
      reason: 'already_settled',
    });
    expect(
      await store.moveCredits({
        userId: 'alice',
        pot: 'purchased',
        mode: 'add',
        amount: 700,
        kind: 'purchase',
        idempotencyKey: 'checkout:1',
        reference: null,
        actorUserId: null,
        audit: { action: 'credits.purchased' },
        now: NOW,
      }),
    ).toEqual({ applied: false, reason: 'duplicate' });
    expect([...lost].sort()).toEqual(['tessera_admit', 'tessera_move_credits', 'tessera_settle']);
    expect(await f.ledger('alice')).toEqual([
      { delta: -150, pot: 'allowance', kind: 'charge', key: 'charge:req-1' },
      { delta: 700, pot: 'purchased', kind: 'purchase', key: 'checkout:1' },
    ]);
    expect(await f.account('alice')).toEqual({ balance: 10_550, reserved: 0, purchased: 700 });
    expect(await f.requests('alice', 'day')).toBe(1);
    await clean();
  });

  it('a real deadlock (40P01) is retried until both transactions commit', async () => {
    await f.addUser('alice', { balance: 1 });
    await f.addUser('bob', { balance: 1 });
    let retries = 0;
    // Opposite lock orders on purpose, the shape that deadlocked before every money
    // transaction locked the account first.
    const transfer = (first: string, second: string) =>
      withRetry(
        async () => {
          const client = await f.pool.connect();
          try {
            await client.query('begin');
            await client.query('update credit_accounts set updated_at = 1 where user_id = $1', [
              first,
            ]);
            await client.query('select pg_sleep(0.2)');
            await client.query('update credit_accounts set updated_at = 2 where user_id = $1', [
              second,
            ]);
            await client.query('commit');
          } catch (error) {
            await client.query('rollback');
            throw error;
          } finally {
            client.release();
          }
        },
        { onRetry: (error) => ((error as { code?: string }).code === '40P01' ? retries++ : 0) },
      );
    await Promise.all([transfer('alice', 'bob'), transfer('bob', 'alice')]);
    expect(retries).toBeGreaterThanOrEqual(1);
  });
});
