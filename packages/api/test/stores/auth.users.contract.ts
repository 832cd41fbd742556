// The auth store's accounts: creation, the admin console's reads, disabling, the viewer's standing.
import { PLATFORM_TENANT_ID } from '@tessera/db';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuthStore } from '../../src/storage/auth-store.ts';
import { addUser, count, NOW } from './auth.sessions.contract.ts';
import type { EngineUnderTest, OpenEngine } from './engine.ts';

const origin = { ip: null, userAgent: null };

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; message: string };
  }
  throw new Error('expected a refusal');
}

export function authUsersContract(openEngine: OpenEngine) {
  let engine: EngineUnderTest;
  let auth: AuthStore;
  beforeEach(async () => {
    engine = await openEngine();
    auth = engine.stores.auth;
  });
  afterEach(() => engine.close());

  const users = () => count(engine, 'select count(*) as n from users');
  const actions = async (subject: string) =>
    (
      await engine.sql<{ action: string }>(
        'select action from audit_events where subject_id = $1 order by id',
        [subject],
      )
    ).map((r) => r.action);

  describe('createUser', () => {
    it('makes the first account the owner, with credits, the free mark and its events', async () => {
      const owner = await addUser(auth, 'owner@example.test', {
        displayName: 'Owner',
        emailVerified: true,
        ip: '198.51.100.1',
      });
      expect(owner).toMatchObject({
        email: 'owner@example.test',
        displayName: 'Owner',
        createdAt: NOW,
        platformRole: 'owner',
      });
      const plain = await addUser(auth, 'plain@example.test');
      const admin = await addUser(auth, 'admin@example.test', { platformAdmin: true });
      expect(plain.platformRole).toBeNull();
      expect(admin.platformRole).toBe('admin');

      const roles = await engine.sql<{ user_id: string; role: string }>(
        'select user_id, role from tenant_members where tenant_id = $1 order by role',
        [PLATFORM_TENANT_ID],
      );
      expect(roles).toEqual([
        { user_id: admin.id, role: 'admin' },
        { user_id: owner.id, role: 'owner' },
      ]);
      expect(
        await count(engine, 'select count(*) as n from credit_accounts where balance = 0'),
      ).toBe(3);
      const held = await engine.sql<{ key: string; expires_at: unknown; source: string }>(
        `select m.key, ms.expires_at, ms.source from memberships ms join marks m on m.id = ms.mark_id
         where ms.user_id = $1`,
        [plain.id],
      );
      expect(held).toEqual([{ key: 'free', expires_at: null, source: 'signup' }]);
      expect(await actions(owner.id)).toEqual(['membership.granted', 'user.created']);
      expect(
        await count(
          engine,
          'select count(*) as n from member_events where user_id = $1 and kind = $2',
          [owner.id, 'membership.granted'],
        ),
      ).toBe(1);
      const standing = await auth.userById(owner.id);
      expect(standing?.emailVerifiedAt).toEqual(NOW);
      expect((await auth.userById(plain.id))?.emailVerifiedAt).toBeNull();
    });

    it('refuses a taken email with EMAIL_TAKEN and writes nothing', async () => {
      await addUser(auth, 'ada@example.test');
      const before = await count(engine, 'select count(*) as n from audit_events');
      const refused = await rejection(addUser(auth, 'ada@example.test'));
      expect(refused.code).toBe('EMAIL_TAKEN');
      expect(await users()).toBe(1);
      expect(await count(engine, 'select count(*) as n from audit_events')).toBe(before);
    });

    it('gives the owner role to one of many simultaneous first accounts', async () => {
      const created = await Promise.all(
        Array.from({ length: 6 }, (_, i) => addUser(auth, `first${i}@example.test`)),
      );
      expect(created.filter((u) => u.platformRole === 'owner')).toHaveLength(1);
      expect(created.filter((u) => u.platformRole === null)).toHaveLength(5);
    });

    it('creates one account of many simultaneous sign-ups of one email', async () => {
      const outcomes = await Promise.allSettled(
        Array.from({ length: 5 }, () => addUser(auth, 'same@example.test')),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      for (const o of outcomes) {
        if (o.status === 'rejected')
          expect((o.reason as { code: string }).code).toBe('EMAIL_TAKEN');
      }
      expect(await users()).toBe(1);
    });
  });

  describe('reads', () => {
    it('lists users by email with roles, searching a substring literally', async () => {
      const owner = await addUser(auth, 'owner@example.test');
      await addUser(auth, 'a_b@example.test');
      await addUser(auth, 'axb@example.test');
      await addUser(auth, '100%@example.test');
      expect((await auth.listUsers({})).map((u) => u.email)).toEqual([
        '100%@example.test',
        'a_b@example.test',
        'axb@example.test',
        'owner@example.test',
      ]);
      expect((await auth.listUsers({ search: 'A_B' })).map((u) => u.email)).toEqual([
        'a_b@example.test',
      ]);
      expect((await auth.listUsers({ search: '%' })).map((u) => u.email)).toEqual([
        '100%@example.test',
      ]);
      expect(await auth.listUsers({ search: 'nobody' })).toEqual([]);
      expect(await auth.listUsers({ limit: 2 })).toHaveLength(2);
      const [listedOwner] = await auth.listUsers({ search: 'owner' });
      expect(listedOwner).toEqual({
        id: owner.id,
        email: 'owner@example.test',
        displayName: null,
        createdAt: NOW,
        disabledAt: null,
        disabledReason: null,
        emailVerifiedAt: null,
        roles: [{ tenantId: PLATFORM_TENANT_ID, tenantSlug: 'platform', role: 'owner' }],
      });
    });

    it('finds a user by id or by email as typed, or nothing', async () => {
      const ada = await addUser(auth, 'ada@example.test');
      expect(await auth.userByEmail('  ADA@example.test ')).toEqual({
        id: ada.id,
        email: 'ada@example.test',
        displayName: null,
        createdAt: NOW,
      });
      expect(await auth.userByEmail('bob@example.test')).toBeNull();
      expect(await auth.userById('no-such-user')).toBeNull();
    });

    it('gives the viewer their roles and whether their address is verified', async () => {
      const owner = await addUser(auth, 'owner@example.test', { emailVerified: true });
      const plain = await addUser(auth, 'plain@example.test');
      expect(await auth.viewerStanding(owner.id)).toEqual({
        roles: [{ tenantId: PLATFORM_TENANT_ID, tenantKind: 'platform', role: 'owner' }],
        emailVerified: true,
      });
      expect(await auth.viewerStanding(plain.id)).toEqual({ roles: [], emailVerified: false });
    });

    it('remembers the locale', async () => {
      const ada = await addUser(auth, 'ada@example.test');
      await auth.setUserLocale(ada.id, 'zh-CN');
      const [row] = await engine.sql<{ locale: string }>('select locale from users where id = $1', [
        ada.id,
      ]);
      expect(row?.locale).toBe('zh-CN');
    });
  });

  describe('setUserDisabled', () => {
    it('disables (ending sessions, with events) and enables again', async () => {
      const admin = await addUser(auth, 'admin@example.test');
      const ada = await addUser(auth, 'ada@example.test');
      await auth.createSession({ userId: ada.id, now: NOW, ...origin });
      await auth.createSession({ userId: ada.id, now: NOW, ...origin });
      const later = new Date(NOW.getTime() + 1000);
      const disabled = await auth.setUserDisabled({
        userId: ada.id,
        disabled: true,
        reason: 'abuse',
        actorUserId: admin.id,
        now: later,
      });
      expect(disabled).toEqual({
        userId: ada.id,
        email: 'ada@example.test',
        disabledAt: later,
        disabledReason: 'abuse',
        sessionsEnded: 2,
      });
      expect(await auth.listSessions(ada.id)).toEqual([]);
      expect((await auth.findCredentials({ userId: ada.id }))?.disabledAt).toEqual(later);
      // Disabling again keeps the first time.
      const again = await auth.setUserDisabled({
        userId: ada.id,
        disabled: true,
        actorUserId: null,
        actorLabel: 'cli:ops',
        now: new Date(later.getTime() + 1000),
      });
      expect(again.disabledAt).toEqual(later);
      const enabled = await auth.setUserDisabled({
        userId: ada.id,
        disabled: false,
        actorUserId: admin.id,
        now: later,
      });
      expect(enabled).toMatchObject({ disabledAt: null, disabledReason: null, sessionsEnded: 0 });
      expect((await actions(ada.id)).filter((a) => a.startsWith('user.'))).toEqual([
        'user.created',
        'user.disabled',
        'user.disabled',
        'user.enabled',
      ]);
      expect(
        await count(
          engine,
          'select count(*) as n from member_events where user_id = $1 and kind = $2',
          [ada.id, 'account.changed'],
        ),
      ).toBe(3);
    });

    it('refuses self-disabling, a missing user and enabling a deleted one, writing nothing', async () => {
      const ada = await addUser(auth, 'ada@example.test');
      await auth.createSession({ userId: ada.id, now: NOW, ...origin });
      const events = () => count(engine, 'select count(*) as n from member_events');
      const before = await events();
      const self = await rejection(
        auth.setUserDisabled({ userId: ada.id, disabled: true, actorUserId: ada.id, now: NOW }),
      );
      expect(self.code).toBe('FORBIDDEN');
      expect(await auth.listSessions(ada.id)).toHaveLength(1);
      const missing = await rejection(
        auth.setUserDisabled({ userId: 'nobody', disabled: true, actorUserId: null, now: NOW }),
      );
      expect(missing.code).toBe('NOT_FOUND');
      await engine.sql('update users set deleted_at = $1, disabled_at = $1 where id = $2', [
        NOW,
        ada.id,
      ]);
      const deleted = await rejection(
        auth.setUserDisabled({ userId: ada.id, disabled: false, actorUserId: null, now: NOW }),
      );
      expect(deleted.code).toBe('CONFLICT');
      expect((await auth.findCredentials({ userId: ada.id }))?.disabledAt).toEqual(NOW);
      expect(await events()).toBe(before);
    });
  });
}
