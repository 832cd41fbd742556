// The money store's reservation-lease contract (decision 030), one suite for every engine
// (registered by money-store.sqlite.test.ts and money-store.pg.test.ts next to the main contract):
// admission writes the holder's lease, the holder's renewal pushes it, the sweep releases what ran
// out — charging nothing, exactly once however many instances sweep together.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STALE_RESERVATION_MS } from '../src/domain/usage/release-stale-reservations.ts';
import { THIS_INSTANCE_LEASE } from '../src/domain/usage/reservation-lease.ts';
import { admission, type MoneyFixture, NOW } from './money-store.contract.ts';

const LEASE_MS = 30_000;
const instance = (holder: string) => ({ holder, ms: LEASE_MS });
const at = (ms: number) => new Date(NOW.getTime() + ms);

export function moneyStoreLeaseContract(engine: string, open: () => Promise<MoneyFixture>) {
  describe(`money store reservation leases (${engine})`, () => {
    let f: MoneyFixture;
    beforeEach(async () => {
      f = await open();
    });
    afterEach(async () => {
      await f.close();
    });
    const clean = async () => expect((await f.store.checkInvariants()).problems).toEqual([]);
    const sweep = (ms: number) =>
      f.store.releaseStaleReservations({ now: at(ms), timeZone: 'UTC' });

    it('an admitted reservation carries its holder and a lease from the admission', async () => {
      await f.addUser('alice', { balance: 10_000 });
      await f.store.admit(admission({ requestId: 'a', lease: instance('inst-a') }));
      expect(await f.reservation('a')).toEqual({
        status: 'open',
        holder: 'inst-a',
        leaseUntil: NOW.getTime() + LEASE_MS,
      });
      await f.store.admit(admission({ requestId: 'default' }));
      expect(await f.reservation('default')).toEqual({
        status: 'open',
        holder: THIS_INSTANCE_LEASE.holder,
        leaseUntil: NOW.getTime() + THIS_INSTANCE_LEASE.ms,
      });
    });

    it("renewal pushes the lease forward only on the holder's open reservations", async () => {
      await f.addUser('alice', { balance: 10_000 });
      await f.addUser('bob', { balance: 10_000 });
      await f.store.admit(admission({ requestId: 'a1', lease: instance('inst-a') }));
      await f.store.admit(admission({ requestId: 'a2', lease: instance('inst-a') }));
      await f.store.admit(admission({ userId: 'bob', requestId: 'b1', lease: instance('inst-b') }));
      await f.store.release({ requestId: 'a2', modelId: '', now: NOW, timeZone: 'UTC' });

      expect(await f.store.renewLeases({ lease: instance('inst-a'), now: at(10_000) })).toBe(1);
      expect((await f.reservation('a1'))?.leaseUntil).toBe(NOW.getTime() + 10_000 + LEASE_MS);
      expect(await f.reservation('a2')).toMatchObject({
        status: 'released',
        leaseUntil: NOW.getTime() + LEASE_MS,
      });
      expect((await f.reservation('b1'))?.leaseUntil).toBe(NOW.getTime() + LEASE_MS);
      expect(await f.store.renewLeases({ lease: instance('nobody'), now: at(10_000) })).toBe(0);
      await clean();
    });

    it('releases an expired lease charging nothing, and keeps a renewed one', async () => {
      await f.addUser('alice', { balance: 1000 });
      await f.addUser('bob', { balance: 1000 });
      await f.store.admit(admission({ requestId: 'dead', lease: instance('crashed') }));
      await f.store.admit(
        admission({ userId: 'bob', requestId: 'live', lease: instance('alive') }),
      );
      // Not before the lease ends: a lease is vouched for up to its last millisecond.
      expect(await sweep(LEASE_MS)).toEqual({ found: 0, released: 0 });
      for (const t of [10_000, 20_000, 30_000])
        await f.store.renewLeases({ lease: instance('alive'), now: at(t) });

      expect(await sweep(LEASE_MS + 5_000)).toEqual({ found: 1, released: 1 });
      expect(await f.reservation('dead')).toMatchObject({ status: 'released' });
      expect(await f.account('alice')).toEqual({ balance: 1000, reserved: 0, purchased: 0 });
      expect(await f.ledger('alice')).toEqual([]);
      expect(await f.reservation('live')).toMatchObject({ status: 'open' });
      expect(await f.account('bob')).toEqual({ balance: 1000, reserved: 250, purchased: 0 });
      // Once the renewals stop, the live one goes too, and the dead one is not released twice.
      expect(await sweep(30_000 + LEASE_MS + 1)).toEqual({ found: 1, released: 1 });
      expect(await f.account('bob')).toEqual({ balance: 1000, reserved: 0, purchased: 0 });
      await clean();
    });

    it('a row from before leases is released by age only', async () => {
      await f.addUser('alice', { balance: 1000 });
      await f.store.admit(admission({ requestId: 'old' }));
      await f.setLease('old', null);
      expect(await sweep(STALE_RESERVATION_MS - 1)).toEqual({ found: 0, released: 0 });
      expect(await sweep(STALE_RESERVATION_MS + 1)).toEqual({ found: 1, released: 1 });
      expect(await f.account('alice')).toEqual({ balance: 1000, reserved: 0, purchased: 0 });
      await clean();
    });

    it('sweeps running at once release each expired reservation once', async () => {
      const users = Array.from({ length: 6 }, (_, i) => `user-${i}`);
      for (const [i, id] of users.entries()) {
        await f.addUser(id, { balance: 1000 });
        await f.store.admit(
          admission({ userId: id, requestId: `r-${i}`, lease: instance(`dead-${i % 2}`) }),
        );
      }
      const results = await Promise.all([1, 2, 3, 4].map(() => sweep(LEASE_MS + 1)));
      expect(results.reduce((sum, r) => sum + r.released, 0)).toBe(users.length);
      for (const id of users)
        expect(await f.account(id)).toEqual({ balance: 1000, reserved: 0, purchased: 0 });
      expect(await sweep(LEASE_MS + 2)).toEqual({ found: 0, released: 0 });
      await clean();
    });
  });
}
