// The members store's contract (decision 034, 037), one suite for every engine: the member-context
// read path with its cache and epoch, memberships (grant, extend, revoke, trials, the lapse sweep)
// and API keys. Fixtures in shared SQL (members.fixtures.ts); the expectations are the same.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EngineUnderTest, OpenEngine } from './engine.ts';
import {
  addMark,
  addSession,
  addUser,
  addVendor,
  countRows,
  DAY,
  dailyReset,
  entitlements,
  NOW,
} from './members.fixtures.ts';
import { membershipsContract } from './members.memberships.contract.ts';

const later = (ms: number) => new Date(NOW.getTime() + ms);

export function membersContract(openEngine: OpenEngine) {
  membershipsContract(openEngine);
  describe('member reads and API keys', () => {
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
    const grant = (
      userId: string,
      markId: string,
      days: number | null,
      now = NOW,
      mode?: 'extend',
    ) =>
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
        expect(await members().isVendorTenant('acme')).toBe(true);
        expect(await members().isVendorTenant('platform')).toBe(false);
        expect(await members().isVendorTenant('nope')).toBe(false);
        expect(held[0]).toMatchObject({
          tenantId: 'acme',
          tenantName: 'Vendor acme',
          source: 'admin',
          expiresAt: null,
        });
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
          (await members().memberForApiKey({ keyId: id, userId: 'ada' }, NOW)).entitlements
            .apiAccess;
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
  });
}
