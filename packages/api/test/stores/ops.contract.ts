// The ops store's contract (docs/decisions/034, 035), run on SQLite and on PostgreSQL: the
// member-event bus and notices and the mail outbox's claims here; notifications, audit and leases
// in ops-records.contract.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeliveredMemberEvent, MemberEventBus } from '../../src/events/member-event-bus.ts';
import { deliverDueMail, type MailTransport } from '../../src/mail/deliver-mail.ts';
import type { EngineUnderTest, OpenEngine } from './engine.ts';
import { addEvent, addMail, at, eventually, fakeTransport, T0 } from './ops-fixtures.ts';
import { opsRecordsContract } from './ops-records.contract.ts';

export function opsContract(openEngine: OpenEngine) {
  let engine: EngineUnderTest;
  const buses: MemberEventBus[] = [];
  beforeEach(async () => {
    engine = await openEngine();
  });
  afterEach(async () => {
    for (const bus of buses.splice(0)) bus.close();
    await engine.close();
  });
  const ops = () => engine.stores.ops;
  const track = (bus: MemberEventBus) => {
    buses.push(bus);
    return bus;
  };

  describe('member events', () => {
    it("delivers a write made after subscribing to its user's listeners and broadcasts to all", async () => {
      const bus = track(ops().memberEventBus({ intervalMs: 10 }));
      const got: Record<string, DeliveredMemberEvent[]> = { u1: [], u2: [] };
      bus.subscribe('u1', (event) => got.u1!.push(event));
      bus.subscribe('u2', (event) => got.u2!.push(event));
      await new Promise((resolve) => setTimeout(resolve, 30)); // the bus has read once
      await addEvent(engine, 'u1', 'membership.revoked');
      await addEvent(engine, '*', 'mark.changed');
      await addEvent(engine, 'u3');
      await eventually(() => got.u1!.length === 2 && got.u2!.length === 1);
      expect(got.u1!.map((e) => [e.userId, e.kind])).toEqual([
        ['u1', 'membership.revoked'],
        ['*', 'mark.changed'],
      ]);
      expect(got.u2!.map((e) => e.kind)).toEqual(['mark.changed']);
      expect(got.u1![0]).toMatchObject({ markKey: null, createdAt: T0 });
      expect(got.u1![0]!.id).toBeLessThan(got.u1![1]!.id);
      await new Promise((resolve) => setTimeout(resolve, 40));
      expect(got.u1).toHaveLength(2); // each event once
    });

    it('catchUp() after a poke delivers a local write without waiting for the poll', async () => {
      const bus = track(ops().memberEventBus({ intervalMs: 60 * 60_000 }));
      const got: string[] = [];
      bus.subscribe('u1', (event) => got.push(event.kind));
      await new Promise((resolve) => setTimeout(resolve, 30));
      await addEvent(engine, 'u1', 'account.changed');
      bus.poke();
      await bus.catchUp();
      await eventually(() => got.length === 1);
      expect(got).toEqual(['account.changed']);
    });

    it('currentNotice() tells the newest event id and the auth epoch', async () => {
      const before = await ops().currentNotice();
      await addEvent(engine, 'u1');
      const after = await ops().currentNotice();
      expect(after.eventId).toBeGreaterThan(before.eventId);
      await engine.sql("update app_meta set value = '41' where key = 'auth_epoch'");
      expect((await ops().currentNotice()).authEpoch).toBe(41);
    });

    it('with a transport: a poke publishes once per change, a notice makes it read, an epoch is passed on', async () => {
      const fake = fakeTransport();
      const epochs: number[] = [];
      const bus = track(
        ops().memberEventBus({
          intervalMs: 60 * 60_000,
          safetyPollMs: 60 * 60_000,
          transport: fake.transport,
          onAuthEpoch: (epoch) => epochs.push(epoch),
        }),
      );
      const got: string[] = [];
      bus.subscribe('u1', (event) => got.push(event.kind));
      fake.live(true);
      await new Promise((resolve) => setTimeout(resolve, 30));
      await addEvent(engine, 'u1', 'membership.granted');
      bus.poke();
      await eventually(() => fake.published.length === 1 && got.length === 1);
      const { eventId } = await ops().currentNotice();
      expect(fake.published[0]).toMatchObject({ eventId });
      bus.poke(); // nothing changed since: nothing published
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(fake.published).toHaveLength(1);

      // Another instance wrote and announced it: this bus reads without a poke of its own.
      await addEvent(engine, 'u1', 'membership.revoked');
      fake.notice({ eventId: eventId + 1, authEpoch: 9 });
      await eventually(() => got.length === 2);
      expect(got).toEqual(['membership.granted', 'membership.revoked']);
      expect(epochs).toEqual([9]);
    });
  });

  describe('mail outbox', () => {
    it('claims the oldest due mail once, moves it a lease ahead, and again only after the lease', async () => {
      await addMail(engine, 'm-late', { nextAttemptAt: T0 + 60_000 });
      await addMail(engine, 'm-old', { nextAttemptAt: T0 - 2000 });
      await addMail(engine, 'm-new', { nextAttemptAt: T0 - 1000 });
      await addMail(engine, 'm-sent', { nextAttemptAt: T0 - 5000, status: 'sent' });
      const now = at(0);
      const first = await ops().claimDueMail({ now, leaseMs: 5000 });
      expect(first).toMatchObject({ id: 'm-old', attempts: 1, nextAttemptAt: at(5000) });
      expect(first?.html).toBe('<p>html</p>');
      expect((await ops().claimDueMail({ now, leaseMs: 5000 }))?.id).toBe('m-new');
      expect(await ops().claimDueMail({ now, leaseMs: 5000 })).toBeNull();
      const again = await ops().claimDueMail({ now: at(5000), leaseMs: 5000 });
      expect(again).toMatchObject({ id: 'm-old', attempts: 2 });
    });

    it('records delivery and failure, and lists the outbox newest first', async () => {
      await addMail(engine, 'a', { nextAttemptAt: T0 - 3000 });
      await addMail(engine, 'b', { nextAttemptAt: T0 - 2000 });
      await addMail(engine, 'c', { nextAttemptAt: T0 - 1000 });
      await ops().markMailDelivered({ id: 'a', status: 'logged', now: at(1) });
      await ops().markMailFailed({
        id: 'b',
        gaveUp: false,
        lastError: '451 try later',
        nextAttemptAt: at(30_000),
      });
      await ops().markMailFailed({
        id: 'c',
        gaveUp: true,
        lastError: '550 no',
        nextAttemptAt: at(1),
      });
      const list = await ops().listOutbox({ limit: 2 });
      expect(list.map((m) => [m.id, m.status, m.lastError])).toEqual([
        ['c', 'failed', '550 no'],
        ['b', 'queued', '451 try later'],
      ]);
      const [a] = (await ops().listOutbox({ limit: 10 })).filter((m) => m.id === 'a');
      expect(a).toMatchObject({ status: 'logged', sentAt: at(1), to: 'a@example.test' });
      expect(await ops().claimDueMail({ now: at(10_000), leaseMs: 1000 })).toBeNull(); // b waits
    });

    it('deliverDueMail over the store: sends, retries with backoff, gives up after the limit', async () => {
      await addMail(engine, 'ok', { nextAttemptAt: T0 - 2000, to: 'ok@example.test' });
      await addMail(engine, 'bad', { nextAttemptAt: T0 - 1000, to: 'bad@example.test' });
      const sent: string[] = [];
      const transport: MailTransport = {
        kind: 'smtp',
        async send(mail) {
          if (mail.to.startsWith('bad')) throw new Error('550 mailbox unavailable');
          sent.push(mail.to);
        },
      };
      const policy = { maxAttempts: 2, retryBaseMs: 1000, leaseMs: 60_000 };
      let now = at(0);
      const result = await deliverDueMail(ops(), transport, { now: () => now, policy });
      expect(result).toEqual({ sent: 1, retried: 1, failed: 0 });
      expect(sent).toEqual(['ok@example.test']);
      now = at(1000);
      expect(await deliverDueMail(ops(), transport, { now: () => now, policy })).toEqual({
        sent: 0,
        retried: 0,
        failed: 1,
      });
      const byId = Object.fromEntries(
        (await ops().listOutbox({ limit: 10 })).map((m) => [m.id, m]),
      );
      expect(byId.ok).toMatchObject({ status: 'sent', attempts: 1 });
      expect(byId.bad).toMatchObject({ status: 'failed', attempts: 2 });
      expect(byId.bad?.lastError).toContain('550');
    });
  });

  opsRecordsContract(() => engine);
}
