// Reservation leases and the leader lease (decision 030): an open reservation is released by any
// instance once its holder stops renewing it, never while the holder renews; a named lease has one
// holder at a time, taken over only once its ttl has passed.
import { afterEach, describe, expect, it } from 'vitest';
import { adjustCredits } from '../src/domain/credits/adjust-credits.ts';
import { checkCreditInvariants } from '../src/domain/credits/check-invariants.ts';
import { clearRefillHints } from '../src/domain/credits/refill-user.ts';
import { entitlementsSchema } from '../src/domain/entitlements/entitlements.ts';
import { holdLease } from '../src/domain/leases/hold-lease.ts';
import { releaseLease } from '../src/domain/leases/release-lease.ts';
import { admitRequest } from '../src/domain/usage/admit-request.ts';
import {
  releaseStaleReservations,
  STALE_RESERVATION_MS,
} from '../src/domain/usage/release-stale-reservations.ts';
import { renewReservationLeases } from '../src/domain/usage/renew-reservation-leases.ts';
import type { ReservationLease } from '../src/domain/usage/reservation-lease.ts';
import { settleRequest } from '../src/domain/usage/settle-request.ts';
import { createTestApi, signedUp, type TestApi } from './harness.ts';

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
  let api: TestApi;
  let userId: string;
  afterEach(() => api.destroy());

  async function setup() {
    api = createTestApi();
    clearRefillHints();
    userId = (await signedUp(api, 'leased@example.com')).viewer.user.id;
    adjustCredits(api.db.db, {
      userId,
      mode: 'set',
      amount: 1_000_000,
      reason: 'test',
      actorUserId: null,
      now: at(0),
    });
  }
  const admit = (requestId: string, lease: ReservationLease, now = at(0)) => {
    const admission = admitRequest(api.db.db, {
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
  const reservation = (id: string) =>
    api.db.sqlite
      .prepare('select status, charged, holder, lease_until from credit_reservations where id = ?')
      .get(id);
  const account = () =>
    api.db.sqlite
      .prepare('select balance, reserved from credit_accounts where user_id = ?')
      .get(userId);
  const sweep = (ms: number) =>
    releaseStaleReservations(api.db.db, { now: at(ms), timeZone: 'UTC' });

  it('admission writes the holder and the lease end', async () => {
    await setup();
    admit('r1', { holder: 'host:1:aa', ms: 5000 });
    expect(reservation('r1')).toEqual({
      status: 'open',
      charged: null,
      holder: 'host:1:aa',
      lease_until: T + 5000,
    });
  });

  it('a reservation whose holder stopped renewing is released after its lease, charging nothing, once', async () => {
    await setup();
    admit('dead', { holder: 'gone:1:aa', ms: 5000 });
    expect(sweep(5000)).toEqual({ found: 0, released: 0 }); // not past the lease yet
    expect(reservation('dead')).toMatchObject({ status: 'open' });
    expect(sweep(5001)).toEqual({ found: 1, released: 1 });
    expect(reservation('dead')).toMatchObject({ status: 'released', charged: 0 });
    expect(account()).toEqual({ balance: 1_000_000, reserved: 0 });
    expect(sweep(6000)).toEqual({ found: 0, released: 0 }); // a second sweeper finds nothing
    expect(checkCreditInvariants(api.db.db).problems).toEqual([]);
  });

  it('a holder that keeps renewing keeps its reservation far past one lease, and settles it', async () => {
    await setup();
    const live = { holder: 'live:1:aa', ms: 3000 };
    admit('streaming', live);
    admit('other', { holder: 'gone:2:bb', ms: 3000 });
    for (let t = 1000; t <= 60_000; t += 1000) {
      expect(renewReservationLeases(api.db.db, { lease: live, now: at(t) })).toBe(1);
      sweep(t + 500);
    }
    expect(reservation('streaming')).toMatchObject({ status: 'open', lease_until: T + 63_000 });
    expect(reservation('other')).toMatchObject({ status: 'released', charged: 0 });
    const settled = settleRequest(api.db.db, {
      requestId: 'streaming',
      modelId: 'tessera-mini',
      inputTokens: 100,
      outputTokens: 50,
      now: at(61_000),
      timeZone: 'UTC',
    });
    expect(settled).toMatchObject({ settled: true });
    expect(reservation('streaming')).toMatchObject({ status: 'settled' });
    // Nothing open is left to renew.
    expect(renewReservationLeases(api.db.db, { lease: live, now: at(62_000) })).toBe(0);
    expect(checkCreditInvariants(api.db.db).problems).toEqual([]);
  });

  it('rows from before leases (no lease) are released only once older than the 15-minute limit', async () => {
    await setup();
    admit('legacy', { holder: '4242', ms: 1000 });
    api.db.sqlite
      .prepare("update credit_reservations set lease_until = null where id = 'legacy'")
      .run();
    expect(sweep(STALE_RESERVATION_MS - 1)).toEqual({ found: 0, released: 0 });
    expect(sweep(STALE_RESERVATION_MS + 1)).toEqual({ found: 1, released: 1 });
    expect(account()).toEqual({ balance: 1_000_000, reserved: 0 });
  });
});

describe('named leases (the leader lock)', () => {
  let api: TestApi;
  afterEach(() => api.destroy());
  const hold = (holder: string, ms: number) =>
    holdLease(api.db.db, { name: 'scheduler', holder, ttlMs: 10_000, now: at(ms) });
  const row = () =>
    api.db.sqlite.prepare("select holder, until from leases where name = 'scheduler'").get();

  it('one holder at a time; renewed by its holder; taken over only after the ttl', () => {
    api = createTestApi();
    expect(hold('a', 0)).toBe(true);
    expect(hold('b', 1)).toBe(false);
    expect(hold('a', 9000)).toBe(true); // renewal pushes the end
    expect(row()).toEqual({ holder: 'a', until: T + 19_000 });
    expect(hold('b', 19_000)).toBe(false); // not past the end yet
    expect(hold('b', 19_001)).toBe(true);
    expect(hold('a', 19_002)).toBe(false); // the old leader does not take it back
    expect(row()).toEqual({ holder: 'b', until: T + 29_001 });
  });

  it('given up on a clean stop, only by its holder', () => {
    api = createTestApi();
    expect(hold('a', 0)).toBe(true);
    expect(releaseLease(api.db.db, { name: 'scheduler', holder: 'b' })).toBe(false);
    expect(hold('b', 1)).toBe(false);
    expect(releaseLease(api.db.db, { name: 'scheduler', holder: 'a' })).toBe(true);
    expect(hold('b', 2)).toBe(true);
  });
});
