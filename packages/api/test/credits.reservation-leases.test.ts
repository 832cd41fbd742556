// Reservation leases and the leader lease (decision 030): an open reservation is released by any
// instance once its holder stops renewing it, never while the holder renews; a named lease has one
// holder at a time, taken over only once its ttl has passed.
import { afterEach, describe, expect, it } from 'vitest';
import { adjustCreditsThrough } from '../src/domain/credits/adjust-credits.ts';
import { clearRefillHints } from '../src/domain/credits/refill-user.ts';
import { entitlementsSchema } from '../src/domain/entitlements/entitlements.ts';
import { STALE_RESERVATION_MS } from '../src/domain/usage/release-stale-reservations.ts';
import type { ReservationLease } from '../src/domain/usage/reservation-lease.ts';
import { type EngineTestApi, openTestApi, signedUp } from './harness.ts';
import { creditAccount, rowsWithNumbers } from './money-fixtures.ts';

const T = new Date('2026-06-15T12:00:00Z').getTime();
const at = (ms: number) => new Date(T + ms);
const plan = entitlementsSchema.parse({
  models: ['tessera-mini'],
  requestsPerDay: 100,
  requestsPerMonth: 1000,
  requestsPerMinute: 60,
  maxOutputTokens: 1000,
});

describe('reservation leases', () => {
  let api: EngineTestApi;
  let userId: string;
  afterEach(() => api.destroy());

  async function setup() {
    api = await openTestApi();
    clearRefillHints();
    userId = (await signedUp(api, 'leased@example.com')).viewer.user.id;
    await adjustCreditsThrough((move) => api.stores.money.moveCredits(move), {
      userId,
      mode: 'set',
      amount: 1_000_000,
      reason: 'test',
      actorUserId: null,
      now: at(0),
    });
  }
  const admit = async (requestId: string, lease: ReservationLease, now = at(0)) => {
    const admission = await api.stores.money.admit({
      userId,
      requestId,
      modelId: 'tessera-mini',
      entitlements: plan,
      refills: [],
      inputTokens: 100,
      requestedOutputTokens: 100,
      now,
      timeZone: 'UTC',
      lease,
    });
    expect(admission).toMatchObject({ ok: true });
  };
  const reservation = async (id: string) =>
    (
      await rowsWithNumbers(
        api,
        ['charged', 'lease_until'],
        'select status, charged, holder, lease_until from credit_reservations where id = $1',
        [id],
      )
    )[0];
  const account = () => creditAccount(api, userId);
  const sweep = (ms: number) =>
    api.stores.money.releaseStaleReservations({ now: at(ms), timeZone: 'UTC' });
  const renew = (lease: ReservationLease, ms: number) =>
    api.stores.money.renewLeases({ lease, now: at(ms) });
  const problems = async () => (await api.stores.money.checkInvariants()).problems;

  it('admission writes the holder and the lease end', async () => {
    await setup();
    await admit('r1', { holder: 'host:1:aa', ms: 5000 });
    expect(await reservation('r1')).toEqual({
      status: 'open',
      charged: null,
      holder: 'host:1:aa',
      lease_until: T + 5000,
    });
  });

  it('a reservation whose holder stopped renewing is released after its lease, charging nothing, once', async () => {
    await setup();
    await admit('dead', { holder: 'gone:1:aa', ms: 5000 });
    expect(await sweep(5000)).toEqual({ found: 0, released: 0 }); // not past the lease yet
    expect(await reservation('dead')).toMatchObject({ status: 'open' });
    expect(await sweep(5001)).toEqual({ found: 1, released: 1 });
    expect(await reservation('dead')).toMatchObject({ status: 'released', charged: 0 });
    expect(await account()).toEqual({ balance: 1_000_000, reserved: 0 });
    expect(await sweep(6000)).toEqual({ found: 0, released: 0 }); // a second sweeper finds nothing
    expect(await problems()).toEqual([]);
  });

  it('a holder that keeps renewing keeps its reservation far past one lease, and settles it', async () => {
    await setup();
    const live = { holder: 'live:1:aa', ms: 3000 };
    await admit('streaming', live);
    await admit('other', { holder: 'gone:2:bb', ms: 3000 });
    for (let t = 1000; t <= 60_000; t += 1000) {
      expect(await renew(live, t)).toBe(1);
      await sweep(t + 500);
    }
    expect(await reservation('streaming')).toMatchObject({
      status: 'open',
      lease_until: T + 63_000,
    });
    expect(await reservation('other')).toMatchObject({ status: 'released', charged: 0 });
    const settled = await api.stores.money.settle({
      requestId: 'streaming',
      modelId: 'tessera-mini',
      inputTokens: 100,
      outputTokens: 50,
      now: at(61_000),
      timeZone: 'UTC',
    });
    expect(settled).toMatchObject({ settled: true });
    expect(await reservation('streaming')).toMatchObject({ status: 'settled' });
    // Nothing open is left to renew.
    expect(await renew(live, 62_000)).toBe(0);
    expect(await problems()).toEqual([]);
  });

  it('rows from before leases (no lease) are released only once older than the 15-minute limit', async () => {
    await setup();
    await admit('legacy', { holder: '4242', ms: 1000 });
    await api.sql("update credit_reservations set lease_until = null where id = 'legacy'");
    expect(await sweep(STALE_RESERVATION_MS - 1)).toEqual({ found: 0, released: 0 });
    expect(await sweep(STALE_RESERVATION_MS + 1)).toEqual({ found: 1, released: 1 });
    expect(await account()).toEqual({ balance: 1_000_000, reserved: 0 });
  });
});

describe('named leases (the leader lock)', () => {
  let api: EngineTestApi;
  afterEach(() => api.destroy());
  const hold = (holder: string, ms: number) =>
    api.stores.ops.holdLease({ name: 'scheduler', holder, ttlMs: 10_000, now: at(ms) });
  const release = (holder: string) => api.stores.ops.releaseLease({ name: 'scheduler', holder });
  const row = async () =>
    (
      await rowsWithNumbers(
        api,
        ['until'],
        "select holder, until from leases where name = 'scheduler'",
      )
    )[0];

  it('one holder at a time; renewed by its holder; taken over only after the ttl', async () => {
    api = await openTestApi();
    expect(await hold('a', 0)).toBe(true);
    expect(await hold('b', 1)).toBe(false);
    expect(await hold('a', 9000)).toBe(true); // renewal pushes the end
    expect(await row()).toEqual({ holder: 'a', until: T + 19_000 });
    expect(await hold('b', 19_000)).toBe(false); // not past the end yet
    expect(await hold('b', 19_001)).toBe(true);
    expect(await hold('a', 19_002)).toBe(false); // the old leader does not take it back
    expect(await row()).toEqual({ holder: 'b', until: T + 29_001 });
  });

  it('given up on a clean stop, only by its holder', async () => {
    api = await openTestApi();
    expect(await hold('a', 0)).toBe(true);
    expect(await release('b')).toBe(false);
    expect(await hold('b', 1)).toBe(false);
    expect(await release('a')).toBe(true);
    expect(await hold('b', 2)).toBe(true);
  });
});
