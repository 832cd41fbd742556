// The ops store's contract, continued (see ops.contract.ts): notifications, audit and leases.
import { describe, expect, it } from 'vitest';
import type { EngineUnderTest } from './engine.ts';
import { addUser, at, DAY, T0 } from './ops-fixtures.ts';

/** `current()` is the engine the enclosing contract opened for this test. */
export function opsRecordsContract(current: () => EngineUnderTest) {
  const ops = () => current().stores.ops;
  describe('notifications', () => {
    it('settings default, update only what is given, and list newest first', async () => {
      await addUser(current(), 'u1');
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
        await current().sql(
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
      await addUser(current(), 'u1', { locale: 'zh-CN' });
      const credit = (id: number) =>
        current().sql(
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
      const stored = await current().sql<{ key: string; mail_id: string }>(
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
      await addUser(current(), 'u1');
      await addUser(current(), 'u2', { locale: 'zh-CN' });
      await addUser(current(), 'u3', { disabled: true });
      await addUser(current(), 'u4');
      await current().sql(
        `insert into marks (id, tenant_id, slug, key, name, description, entitlements, created_at, updated_at)
         values ('m-pro', 'platform', 'pro', 'pro', 'Pro', '', '{}', $1, $1)`,
        [T0],
      );
      const membership = (id: string, user: string, source: string, endsIn: number | null) =>
        current().sql(
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
      await current().sql("update memberships set expires_at = $1 where id = 'ms1'", [
        T0 + 3 * DAY,
      ]);
      expect(await sweep(2 * DAY + 2)).toEqual({ found: 0, sent: 0 }); // turned off
    });
  });

  describe('audit', () => {
    it('appends and lists newest first with labels, filters and keyset pages', async () => {
      await addUser(current(), 'admin1', { email: 'boss@example.test' });
      await addUser(current(), 'u1', { email: 'ada@example.test' });
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
    it('filters by an action with an underscore as written (`_` and `%` match themselves)', async () => {
      const event = (action: string, ms: number) =>
        ops().recordAudit({
          tenantId: 'platform',
          actorUserId: null,
          actorLabel: 'cli:root',
          action,
          subjectType: 'tenant',
          subjectId: 'platform',
          data: null,
          ip: null,
          createdAt: at(ms),
        });
      await event('two_factor.reset', 1);
      await event('twoXfactor.reset', 2);
      await event('plan.price_linked', 3);
      const actions = async (action: string) =>
        (await ops().listAudit({ action })).events.map((e) => e.action);
      expect(await actions('two_factor.')).toEqual(['two_factor.reset']);
      expect(await actions('plan.price_linked')).toEqual(['plan.price_linked']);
      expect(await actions('two%')).toEqual([]);
    });
  });

  describe('leases', () => {
    it('one holder at a time: renewal, refusal while held, takeover after the ttl, release', async () => {
      const hold = (holder: string, ms: number) =>
        ops().holdLease({ name: 'scheduler', holder, ttlMs: 10_000, now: at(ms) });
      const holderNow = async () =>
        (
          await current().sql<{ holder: string; until: number | string }>(
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
