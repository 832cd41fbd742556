// The money store's contract, one suite for every engine (money-store.sqlite.test.ts,
// money-store.pg.test.ts). Each engine supplies a store on a fresh, migrated database and a few
// fixture helpers in its own SQL; the expectations are the same, to the credit.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RefillPolicy } from '../src/domain/entitlements/entitlements.ts';
import { type Entitlements, entitlementsSchema } from '../src/domain/entitlements/entitlements.ts';
import type { AdmissionInput, MoneyStore } from '../src/storage/money-store.ts';

/** 50,000 credits per 1M input tokens, 200,000 per 1M output (like tessera-mini). */
export const MODEL = 'contract-model';

export interface MoneyFixture {
  store: MoneyStore;
  /** A user with a credit account; `purchased` of `balance` is purchased credits. */
  addUser(
    id: string,
    account: { balance: number; purchased?: number; dailyCap?: number; monthlyCap?: number },
  ): Promise<void>;
  /** A platform mark refilling by `policy`, held by `users` without end. */
  addRefillMark(id: string, policy: RefillPolicy, users: string[]): Promise<void>;
  account(id: string): Promise<{ balance: number; reserved: number; purchased: number }>;
  ledger(id: string): Promise<{ delta: number; pot: string; kind: string; key: string }[]>;
  requests(id: string, window: 'day' | 'month'): Promise<number>;
  reservations(id: string): Promise<number>;
  /** One reservation's state, lease and holder (undefined: no such reservation). */
  reservation(
    requestId: string,
  ): Promise<{ status: string; holder: string | null; leaseUntil: number | null } | undefined>;
  /** Overwrites a reservation's lease (null: a row from before leases). */
  setLease(requestId: string, leaseUntil: number | null): Promise<void>;
  creditEvents(id: string): Promise<number>;
  /** One credit more than the ledger says (a corrupt row for checkInvariants to find). */
  breakBalance(id: string): Promise<void>;
  close(): Promise<void>;
}

export const plan = (overrides: Partial<Entitlements> = {}) =>
  entitlementsSchema.parse({
    models: [MODEL],
    requestsPerDay: 100,
    requestsPerMonth: 1000,
    requestsPerMinute: 60,
    maxOutputTokens: 1000,
    ...overrides,
  });

export const NOW = new Date('2026-03-10T12:00:00Z');

export function admission(overrides: Partial<AdmissionInput> = {}): AdmissionInput {
  return {
    userId: 'alice',
    requestId: 'req-1',
    modelId: MODEL,
    entitlements: plan(),
    refills: [],
    inputTokens: 1000,
    requestedOutputTokens: 1000,
    now: NOW,
    timeZone: 'UTC',
    ...overrides,
  };
}

export const usage = (requestId: string, outputTokens: number, inputTokens = 1000) => ({
  requestId,
  modelId: MODEL,
  inputTokens,
  outputTokens,
  now: NOW,
  timeZone: 'UTC',
});

