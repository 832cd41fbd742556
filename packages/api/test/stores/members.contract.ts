// The members store's contract (decision 034, 037), one suite for every engine: the member-context
// read path with its cache and epoch, memberships (grant, extend, revoke, trials, the lapse sweep)
// and API keys. Fixtures in shared SQL (members.fixtures.ts); the expectations are the same.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EngineUnderTest, OpenEngine } from './engine.ts';
import {
  addMark,
  addPlan,
  addSession,
  addUser,
  addVendor,
  countRows,
  DAY,
  dailyReset,
  entitlements,
  memberEvents,
  NOW,
} from './members.fixtures.ts';

const later = (ms: number) => new Date(NOW.getTime() + ms);

export function membersContract(openEngine: OpenEngine) {
  let engine: EngineUnderTest;
  beforeEach(async () => {
    engine = await openEngine();
    await addMark(
      engine,
      'pro',
      entitlements({
        models: ['tessera-mini', 'tessera-plus'],
        apiAccess: true,
        refill: dailyReset(50_000),
      }),
    );
    await addUser(engine, 'ada');
  });
  afterEach(() => engine.close());

  const members = () => engine.stores.members;
  const grant = (userId: string, markId: string, days: number | null, now = NOW, mode?: 'extend') =>
    members().grantMark({ userId, markId, days, source: 'admin', actorUserId: null, now, mode });

  describe('the member context read path', () => {
    it('resolves a session token to its user and member context, and nothing else', async () => {
      await grant('ada', 'pro', null);
      await engine.sql(
        "insert into tenant_members (tenant_id, user_id, role, created_at) values ('platform', 'ada', 'admin', $1)",
        [NOW.getTime()],
      );
      const { token, id } = await addSession(engine, 'ada');
      const auth = await members().authenticate(token, NOW);
      expect(auth?.user).toMatchObject({ id: 'ada', email: 'ada@example.test' });
      expect(auth?.session).toMatchObject({ id, userId: 'ada' });
      const member = await auth!.member(NOW);
      expect(member.memberships.map((m) => m.markKey)).toEqual(['pro']);
      expect(member.entitlements.models).toEqual(['tessera-mini', 'tessera-plus']);
      expect(member.entitlements.apiAccess).toBe(true);
      expect(member.isPlatformAdmin).toBe(true);
      expect(member.tenantRoles).toEqual([
        { tenantId: 'platform', tenantKind: 'platform', role: 'admin' },
      ]);
      expect(member.refills).toEqual([expect.objectContaining({ markKey: 'pro' })]);

      const [secretless] = token.split('.');
      expect(await members().authenticate(`${secretless}.${'a'.repeat(32)}`, NOW)).toBeNull();
      expect(await members().authenticate('not-a-token', NOW)).toBeNull();
      expect(await members().authenticate(`${'b'.repeat(24)}.${'a'.repeat(32)}`, NOW)).toBeNull();
    });

    it('sees a change committed by another writer at the next request (the auth epoch), and a forged secret on a cached session is refused', async () => {
      await grant('ada', 'pro', null);
      const { token, id } = await addSession(engine, 'ada');
      const held = async () =>
        (await (await members().authenticate(token, NOW))!.member(NOW)).memberships.map(
          (m) => m.markKey,
        );
      expect(await held()).toEqual(['pro']);
      expect(await held()).toEqual(['pro']); // served from the cache
      expect(await members().authenticate(`${id}.${'a'.repeat(32)}`, NOW)).toBeNull();

      const before = await members().readAuthEpoch();
      await engine.sql(
        "update memberships set status = 'revoked', expires_at = $1 where user_id = 'ada'",
        [NOW.getTime()],
      );
      expect(Number(await members().readAuthEpoch())).toBeGreaterThan(Number(before));
      expect(await held()).toEqual([]);

      await engine.sql("update users set disabled_at = $1 where id = 'ada'", [NOW.getTime()]);
      expect(await members().authenticate(token, NOW)).toBeNull();
    });

    it('re-reads the epoch for a second member() of one request (a batch may change memberships)', async () => {
      const { token } = await addSession(engine, 'ada');
      const auth = (await members().authenticate(token, NOW))!;
      expect((await auth.member(NOW)).memberships).toEqual([]);
      await grant('ada', 'pro', null);
      expect((await auth.member(NOW)).memberships.map((m) => m.markKey)).toEqual(['pro']);
    });

    it('drops a mark the instant it expires, and forgets cached contexts before an announced epoch', async () => {
      await grant('ada', 'pro', 1);
      const { token } = await addSession(engine, 'ada');
      const heldAt = async (at: Date) =>
        (await (await members().authenticate(token, at))!.member(at)).memberships.length;
      expect(await heldAt(later(DAY - 1))).toBe(1);
      expect(await heldAt(later(DAY))).toBe(0);
      const epoch = Number(await members().readAuthEpoch());
      expect(members().forgetMemberContextsBefore(epoch)).toBe(0);
      expect(members().forgetMemberContextsBefore(epoch + 1)).toBe(1);
    });

    it('rebuilds a member context uncached for a watcher, and answers null once the account is disabled', async () => {
      const { token } = await addSession(engine, 'ada');
      const auth = (await members().authenticate(token, NOW))!;
      expect((await auth.member(NOW)).memberships).toEqual([]);
      // Read again from the tables, whatever a cache holds.
      await grant('ada', 'pro', null);
      const fresh = await members().currentMember(auth, NOW);
      expect(fresh?.memberships.map((m) => m.markKey)).toEqual(['pro']);
      expect(fresh?.user.id).toBe('ada');
      await engine.sql("update users set disabled_at = $1 where id = 'ada'", [NOW.getTime()]);
      expect(await members().currentMember(auth, NOW)).toBeNull();
    });

    it('deletes an ended session, touches a due one, and refuses a disabled account', async () => {
      const idle = await addSession(engine, 'ada', { lastSeenAt: later(-8 * DAY) });
      expect(await members().authenticate(idle.token, NOW)).toBeNull();
      expect(
        await countRows(engine, 'select count(*) as n from sessions where id = $1', [idle.id]),
      ).toBe(0);

      const due = await addSession(engine, 'ada', { lastSeenAt: later(-2 * 3_600_000) });
      const auth = await members().authenticate(due.token, NOW);
      expect(auth?.session.lastSeenAt).toEqual(NOW);
      const [row] = await engine.sql<{ last_seen_at: number | string }>(
        'select last_seen_at from sessions where id = $1',
        [due.id],
      );
      expect(Number(row?.last_seen_at)).toBe(NOW.getTime());

      await addUser(engine, 'off', { disabled: true });
      const off = await addSession(engine, 'off');
      expect(await members().authenticate(off.token, NOW)).toBeNull();
    });

    it('clamps a vendor mark to its ceiling and counts nothing of a suspended vendor', async () => {
      await addVendor(engine, 'acme', {
        ...entitlements({ models: ['tessera-mini'], requestsPerDay: 10 }),
        trialDays: 3,
      });
      await addMark(
        engine,
        'acme-gold',
        entitlements({ models: ['tessera-mini', 'tessera-ultra'], requestsPerDay: 500 }),
        'acme',
      );
      await addVendor(engine, 'gone', entitlements(), { suspended: true });
      await addMark(engine, 'gone-mark', entitlements(), 'gone');
      await grant('ada', 'acme-gold', null);
      await grant('ada', 'gone-mark', null);
      const held = await members().listActiveMemberships('ada', NOW);
      expect(held.map((m) => m.markKey)).toEqual(['acme:acme-gold']);
      expect(held[0]?.entitlements.models).toEqual(['tessera-mini']);
      expect(held[0]?.entitlements.requestsPerDay).toBe(10);
      expect(held[0]).toMatchObject({
        tenantId: 'acme',
        tenantName: 'Vendor acme',
        source: 'admin',
        expiresAt: null,
      });
    });
  });

  describe('memberships', () => {
    it('grants, then extends from the current end, with an event and an audit row each; the epoch moves', async () => {
      const epoch = Number(await members().readAuthEpoch());
      const first = await grant('ada', 'pro', 10);
      expect(first).toMatchObject({ markKey: 'pro', event: 'membership.granted' });
      expect(first.membership.expiresAt).toEqual(later(10 * DAY));
      expect(Number(await members().readAuthEpoch())).toBeGreaterThan(epoch);
      const second = await grant('ada', 'pro', 5, later(DAY), 'extend');
      expect(second.event).toBe('membership.extended');
      expect(second.membership.startsAt).toEqual(NOW);
      expect(second.membership.expiresAt).toEqual(later(15 * DAY));
      // After a lapse a grant starts again from now.
      const third = await grant('ada', 'pro', 2, later(20 * DAY));
      expect(third.event).toBe('membership.granted');
      expect(third.membership.expiresAt).toEqual(later(22 * DAY));
      expect(await memberEvents(engine, 'ada')).toEqual([
        'membership.granted:pro',
        'membership.extended:pro',
        'membership.granted:pro',
      ]);
      const audits = await engine.sql<{ action: string }>(
        "select action from audit_events where subject_id = 'ada' order by id",
      );
      expect(audits.map((a) => a.action)).toEqual([
        'membership.granted',
        'membership.extended',
        'membership.granted',
      ]);
      // A permanent grant stays permanent when extended.
      await grant('ada', 'free', null);
      expect((await grant('ada', 'free', 3, NOW, 'extend')).membership.expiresAt).toBeNull();
    });

    it('refuses an unknown mark or user, an extension of a mark never held, and a bad length, writing nothing', async () => {
      await expect(grant('ada', 'nope', 1)).rejects.toMatchObject({
        code: 'NOT_FOUND',
        message: 'No such mark.',
      });
      await expect(grant('nobody', 'pro', 1)).rejects.toMatchObject({
        code: 'NOT_FOUND',
        message: 'No such user.',
      });
      await expect(grant('ada', 'pro', 1, NOW, 'extend')).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      await expect(grant('ada', 'pro', 0)).rejects.toMatchObject({ code: 'VALIDATION' });
      await expect(grant('ada', 'pro', 1.5)).rejects.toMatchObject({ code: 'VALIDATION' });
      expect(await countRows(engine, 'select count(*) as n from memberships')).toBe(0);
      expect(await countRows(engine, 'select count(*) as n from member_events')).toBe(0);
      expect(await countRows(engine, 'select count(*) as n from audit_events')).toBe(0);
    });

    it('revokes now, lowering the allowance to what the marks still held refill, with its events', async () => {
      await engine.sql("update credit_accounts set balance = 50000 where user_id = 'ada'");
      await grant('ada', 'free', null);
      await grant('ada', 'pro', 30);
      const result = await members().revokeMark({
        userId: 'ada',
        markId: 'pro',
        actorUserId: null,
        actorLabel: 'cli:test',
        reason: 'refund',
        now: later(DAY),
      });
      expect(result.markKey).toBe('pro');
      expect(result.membership).toMatchObject({ status: 'revoked', expiresAt: later(DAY) });
      expect(
        (await members().listActiveMemberships('ada', later(DAY))).map((m) => m.markKey),
      ).toEqual(['free']);
      const [account] = await engine.sql<{ balance: number | string }>(
        "select balance from credit_accounts where user_id = 'ada'",
      );
      expect(Number(account?.balance)).toBe(10_000); // Free's refill amount
      expect(await memberEvents(engine, 'ada')).toEqual([
        'membership.granted:free',
        'membership.granted:pro',
        'membership.revoked:pro',
        'credits.changed',
      ]);
      const audits = await engine.sql<{ action: string; actor_label: string | null }>(
        "select action, actor_label from audit_events where subject_id = 'ada' and action in ('membership.revoked', 'credits.lapsed')",
      );
      expect(audits.map((a) => a.action).sort()).toEqual(['credits.lapsed', 'membership.revoked']);

      const events = await countRows(engine, 'select count(*) as n from member_events');
      await expect(
        members().revokeMark({ userId: 'ada', markId: 'pro', actorUserId: null, now: later(DAY) }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'The user does not hold this mark.' });
      await expect(
        members().revokeMark({ userId: 'ada', markId: 'nope', actorUserId: null, now: later(DAY) }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'No such mark.' });
      expect(await countRows(engine, 'select count(*) as n from member_events')).toBe(events);
    });

    it('lists every membership a user has had, live or not, optionally one tenant only', async () => {
      await addVendor(engine, 'acme', entitlements());
      await addMark(engine, 'acme-gold', entitlements(), 'acme');
      await grant('ada', 'pro', 1);
      await grant('ada', 'acme-gold', null, later(1));
      const all = await members().listUserMemberships({ userId: 'ada', now: later(2 * DAY) });
      expect(all.map((m) => [m.markKey, m.activeNow, m.status])).toEqual([
        ['acme:acme-gold', true, 'active'],
        ['pro', false, 'active'],
      ]);
      expect(all[1]).toMatchObject({
        markId: 'pro',
        markName: 'Mark pro',
        source: 'admin',
        reference: null,
        expiresAt: later(DAY),
      });
      const acme = await members().listUserMemberships({
        userId: 'ada',
        tenantId: 'acme',
        now: NOW,
      });
      expect(acme.map((m) => m.markKey)).toEqual(['acme:acme-gold']);
    });

    it('sweeps lapsed memberships to expired, with events, and leaves live ones', async () => {
      await addUser(engine, 'bob');
      await grant('ada', 'pro', 1);
      await grant('bob', 'pro', 10);
      expect(await members().sweepLapsedMemberships({ now: later(2 * DAY) })).toBe(1);
      const rows = await engine.sql<{ user_id: string; status: string }>(
        'select user_id, status from memberships order by user_id',
      );
      expect(rows).toEqual([
        { user_id: 'ada', status: 'expired' },
        { user_id: 'bob', status: 'active' },
      ]);
      expect(await memberEvents(engine, 'ada')).toContain('membership.expired:pro');
      expect(await members().sweepLapsedMemberships({ now: later(2 * DAY) })).toBe(0);
    });

    it("expires one user's lapsed marks (at sign-in), lowering the allowance they granted", async () => {
      await engine.sql("update credit_accounts set balance = 40000 where user_id = 'ada'");
      await grant('ada', 'pro', 1);
      expect(
        await members().expireLapsedMemberships({ userId: 'ada', now: later(DAY / 2) }),
      ).toEqual([]);
      expect(
        await members().expireLapsedMemberships({ userId: 'ada', now: later(2 * DAY) }),
      ).toEqual(['pro']);
      const [account] = await engine.sql<{ balance: number | string }>(
        "select balance from credit_accounts where user_id = 'ada'",
      );
      expect(Number(account?.balance)).toBe(0); // nothing held refills any more
      expect(await memberEvents(engine, 'ada')).toEqual([
        'membership.granted:pro',
        'membership.expired:pro',
        'credits.changed',
      ]);
      expect(
        await members().expireLapsedMemberships({ userId: 'ada', now: later(2 * DAY) }),
      ).toEqual([]);
    });
  });

  describe('trials', () => {
    it('grants a trial once per user and tenant, bounded by a vendor ceiling', async () => {
      await addPlan(engine, 'pro-monthly', 'pro', 14);
      const trial = await members().startTrial({ userId: 'ada', planId: 'pro-monthly', now: NOW });
      expect(trial).toMatchObject({ markKey: 'pro', event: 'membership.granted' });
      expect(trial.membership).toMatchObject({
        source: 'trial',
        reference: 'pro-monthly',
        expiresAt: later(14 * DAY),
      });
      await members().revokeMark({
        userId: 'ada',
        markId: 'pro',
        actorUserId: null,
        now: later(DAY),
      });
      await expect(
        members().startTrial({ userId: 'ada', planId: 'pro-monthly', now: later(DAY) }),
      ).rejects.toMatchObject({ code: 'TRIAL_USED' });

      await addVendor(engine, 'acme', { ...entitlements(), trialDays: 3 });
      await addMark(engine, 'acme-gold', entitlements(), 'acme');
      await addPlan(engine, 'gold', 'acme-gold', 30, 'acme');
      const vendorTrial = await members().startTrial({ userId: 'ada', planId: 'gold', now: NOW });
      expect(vendorTrial.membership.expiresAt).toEqual(later(3 * DAY));
    });

    it('refuses an unverified address, an unknown plan, a plan without trial and a mark already held, writing nothing', async () => {
      await addPlan(engine, 'pro-monthly', 'pro', 14);
      await addPlan(engine, 'no-trial', 'pro', 0);
      await addUser(engine, 'new', { verified: false });
      await expect(
        members().startTrial({ userId: 'new', planId: 'pro-monthly', now: NOW }),
      ).rejects.toMatchObject({ code: 'EMAIL_NOT_VERIFIED' });
      await expect(
        members().startTrial({ userId: 'ada', planId: 'nope', now: NOW }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(
        members().startTrial({ userId: 'ada', planId: 'no-trial', now: NOW }),
      ).rejects.toMatchObject({ code: 'CONFLICT' });
      await grant('ada', 'pro', null);
      const events = await countRows(engine, 'select count(*) as n from member_events');
      await expect(
        members().startTrial({ userId: 'ada', planId: 'pro-monthly', now: NOW }),
      ).rejects.toMatchObject({ code: 'CONFLICT' });
      expect(await countRows(engine, 'select count(*) as n from trial_redemptions')).toBe(0);
      expect(await countRows(engine, 'select count(*) as n from member_events')).toBe(events);
    });

    it('lets one of several concurrent trials of a tenant win', async () => {
      await addPlan(engine, 'pro-monthly', 'pro', 14);
      await addMark(engine, 'max', entitlements());
      await addPlan(engine, 'max-monthly', 'max', 7);
      const attempts = await Promise.allSettled(
        ['pro-monthly', 'max-monthly', 'pro-monthly', 'max-monthly'].map((planId) =>
          members().startTrial({ userId: 'ada', planId, now: NOW }),
        ),
      );
      expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
      for (const a of attempts) {
        if (a.status === 'rejected')
          expect(a.reason).toMatchObject({ code: expect.stringMatching(/TRIAL_USED|CONFLICT/) });
      }
      expect(await countRows(engine, 'select count(*) as n from trial_redemptions')).toBe(1);
      expect(await countRows(engine, 'select count(*) as n from memberships')).toBe(1);
    });

    it('keeps one membership row when grants of one mark race', async () => {
      await Promise.all([1, 2, 3, 4, 5].map(() => grant('ada', 'pro', 1)));
      expect(await countRows(engine, 'select count(*) as n from memberships')).toBe(1);
      // Each grant extended the one row by its day, with its own event.
      expect(await memberEvents(engine, 'ada')).toHaveLength(5);
      const [row] = await engine.sql<{ expires_at: number | string }>(
        'select expires_at from memberships',
      );
      expect(Number(row?.expires_at)).toBe(later(5 * DAY).getTime());
    });
  });

  describe('API keys', () => {
    it('creates a key shown once, verifies it, builds its owner member context, lists and revokes it', async () => {
      await grant('ada', 'pro', null);
      const created = await members().createApiKey({
        userId: 'ada',
        name: 'laptop',
        actorUserId: 'ada',
        now: NOW,
      });
      expect(created.key).toMatch(/^tsk_[a-z2-7]{24}_[a-z2-7]{32}$/);
      const verified = await members().verifyApiKey(created.key, later(61_000));
      expect(verified).toEqual({ keyId: created.id, userId: 'ada' });
      const member = await members().memberForApiKey(verified!, later(61_000));
      expect(member.user.id).toBe('ada');
      expect(member.session.id).toBe(`api-key:${created.id}`);
      expect(member.entitlements.apiAccess).toBe(true);
      const listed = await members().listApiKeys('ada');
      expect(listed).toEqual([
        {
          id: created.id,
          name: 'laptop',
          createdAt: NOW,
          lastUsedAt: later(61_000),
          revokedAt: null,
        },
      ]);

      expect(
        await members().verifyApiKey(
          created.key.slice(0, -1) + (created.key.endsWith('a') ? 'b' : 'a'),
          NOW,
        ),
      ).toBeNull();
      expect(await members().verifyApiKey('tsk_nonsense', NOW)).toBeNull();

      await members().revokeApiKey({ userId: 'ada', keyId: created.id, now: later(DAY) });
      expect(await members().verifyApiKey(created.key, later(DAY))).toBeNull();
      await expect(
        members().revokeApiKey({ userId: 'ada', keyId: created.id, now: later(DAY) }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
      const audits = await engine.sql<{ action: string }>(
        "select action from audit_events where subject_type = 'api_key' order by id",
      );
      expect(audits.map((a) => a.action)).toEqual(['api_key.created', 'api_key.revoked']);
    });

    it("sees a revoke of the key owner's mark at the next request, and refuses a disabled owner's key", async () => {
      await grant('ada', 'pro', null);
      const { key, id } = await members().createApiKey({
        userId: 'ada',
        name: 'k',
        actorUserId: null,
        now: NOW,
      });
      const access = async () =>
        (await members().memberForApiKey({ keyId: id, userId: 'ada' }, NOW)).entitlements.apiAccess;
      expect(await access()).toBe(true);
      expect(await access()).toBe(true);
      await members().revokeMark({ userId: 'ada', markId: 'pro', actorUserId: null, now: NOW });
      expect(await access()).toBe(false);
      await engine.sql("update users set disabled_at = $1 where id = 'ada'", [NOW.getTime()]);
      expect(await members().verifyApiKey(key, NOW)).toBeNull();
      await expect(
        members().revokeApiKey({ userId: 'bob', keyId: id, now: NOW }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });
  });
}
