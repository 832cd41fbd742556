// The ops store's contract (docs/decisions/034, 035), run on SQLite and on PostgreSQL: the
// member-event bus and notices, the mail outbox's claims, notifications, audit and leases.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  DeliveredMemberEvent,
  MemberEventBus,
  MemberEventNotice,
  MemberEventTransport,
} from '../../src/events/member-event-bus.ts';
import { deliverDueMail, type MailTransport } from '../../src/mail/deliver-mail.ts';
import type { EngineUnderTest, OpenEngine } from './engine.ts';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const at = (ms: number) => new Date(T0 + ms);
const DAY = 24 * 60 * 60_000;

export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 3000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export async function addUser(
  engine: EngineUnderTest,
  id: string,
  extra: { email?: string; locale?: string; disabled?: boolean } = {},
) {
  await engine.sql(
    `insert into users (id, email, password_hash, created_at, display_name, locale, disabled_at)
     values ($1, $2, 'x', $3, $4, $5, $6)`,
    [
      id,
      extra.email ?? `${id}@example.test`,
      T0,
      `User ${id}`,
      extra.locale ?? null,
      extra.disabled ? T0 : null,
    ],
  );
}

export async function addEvent(engine: EngineUnderTest, userId: string, kind = 'credits.changed') {
  await engine.sql(
    'insert into member_events (user_id, kind, mark_key, created_at) values ($1, $2, null, $3)',
    [userId, kind, T0],
  );
}

async function addMail(
  engine: EngineUnderTest,
  id: string,
  input: { status?: string; nextAttemptAt: number; createdAt?: number; to?: string },
) {
  await engine.sql(
    `insert into mail_outbox (id, "to", locale, template, subject, text, html, status, attempts,
                              next_attempt_at, created_at)
     values ($1, $2, 'en', 'password_reset', $3, 'text', '<p>html</p>', $4, 0, $5, $6)`,
    [
      id,
      input.to ?? `${id}@example.test`,
      `Subject ${id}`,
      input.status ?? 'queued',
      input.nextAttemptAt,
      input.createdAt ?? input.nextAttemptAt,
    ],
  );
}