/** Registers the contract's tests against fresh fixtures from `open` (one per test). */
export function moneyStoreContract(engine: string, open: () => Promise<MoneyFixture>) {
  describe(`money store contract (${engine})`, () => {
    let f: MoneyFixture;
    beforeEach(async () => {
      f = await open();
    });
    afterEach(async () => {
      await f.close();
    });
    const clean = async () => expect((await f.store.checkInvariants()).problems).toEqual([]);

    it('reserves the worst case, charges the real cost once, and releases the rest', async () => {
      await f.addUser('alice', { balance: 10_000 });
      const admitted = await f.store.admit(admission());
      expect(admitted).toEqual({
        ok: true,
        requestId: 'req-1',
        reserved: 250,
        maxOutputTokens: 1000,
        replay: false,
      });
      expect(await f.account('alice')).toEqual({ balance: 10_000, reserved: 250, purchased: 0 });
      expect(await f.requests('alice', 'day')).toBe(1);

      const settled = await f.store.settle(usage('req-1', 100));
      expect(settled).toEqual({
        settled: true,
        userId: 'alice',
        charged: 70,
        released: 180,
        balance: 9930,
      });
      expect(await f.store.settle(usage('req-1', 100))).toEqual({
        settled: false,
        reason: 'already_settled',
      });
      expect(await f.store.settle(usage('nope', 1))).toEqual({
        settled: false,
        reason: 'unknown_request',
      });
      expect(await f.account('alice')).toEqual({ balance: 9930, reserved: 0, purchased: 0 });
      expect(await f.ledger('alice')).toEqual([
        { delta: -70, pot: 'allowance', kind: 'charge', key: 'charge:req-1' },
      ]);
      await clean();
    });

    it('a replayed admission is admitted once and counted once; another user gets CONFLICT', async () => {
      await f.addUser('alice', { balance: 10_000 });
      await f.addUser('bob', { balance: 10_000 });
      await f.store.admit(admission());
      expect(await f.store.admit(admission())).toMatchObject({
        ok: true,
        replay: true,
        reserved: 250,
      });
      expect(await f.store.admit(admission({ userId: 'bob' }))).toMatchObject({
        ok: false,
        code: 'CONFLICT',
      });
      expect(await f.requests('alice', 'day')).toBe(1);
      expect(await f.account('alice')).toMatchObject({ reserved: 250 });
      expect(await f.account('bob')).toMatchObject({ reserved: 0 });
      await clean();
    });

    it('refuses insufficient credit with figures, writing nothing', async () => {
      await f.addUser('alice', { balance: 249 });
      expect(await f.store.admit(admission())).toEqual({
        ok: false,
        code: 'INSUFFICIENT_CREDITS',
        message: 'Not enough credits for this request.',
        details: { needed: 250, available: 249, monthlyCapReached: false },
      });
      expect(await f.account('alice')).toEqual({ balance: 249, reserved: 0, purchased: 0 });
      expect(await f.requests('alice', 'day')).toBe(0);
      expect(await f.reservations('alice')).toBe(0);
    });

    it('refuses at the daily quota and at a personal daily cap, writing nothing', async () => {
      await f.addUser('alice', { balance: 10_000 });
      const daily = plan({ requestsPerDay: 2 });
      for (const id of ['a', 'b'])
        expect(
          await f.store.admit(admission({ requestId: id, entitlements: daily })),
        ).toMatchObject({
          ok: true,
        });
      const refused = await f.store.admit(admission({ requestId: 'c', entitlements: daily }));
      expect(refused).toMatchObject({
        ok: false,
        code: 'QUOTA_EXCEEDED',
        details: { window: 'day', limit: 2, resetsAt: '2026-03-11T00:00:00.000Z' },
      });
      expect(await f.requests('alice', 'day')).toBe(2);
      expect(await f.reservations('alice')).toBe(2);

      await f.addUser('carol', { balance: 10_000, dailyCap: 1 });
      await f.store.admit(admission({ userId: 'carol', requestId: 'c1' }));
      expect(await f.store.admit(admission({ userId: 'carol', requestId: 'c2' }))).toMatchObject({
        ok: false,
        code: 'QUOTA_EXCEEDED',
        details: { window: 'day', limit: 1 },
      });
      expect(await f.requests('carol', 'day')).toBe(1);
      expect(
        await f.store.admit(
          admission({
            userId: 'carol',
            requestId: 'c3',
            entitlements: plan({ requestsPerMonth: 0 }),
          }),
        ),
      ).toMatchObject({
        ok: false,
        code: 'QUOTA_EXCEEDED',
        details: { window: 'month', limit: 0 },
      });
      expect(
        await f.store.admit(
          admission({ requestId: 'm', entitlements: plan({ requestsPerMinute: 2 }) }),
        ),
      ).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
      expect(await f.store.admit(admission({ requestId: 'x', modelId: 'gone' }))).toMatchObject({
        ok: false,
        code: 'MODEL_UNAVAILABLE',
      });
      await clean();
    });

    it('settles allowance first, then purchased credits, one ledger row per pot', async () => {
      await f.addUser('alice', { balance: 1000, purchased: 950 });
      await f.store.admit(admission());
      expect(await f.store.settle({ ...usage('req-1', 1000), announce: true })).toMatchObject({
        settled: true,
        charged: 250,
        balance: 750,
      });
      expect(await f.account('alice')).toEqual({ balance: 750, reserved: 0, purchased: 750 });
      expect(await f.ledger('alice')).toEqual([
        { delta: -50, pot: 'allowance', kind: 'charge', key: 'charge:req-1' },
        { delta: -200, pot: 'purchased', kind: 'charge', key: 'charge:req-1:purchased' },
      ]);
      expect(await f.creditEvents('alice')).toBe(1);
      await clean();
    });

    it('a release charges nothing, and only once', async () => {
      await f.addUser('alice', { balance: 1000 });
      await f.store.admit(admission());
      const release = { requestId: 'req-1', modelId: MODEL, now: NOW, timeZone: 'UTC' };
      expect(await f.store.release(release)).toMatchObject({
        settled: true,
        charged: 0,
        released: 250,
      });
      expect(await f.store.release(release)).toEqual({ settled: false, reason: 'already_settled' });
      expect(await f.account('alice')).toEqual({ balance: 1000, reserved: 0, purchased: 0 });
      expect(await f.ledger('alice')).toEqual([]);
      await clean();
    });

    it('moves credits once per key and refuses going below zero', async () => {
      await f.addUser('alice', { balance: 100 });
      const move = {
        userId: 'alice',
        pot: 'purchased' as const,
        mode: 'add' as const,
        amount: 500,
        kind: 'purchase' as const,
        idempotencyKey: 'pack:1',
        reference: 'pack',
        actorUserId: null,
        audit: { action: 'credits.purchased' },
        now: NOW,
      };
      expect(await f.store.moveCredits(move)).toEqual({
        applied: true,
        delta: 500,
        balance: 600,
        purchased: 500,
      });
      expect(await f.store.moveCredits(move)).toEqual({ applied: false, reason: 'duplicate' });
      await expect(
        f.store.moveCredits({ ...move, amount: -600, idempotencyKey: 'oops' }),
      ).rejects.toMatchObject({ code: 'CONFLICT' });
      expect(
        await f.store.moveCredits({ ...move, mode: 'takeBack', amount: 50, idempotencyKey: 'r1' }),
      ).toMatchObject({ applied: true, delta: -50, balance: 550, purchased: 450 });
      await expect(
        f.store.moveCredits({ ...move, userId: 'nobody', idempotencyKey: 'n1' }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(await f.creditEvents('alice')).toBe(2);
      await clean();
    });

    it('refills on demand once per period', async () => {
      await f.addUser('alice', { balance: 100, purchased: 100 });
      const policy: RefillPolicy = {
        amount: 1000,
        every: { value: 1, unit: 'day' },
        strategy: 'reset',
        mode: 'on_demand',
        grades: [],
      };
      await f.addRefillMark('daily', policy, ['alice']);
      const refills = [{ markId: 'daily', markKey: 'daily', policy }];
      const input = { userId: 'alice', refills, now: NOW, timeZone: 'UTC' };
      expect(await f.store.refillUserOnDemand(input)).toBe(1000);
      expect(await f.store.refillUserOnDemand(input)).toBe(0);
      // Admission refills first; the period has not turned, so nothing more.
      expect(await f.store.admit(admission({ refills }))).toMatchObject({ ok: true });
      expect(await f.account('alice')).toMatchObject({ balance: 1100, purchased: 100 });
      const tomorrow = new Date(NOW.getTime() + 86_400_000);
      expect(await f.store.refillUserOnDemand({ ...input, now: tomorrow })).toBe(0); // reset: full
      expect(await f.ledger('alice')).toEqual([
        {
          delta: 1000,
          pot: 'allowance',
          kind: 'refill',
          key: `refill:alice:daily:${Date.parse('2026-03-10T00:00:00Z')}`,
        },
        {
          delta: 0,
          pot: 'allowance',
          kind: 'refill',
          key: `refill:alice:daily:${Date.parse('2026-03-11T00:00:00Z')}`,
        },
      ]);
      await clean();
    });

    it('runs the scheduled refill once per user per period, even when runs overlap', async () => {
      const users = Array.from({ length: 7 }, (_, i) => `user-${i}`);
      for (const id of users) await f.addUser(id, { balance: 0 });
      await f.addRefillMark(
        'monthly',
        {
          amount: 300,
          every: { value: 1, unit: 'month' },
          strategy: 'topup',
          cap: 500,
          mode: 'scheduled',
          grades: [],
        },
        users,
      );
      const run = () =>
        f.store.runScheduledRefills({ trigger: 'cli', now: NOW, timeZone: 'UTC', batchSize: 3 });
      const results = await Promise.all([run(), run(), run()]);
      expect(results.reduce((sum, r) => sum + r.usersRefilled, 0)).toBe(7);
      expect(results.reduce((sum, r) => sum + r.creditsGranted, 0)).toBe(7 * 300);
      expect(results.every((r) => r.error === null && r.usersScanned === 7)).toBe(true);
      expect((await run()).usersRefilled).toBe(0);
      for (const id of users) {
        expect(await f.account(id)).toMatchObject({ balance: 300 });
        expect(await f.ledger(id)).toHaveLength(1);
      }
      await clean();
    });

    it('releases stale reservations, charging nothing', async () => {
      await f.addUser('alice', { balance: 1000 });
      await f.store.admit(admission());
      const later = new Date(NOW.getTime() + 16 * 60_000);
      expect(await f.store.releaseStaleReservations({ now: later, timeZone: 'UTC' })).toEqual({
        found: 1,
        released: 1,
      });
      expect(await f.account('alice')).toEqual({ balance: 1000, reserved: 0, purchased: 0 });
      await clean();
    });

    it('checkInvariants finds a balance the ledger does not explain', async () => {
      await f.addUser('alice', { balance: 1000 });
      await clean();
      await f.breakBalance('alice');
      const report = await f.store.checkInvariants();
      expect(report.ok).toBe(false);
      expect(report.problems).toContainEqual({
        check: 'balance = Σ ledger',
        userId: 'alice',
        detail: 'balance 1001, ledger 1000',
      });
    });
  });
}
