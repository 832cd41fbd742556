// Sign-in through an identity provider (decision 023) through the auth store, alike on every
// engine: where a sign-in lands, the account an issuer signs up, the link made with the session,
// and two first sign-ins of one outside account at once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SsoSignInInput, signInWithSso } from '../../src/auth/sso/sign-in-with-sso.ts';
import type { SsoProfile } from '../../src/auth/sso/types.ts';
import type { AuthStore } from '../../src/storage/auth-store.ts';
import { addUser, count, NOW } from './auth.sessions.contract.ts';
import type { EngineUnderTest, OpenEngine } from './engine.ts';

const origin = { ip: '203.0.113.9', userAgent: 'contract-browser' };

export function authSsoContract(openEngine: OpenEngine) {
  let engine: EngineUnderTest;
  let auth: AuthStore;
  beforeEach(async () => {
    engine = await openEngine();
    auth = engine.stores.auth;
  });
  afterEach(() => engine.close());

  const profile = (extra: Partial<SsoProfile> = {}): SsoProfile => ({
    subject: 'ada-sub',
    email: 'Ada@Example.test',
    emailVerified: true,
    displayName: 'Ada L.',
    ...extra,
  });
  const signIn = (p: SsoProfile = profile()) =>
    signInWithSso(engine.stores, {
      provider: 'oidc',
      profile: p,
      ...origin,
      now: NOW,
      timeZone: 'UTC',
    } satisfies SsoSignInInput);
  const users = () => count(engine, 'select count(*) as n from users');
  const links = () => count(engine, 'select count(*) as n from user_identities');
  const sessions = () => count(engine, 'select count(*) as n from sessions');
  const audits = (action: string) =>
    count(engine, 'select count(*) as n from audit_events where action = $1', [action]);
  const setMode = (mode: string) =>
    engine.sql(`insert into app_meta (key, value) values ('signup_mode', $1)`, [mode]);
  const verify = (userId: string) =>
    engine.sql('update users set email_verified_at = $1 where id = $2', [NOW, userId]);
  const ssoAccount = (email: string) =>
    auth.createSsoAccount({
      email,
      passwordHash: 'unusable',
      displayName: null,
      platformAdmin: false,
      emailVerified: true,
      actorUserId: null,
      actorLabel: 'sso:oidc',
      ip: null,
      now: NOW,
    });
  const codeOf = async (promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (error) {
      return (error as { code?: string }).code;
    }
    return 'done';
  };

  describe('where a sign-in lands', () => {
    it('finds the linked account first, else the account of the address, else none', async () => {
      const lookup = { provider: 'oidc', subject: 'ada-sub', email: 'ada@example.test' };
      expect(await auth.findSsoAccount(lookup)).toBeNull();
      const ada = await addUser(auth, 'ada@example.test');
      expect(await auth.findSsoAccount(lookup)).toEqual({
        id: ada.id,
        by: 'email',
        disabledAt: null,
        emailVerifiedAt: null,
        twoFactor: false,
      });
      expect(await auth.findSsoAccount({ ...lookup, email: null })).toBeNull();

      const other = await addUser(auth, 'other@example.test');
      await engine.sql(
        `insert into user_identities (provider, subject, user_id, email, created_at)
         values ('oidc', 'ada-sub', $1, null, $2)`,
        [other.id, NOW],
      );
      expect(await auth.findSsoAccount(lookup)).toMatchObject({ id: other.id, by: 'identity' });
      // The same subject at another provider is another outside account.
      expect(await auth.findSsoAccount({ ...lookup, provider: 'github' })).toMatchObject({
        id: ada.id,
        by: 'email',
      });
    });
  });

  describe('signing in', () => {
    it('creates the account at the first sign-in, linked with its session, and matches it after', async () => {
      const first = await signIn();
      expect(first).toMatchObject({ ok: true, status: 'signed_in', outcome: 'created' });
      if (!first.ok || first.status !== 'signed_in') throw new Error('not signed in');
      const created = await auth.userById(first.userId);
      expect(created).toMatchObject({ email: 'ada@example.test', displayName: 'Ada L.' });
      expect(created?.emailVerifiedAt).toEqual(NOW);
      expect(await links()).toBe(1);
      expect(await audits('user.identity_linked')).toBe(1);
      const [session] = await engine.sql<{ data: unknown }>(
        `select data from audit_events where action = 'session.created'`,
      );
      // jsonb comes back parsed from PostgreSQL, text from SQLite.
      const data = session?.data;
      expect(typeof data === 'string' ? JSON.parse(data) : data).toMatchObject({
        method: 'sso:oidc',
      });

      // Later: matched by subject, whatever the address says now.
      const again = await signIn(profile({ email: 'new-address@example.test' }));
      expect(again).toMatchObject({ ok: true, outcome: 'matched', userId: first.userId });
      expect(await users()).toBe(1);
      expect(await links()).toBe(1);
      expect(await sessions()).toBe(2);
    });

    it('links an account of the address only when both sides verified it', async () => {
      const ada = await addUser(auth, 'ada@example.test');
      await addUser(auth, 'first@example.test');
      expect(await signIn(profile({ emailVerified: false }))).toEqual({
        ok: false,
        reason: 'EMAIL_NOT_VERIFIED',
      });
      expect(await signIn()).toEqual({ ok: false, reason: 'ACCOUNT_NOT_VERIFIED' });
      expect(await links()).toBe(0);
      expect(await sessions()).toBe(0);

      await verify(ada.id);
      expect(await signIn()).toMatchObject({ ok: true, outcome: 'linked', userId: ada.id });
      expect(await links()).toBe(1);
      expect(await users()).toBe(2);
    });

    it('refuses a disabled account on every path, and a profile without an address', async () => {
      const ada = await addUser(auth, 'ada@example.test', { emailVerified: true });
      await engine.sql('update users set disabled_at = $1 where id = $2', [NOW, ada.id]);
      expect(await signIn()).toEqual({ ok: false, reason: 'ACCOUNT_DISABLED' });
      await engine.sql(
        `insert into user_identities (provider, subject, user_id, email, created_at)
         values ('oidc', 'ada-sub', $1, null, $2)`,
        [ada.id, NOW],
      );
      expect(await signIn()).toEqual({ ok: false, reason: 'ACCOUNT_DISABLED' });
      expect(await signIn(profile({ subject: 'nobody', email: null }))).toEqual({
        ok: false,
        reason: 'EMAIL_MISSING',
      });
      expect(await sessions()).toBe(0);
      expect(await users()).toBe(1);
    });

    it('creates no account when sign-up is closed or invite-only, but lets the first one in', async () => {
      await setMode('closed');
      const owner = await signIn(profile({ subject: 'owner-sub', email: 'owner@example.test' }));
      expect(owner).toMatchObject({ ok: true, outcome: 'created' });
      expect(await signIn()).toEqual({ ok: false, reason: 'SIGNUP_CLOSED' });
      await engine.sql(`update app_meta set value = 'invite' where key = 'signup_mode'`);
      expect(await signIn()).toEqual({ ok: false, reason: 'SIGNUP_CLOSED' });
      expect(await users()).toBe(1);
      expect(await links()).toBe(1);
      expect(await codeOf(ssoAccount('late@example.test'))).toBe('SIGNUP_CLOSED');
      expect(await users()).toBe(1);
    });

    it('asks an account with two factors for its code, linking nothing and starting nothing', async () => {
      const ada = await addUser(auth, 'ada@example.test', { emailVerified: true });
      await engine.sql(
        'insert into user_totp (user_id, secret_box, created_at, enabled_at) values ($1, $2, $3, $3)',
        [ada.id, Buffer.from('sealed'), NOW],
      );
      const result = await signIn();
      expect(result).toMatchObject({ ok: true, status: 'second_factor_required' });
      expect(await links()).toBe(0);
      expect(await sessions()).toBe(0);
      expect(await count(engine, 'select count(*) as n from two_factor_challenges')).toBe(1);
    });
  });

  describe('the link with the session', () => {
    it('refuses an outside account linked to another account, starting no session', async () => {
      const ada = await addUser(auth, 'ada@example.test');
      const bob = await addUser(auth, 'bob@example.test');
      const start = (userId: string) =>
        auth.startSession({
          userId,
          now: NOW,
          ...origin,
          timeZone: 'UTC',
          method: 'sso:oidc',
          link: { provider: 'oidc', subject: 'shared-sub', email: null, outcome: 'linked' },
        });
      await start(ada.id);
      // Again for the same user: nothing more to link, the session starts.
      await start(ada.id);
      expect(await codeOf(start(bob.id))).toBe('CONFLICT');
      expect(await links()).toBe(1);
      expect(await audits('user.identity_linked')).toBe(1);
      expect(
        await count(engine, 'select count(*) as n from sessions where user_id = $1', [bob.id]),
      ).toBe(0);
    });

    it('answers EMAIL_TAKEN for an address that has an account, writing nothing', async () => {
      await ssoAccount('ada@example.test');
      expect(await codeOf(ssoAccount('ada@example.test'))).toBe('EMAIL_TAKEN');
      expect(await users()).toBe(1);
    });
  });

  it('two first sign-ins of one outside account at once make one account and one link', async () => {
    await addUser(auth, 'owner@example.test');
    const results = await Promise.all([signIn(), signIn(), signIn()]);
    const userIds = new Set(results.map((r) => (r.ok && r.status === 'signed_in' ? r.userId : r)));
    expect(userIds.size).toBe(1);
    expect(
      results.filter((r) => r.ok && r.status === 'signed_in' && r.outcome === 'created'),
    ).toHaveLength(1);
    expect(await users()).toBe(2);
    expect(await links()).toBe(1);
    expect(await audits('user.identity_linked')).toBe(1);
    expect(await sessions()).toBe(3);
  });
}