/** A transport that records what this instance publishes and lets a test play other instances. */
function fakeTransport() {
  const published: MemberEventNotice[] = [];
  let handlers: Parameters<MemberEventTransport['start']>[0] | undefined;
  const transport: MemberEventTransport = {
    publish: (notice) => published.push(notice),
    start: (h) => {
      handlers = h;
    },
    close() {},
  };
  return {
    transport,
    published,
    live: (now: boolean) => handlers?.onLive(now),
    notice: (notice: MemberEventNotice) => handlers?.onNotice(notice),
  };
}

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

  describe('notifications', () => {
    it('settings default, update only what is given, and list newest first', async () => {
      await addUser(engine, 'u1');
      expect(await ops().notificationSettings('u1')).toEqual({
        creditsLow: true,
        creditsLowThreshold: 100_000,
        membershipEnding: true,
        trialEnding: true,
        paymentFailed: true,
      });
      await ops().updateNotificationSettings({
        userId: 'u1',
        patch: { creditsLow: false, creditsLowThreshold: 500 },
        now: at(0),
      });
      const updated = await ops().updateNotificationSettings({
        userId: 'u1',
        patch: { trialEnding: false, creditsLow: undefined },
        now: at(1),
      });
      expect(updated).toEqual({
        creditsLow: false,
        creditsLowThreshold: 500,
        membershipEnding: true,
        trialEnding: false,
        paymentFailed: true,
      });
      expect(await ops().notificationSettings('u1')).toEqual(updated);

      for (const [key, ms] of [
        ['k1', 1],
        ['k2', 3],
        ['k3', 2],
      ] as const)
        await engine.sql(
          `insert into notifications (key, user_id, kind, data, created_at)
           values ($1, 'u1', 'payment_failed', $2, $3)`,
          [key, JSON.stringify({ n: key }), T0 + ms],
        );
      const list = await ops().listNotifications({ userId: 'u1', limit: 2 });
      expect(list).toEqual([
        { kind: 'payment_failed', data: { n: 'k2' }, createdAt: at(3) },
        { kind: 'payment_failed', data: { n: 'k3' }, createdAt: at(2) },
      ]);
      expect(await ops().listNotifications({ userId: 'nobody' })).toEqual([]);
    });

    it('credits low: one mail per dip below the threshold, none when off or not a crossing', async () => {
      await addUser(engine, 'u1', { locale: 'zh-CN' });
      const credit = (id: number) =>
        engine.sql(
          `insert into credit_ledger (id, user_id, delta, balance_after, kind, idempotency_key, created_at)
           values ($1, 'u1', 1000, 1000, 'refill', $2, $3)`,
          [id, `refill:u1:${id}`, T0],
        );
      await credit(7);
      await ops().updateNotificationSettings({
        userId: 'u1',
        patch: { creditsLowThreshold: 500 },
        now: at(0),
      });
      const notice = (balanceAfter: number, charged: number) =>
        ops().noticeCreditsLow({
          userId: 'u1',
          balanceAfter,
          charged,
          baseUrl: 'http://localhost:3000',
          now: at(1),
        });
      expect(await notice(600, 100)).toBe('none'); // still above
      expect(await notice(450, 100)).toBe('sent'); // 550 → 450 crosses 500
      expect(await notice(450, 100)).toBe('none'); // the same dip: told already
      expect(await notice(350, 100)).toBe('none'); // below all along
      const mails = await ops().listOutbox({ limit: 10 });
      expect(mails.map((m) => [m.to, m.template, m.locale, m.status])).toEqual([
        ['u1@example.test', 'credits_low', 'zh-CN', 'queued'],
      ]);
      const listed = await ops().listNotifications({ userId: 'u1' });
      expect(listed).toEqual([
        { kind: 'credits_low', data: { balance: 450, threshold: 500 }, createdAt: at(1) },
      ]);
      const stored = await engine.sql<{ key: string; mail_id: string }>(
        'select key, mail_id from notifications',
      );
      expect(stored).toEqual([{ key: 'credits_low:u1:7', mail_id: mails[0]!.id }]);

      await credit(9); // a top-up: the next dip is a new occurrence…
      await ops().updateNotificationSettings({
        userId: 'u1',
        patch: { creditsLow: false },
        now: at(2),
      });
      expect(await notice(450, 100)).toBe('none'); // …but the user turned it off
      expect(await ops().listOutbox({ limit: 10 })).toHaveLength(1);
    });

    it('ending sweep: tells memberships and trials ending within 3 days, once each', async () => {
      await addUser(engine, 'u1');
      await addUser(engine, 'u2', { locale: 'zh-CN' });
      await addUser(engine, 'u3', { disabled: true });
      await addUser(engine, 'u4');
      await engine.sql(
        `insert into marks (id, tenant_id, slug, key, name, description, entitlements, created_at, updated_at)
         values ('m-pro', 'platform', 'pro', 'pro', 'Pro', '', '{}', $1, $1)`,
        [T0],
      );
      const membership = (id: string, user: string, source: string, endsIn: number | null) =>
        engine.sql(
          `insert into memberships (id, user_id, mark_id, starts_at, expires_at, status, source,
                                    reference, created_at, updated_at)
           values ($1, $2, 'm-pro', $3, $4, 'active', $5, null, $3, $3)`,
          [id, user, T0, endsIn === null ? null : T0 + endsIn, source],
        );
      await membership('ms1', 'u1', 'admin', 2 * DAY);
      await membership('ms2', 'u2', 'trial', 1 * DAY);
      await membership('ms3', 'u3', 'admin', 1 * DAY); // disabled: never told
      await membership('ms4', 'u4', 'admin', 5 * DAY); // not within 3 days yet
      const sweep = (ms: number) =>
        ops().sweepEndingMemberships({
          now: at(ms),
          baseUrl: 'http://localhost:3000',
          timeZone: 'UTC',
        });
      expect(await sweep(0)).toEqual({ found: 2, sent: 2 });
      expect(await sweep(1000)).toEqual({ found: 0, sent: 0 });
      const mails = await ops().listOutbox({ limit: 10 });
      expect(mails.map((m) => [m.to, m.template, m.locale]).sort()).toEqual([
        ['u1@example.test', 'membership_ending', 'en'],
        ['u2@example.test', 'trial_ending', 'zh-CN'],
      ]);
      expect(mails.find((m) => m.to === 'u1@example.test')?.text).toContain('Pro');
      // Two days later u4's ends within the window; the others are past or told.
      expect(await sweep(2 * DAY + 1)).toEqual({ found: 1, sent: 1 });
      await ops().updateNotificationSettings({
        userId: 'u1',
        patch: { membershipEnding: false },
        now: at(0),
      });
      await engine.sql("update memberships set expires_at = $1 where id = 'ms1'", [T0 + 3 * DAY]);
      expect(await sweep(2 * DAY + 2)).toEqual({ found: 0, sent: 0 }); // turned off
    });
  });

  describe('audit', () => {
    it('appends and lists newest first with labels, filters and keyset pages', async () => {
      await addUser(engine, 'admin1', { email: 'boss@example.test' });
      await addUser(engine, 'u1', { email: 'ada@example.test' });
      const event = (action: string, subjectType: string, subjectId: string, ms: number) =>
        ops().recordAudit({
          tenantId: 'platform',
          actorUserId: 'admin1',
          actorLabel: null,
          action,
          subjectType,
          subjectId,
          data: { n: ms },
          ip: '127.0.0.1',
          createdAt: at(ms),
        });
      await event('membership.granted', 'user', 'u1', 1);
      await event('mark.updated', 'mark', 'free', 2);
      await event('membership.revoked', 'user', 'u1', 3);
      await ops().recordAudit({
        tenantId: null,
        actorUserId: null,
        actorLabel: 'cli:root',
        action: 'credits.adjusted',
        subjectType: 'tenant',
        subjectId: 'platform',
        data: null,
        ip: null,
        createdAt: at(4),
      });

      const all = await ops().listAudit({});
      expect(all.nextBeforeId).toBeNull();
      expect(all.events.map((e) => [e.action, e.subjectLabel, e.actorEmail, e.actorLabel])).toEqual(
        [
          ['credits.adjusted', 'Tessera (platform)', null, 'cli:root'],
          ['membership.revoked', 'ada@example.test', 'boss@example.test', null],
          ['mark.updated', 'Free (free)', 'boss@example.test', null],
          ['membership.granted', 'ada@example.test', 'boss@example.test', null],
        ],
      );
      expect(all.events[1]).toMatchObject({
        actorName: 'User admin1',
        data: { n: 3 },
        ip: '127.0.0.1',
        createdAt: at(3),
        tenantId: 'platform',
      });

      // The action as a prefix, in any case (SQLite's LIKE ignores ASCII case; so must PostgreSQL).
      const prefix = await ops().listAudit({ action: 'MEMBERSHIP.' });
      expect(prefix.events.map((e) => e.action)).toEqual([
        'membership.revoked',
        'membership.granted',
      ]);
      // Part of the subject user's email, in any case; `%` matches itself only.
      expect((await ops().listAudit({ email: 'ADA@' })).events).toHaveLength(2);
      expect((await ops().listAudit({ email: 'a%a' })).events).toHaveLength(0);
      expect((await ops().listAudit({ email: 'boss' })).events).toHaveLength(3);
      expect((await ops().listAudit({ subjectId: 'free' })).events).toHaveLength(1);
      expect((await ops().listAudit({ tenantId: 'platform' })).events).toHaveLength(3);

      const first = await ops().listAudit({ limit: 3 });
      expect(first.events).toHaveLength(3);
      expect(first.nextBeforeId).toBe(first.events[2]!.id);
      const second = await ops().listAudit({ limit: 3, beforeId: first.nextBeforeId! });
      expect(second.events.map((e) => e.action)).toEqual(['membership.granted']);
      expect(second.nextBeforeId).toBeNull();
    });
  });

  describe('leases', () => {
    it('one holder at a time: renewal, refusal while held, takeover after the ttl, release', async () => {
      const hold = (holder: string, ms: number) =>
        ops().holdLease({ name: 'scheduler', holder, ttlMs: 10_000, now: at(ms) });
      const holderNow = async () =>
        (
          await engine.sql<{ holder: string; until: number | string }>(
            "select holder, until from leases where name = 'scheduler'",
          )
        ).map((r) => [r.holder, Number(r.until)]);
      expect(await hold('a', 0)).toBe(true);
      expect(await hold('b', 5000)).toBe(false);
      expect(await holderNow()).toEqual([['a', T0 + 10_000]]); // the refusal wrote nothing
      expect(await hold('a', 8000)).toBe(true); // renewed
      expect(await hold('b', 12_000)).toBe(false);
      expect(await hold('b', 18_001)).toBe(true); // a's time ran out
      expect(await holderNow()).toEqual([['b', T0 + 28_001]]);
      expect(await ops().releaseLease({ name: 'scheduler', holder: 'a' })).toBe(false);
      expect(await ops().releaseLease({ name: 'scheduler', holder: 'b' })).toBe(true);
      expect(await holderNow()).toEqual([]);
      expect(await hold('a', 18_002)).toBe(true);
    });
  });
}
