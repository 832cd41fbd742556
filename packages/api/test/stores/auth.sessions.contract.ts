// The auth store's throttles, credentials and sessions, alike on every engine.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BucketPolicy } from '../../src/auth/throttle.ts';
import type { AuthStore, ThrottleBucket } from '../../src/storage/auth-store.ts';
import type { EngineUnderTest, OpenEngine } from './engine.ts';

export const NOW = new Date('2026-03-10T12:00:00Z');
const HOUR = 3_600_000;
const SMALL: BucketPolicy = { capacity: 3, perHour: 60 };

export async function addUser(
  auth: AuthStore,
  email: string,
  extra: Partial<Parameters<AuthStore['createUser']>[0]> = {},
) {
  return auth.createUser({
    email,
    passwordHash: `hash-of-${email}`,
    displayName: null,
    platformAdmin: false,
    emailVerified: false,
    actorUserId: null,
    actorLabel: null,
    ip: null,
    now: NOW,
    ...extra,
  });
}

export async function count(engine: EngineUnderTest, sql: string, params: unknown[] = []) {
  const [row] = await engine.sql<{ n: number | string }>(sql, params);
  return Number(row?.n ?? 0);
}

const origin = { ip: '203.0.113.9', userAgent: 'contract-browser' };

export function authSessionsContract(openEngine: OpenEngine) {
  let engine: EngineUnderTest;
  let auth: AuthStore;
  beforeEach(async () => {
    engine = await openEngine();
    auth = engine.stores.auth;
  });
  afterEach(() => engine.close());

  const tokens = async (key: string) =>
    (
      await engine.sql<{ tokens: number }>('select tokens from auth_throttles where key = $1', [
        key,
      ])
    )[0]?.tokens;

  describe('throttles', () => {
    const a: ThrottleBucket = { key: 'account:a@example.test', policy: SMALL };
    const b: ThrottleBucket = { key: 'ip:203.0.113.9', policy: { capacity: 10, perHour: 60 } };

    it('takes one token a call until the bucket is empty, then says when one is back', async () => {
      for (let i = 0; i < 3; i++)
        expect(await auth.takeThrottleTokens([a], NOW)).toEqual({ ok: true });
      // 60 an hour: one token a minute.
      expect(await auth.takeThrottleTokens([a], NOW)).toEqual({ ok: false, retryAfterSeconds: 60 });
      const later = new Date(NOW.getTime() + 30_000);
      expect(await auth.takeThrottleTokens([a], later)).toEqual({
        ok: false,
        retryAfterSeconds: 30,
      });
      const minuteLater = new Date(NOW.getTime() + 60_000);
      expect(await auth.takeThrottleTokens([a], minuteLater)).toEqual({ ok: true });
      // Refilled at most to capacity however long it waited.
      await auth.takeThrottleTokens([a], new Date(NOW.getTime() + 10 * HOUR));
      expect(await tokens(a.key)).toBe(2);
    });

    it('takes from every bucket or from none', async () => {
      for (let i = 0; i < 3; i++) await auth.takeThrottleTokens([a], NOW);
      expect(await auth.takeThrottleTokens([b, a], NOW)).toEqual({
        ok: false,
        retryAfterSeconds: 60,
      });
      expect(await tokens(b.key)).toBeUndefined();
      expect(await auth.takeThrottleTokens([b], NOW)).toEqual({ ok: true });
      expect(await auth.takeThrottleTokens([b, a], NOW)).toMatchObject({ ok: false });
      expect(await tokens(b.key)).toBe(9);
    });

    it('forgets reset buckets and gives a token back, never above capacity', async () => {
      await auth.takeThrottleTokens([a, b], NOW);
      await auth.takeThrottleTokens([a, b], NOW);
      await auth.forgiveThrottle({ reset: [a.key], giveBack: [b], now: NOW });
      expect(await tokens(a.key)).toBeUndefined();
      expect(await tokens(b.key)).toBe(9);
      await auth.forgiveThrottle({ reset: [], giveBack: [b, b, b], now: NOW });
      expect(await tokens(b.key)).toBe(10);
    });

    it('lets exactly capacity of many simultaneous attempts through', async () => {
      const outcomes = await Promise.all(
        Array.from({ length: 12 }, () => auth.takeThrottleTokens([a], NOW)),
      );
      expect(outcomes.filter((o) => o.ok)).toHaveLength(3);
      expect(await tokens(a.key)).toBe(0);
    });
  });

  describe('credentials and sessions', () => {
    it('finds an account by email or id, with whether 2FA is on', async () => {
      const ada = await addUser(auth, 'ada@example.test');
      const byEmail = await auth.findCredentials({ email: 'ada@example.test' });
      expect(byEmail).toEqual({
        id: ada.id,
        email: 'ada@example.test',
        passwordHash: 'hash-of-ada@example.test',
        disabledAt: null,
        twoFactor: false,
      });
      expect(await auth.findCredentials({ userId: ada.id })).toEqual(byEmail);
      expect(await auth.findCredentials({ email: 'nobody@example.test' })).toBeNull();
      // Enrolled but not confirmed yet: no second factor.
      await engine.sql(
        'insert into user_totp (user_id, secret_box, created_at) values ($1, $2, $3)',
        [ada.id, Buffer.from('box'), NOW],
      );
      expect((await auth.findCredentials({ userId: ada.id }))?.twoFactor).toBe(false);
      await engine.sql('update user_totp set enabled_at = $1 where user_id = $2', [NOW, ada.id]);
      expect((await auth.findCredentials({ userId: ada.id }))?.twoFactor).toBe(true);
    });

    it('creates, lists and ends sessions; only the owner ends one', async () => {
      const ada = await addUser(auth, 'ada@example.test');
      const bob = await addUser(auth, 'bob@example.test');
      const first = await auth.createSession({ userId: ada.id, now: NOW, ...origin });
      expect(first.token.startsWith(`${first.session.id}.`)).toBe(true);
      expect(first.session.expiresAt.getTime() - NOW.getTime()).toBe(30 * 24 * HOUR);
      const second = await auth.startSession({
        userId: ada.id,
        now: new Date(NOW.getTime() + HOUR),
        ...origin,
        timeZone: 'UTC',
        method: 'password',
      });
      expect(second.userId).toBe(ada.id);
      const listed = await auth.listSessions(ada.id);
      expect(listed.map((s) => s.id)).toEqual([second.session.id, first.session.id]);
      expect(listed[1]).toEqual({
        id: first.session.id,
        createdAt: NOW,
        lastSeenAt: NOW,
        expiresAt: first.session.expiresAt,
        userAgent: 'contract-browser',
        ip: '203.0.113.9',
      });
      const audited = await engine.sql<{ action: string; data: unknown }>(
        `select action, data from audit_events where action = 'session.created'`,
      );
      expect(audited).toHaveLength(1);
      const data = audited[0]!.data;
      expect(typeof data === 'string' ? JSON.parse(data) : data).toMatchObject({
        sessionId: second.session.id,
        method: 'password',
      });

      expect(await auth.endSession(bob.id, first.session.id)).toBe(false);
      expect(await auth.endSession(ada.id, first.session.id)).toBe(true);
      expect(await auth.endSession(ada.id, first.session.id)).toBe(false);
      expect((await auth.listSessions(ada.id)).map((s) => s.id)).toEqual([second.session.id]);
    });

    it('ends a session by its token only when the secret matches', async () => {
      const ada = await addUser(auth, 'ada@example.test');
      const kept = await auth.createSession({ userId: ada.id, now: NOW, ...origin });
      const planted = await auth.createSession({ userId: ada.id, now: NOW, ...origin });
      expect(await auth.endSessionByToken('not-a-token')).toBe(false);
      expect(await auth.endSessionByToken(`${planted.session.id}.wrongsecret`)).toBe(false);
      expect(await auth.listSessions(ada.id)).toHaveLength(2);
      expect(await auth.endSessionByToken(planted.token)).toBe(true);
      expect(await auth.endSessionByToken(planted.token)).toBe(false);
      expect((await auth.listSessions(ada.id)).map((s) => s.id)).toEqual([kept.session.id]);
    });

    it('ends every session of one user, audited, and no one else’s', async () => {
      const ada = await addUser(auth, 'ada@example.test');
      const bob = await addUser(auth, 'bob@example.test');
      for (let i = 0; i < 3; i++) await auth.createSession({ userId: ada.id, now: NOW, ...origin });
      await auth.createSession({ userId: bob.id, now: NOW, ...origin });
      expect(await auth.endAllSessions({ userId: ada.id, ip: origin.ip, now: NOW })).toBe(3);
      expect(await auth.listSessions(ada.id)).toEqual([]);
      expect(await auth.listSessions(bob.id)).toHaveLength(1);
      expect(
        await count(engine, `select count(*) as n from audit_events where action = $1`, [
          'session.revoked_all',
        ]),
      ).toBe(1);
    });

    it('replaces a password only over the verified hash, ending the other sessions', async () => {
      const ada = await addUser(auth, 'ada@example.test');
      const kept = await auth.createSession({ userId: ada.id, now: NOW, ...origin });
      await auth.createSession({ userId: ada.id, now: NOW, ...origin });
      const key = 'account:ada@example.test';
      await auth.takeThrottleTokens([{ key, policy: SMALL }], NOW);
      const replacement = {
        userId: ada.id,
        keepSessionId: kept.session.id,
        newHash: 'new-hash',
        throttleKey: key,
        ip: null,
        now: NOW,
      };

      // Refused: nothing written.
      expect(await auth.replacePassword({ ...replacement, verifiedHash: 'stale' })).toBeNull();
      expect((await auth.findCredentials({ userId: ada.id }))?.passwordHash).toBe(
        'hash-of-ada@example.test',
      );
      expect(await auth.listSessions(ada.id)).toHaveLength(2);
      expect(await tokens(key)).toBe(2);

      expect(
        await auth.replacePassword({ ...replacement, verifiedHash: 'hash-of-ada@example.test' }),
      ).toEqual({ sessionsEnded: 1 });
      expect((await auth.findCredentials({ userId: ada.id }))?.passwordHash).toBe('new-hash');
      expect((await auth.listSessions(ada.id)).map((s) => s.id)).toEqual([kept.session.id]);
      expect(await tokens(key)).toBeUndefined();
      expect(
        await count(engine, `select count(*) as n from audit_events where action = $1`, [
          'user.password_changed',
        ]),
      ).toBe(1);
    });

    it('lets one of two simultaneous changes over the same hash win', async () => {
      const ada = await addUser(auth, 'ada@example.test');
      const kept = await auth.createSession({ userId: ada.id, now: NOW, ...origin });
      const outcomes = await Promise.all(
        ['one', 'two', 'three'].map((newHash) =>
          auth.replacePassword({
            userId: ada.id,
            keepSessionId: kept.session.id,
            verifiedHash: 'hash-of-ada@example.test',
            newHash,
            throttleKey: 'account:ada@example.test',
            ip: null,
            now: NOW,
          }),
        ),
      );
      expect(outcomes.filter((o) => o !== null)).toHaveLength(1);
    });
  });
}
