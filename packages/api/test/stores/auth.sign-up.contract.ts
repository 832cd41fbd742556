// The auth store's sign-up: the account and its admission (decision 022) in one transaction.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { generateSessionToken } from '../../src/auth/session-token.ts';
import type { AuthStore, SignUpRequest } from '../../src/storage/auth-store.ts';
import { addUser, count, NOW } from './auth.sessions.contract.ts';
import type { EngineUnderTest, OpenEngine } from './engine.ts';

const DAY = 86_400_000;

export function authSignUpContract(openEngine: OpenEngine) {
  let engine: EngineUnderTest;
  let auth: AuthStore;
  beforeEach(async () => {
    engine = await openEngine();
    auth = engine.stores.auth;
  });
  afterEach(() => engine.close());

  const request = (email: string, extra: Partial<SignUpRequest> = {}): SignUpRequest => ({
    email,
    passwordHash: `hash-of-${email}`,
    displayName: null,
    platformAdmin: false,
    emailVerified: false,
    actorUserId: null,
    actorLabel: null,
    ip: '198.51.100.7',
    now: NOW,
    inviteToken: null,
    locale: null,
    baseUrl: 'https://tessera.example',
    ...extra,
  });
  const setMode = (mode: string) =>
    engine.sql(`insert into app_meta (key, value) values ('signup_mode', $1)`, [mode]);
  const invite = async (email: string, expiresAt = new Date(NOW.getTime() + DAY)) => {
    const { id, token, secretHash } = generateSessionToken();
    await engine.sql(
      `insert into signup_invites (id, secret_hash, email, created_at, expires_at)
       values ($1, $2, $3, $4, $5)`,
      [id, Buffer.from(secretHash), email, NOW, expiresAt],
    );
    return { id, token };
  };
  const mails = (to: string) =>
    engine.sql<{ template: string; subject: string; text: string }>(
      'select template, subject, text from mail_outbox where "to" = $1',
      [to],
    );
  const verificationTokens = (email: string) =>
    count(engine, 'select count(*) as n from email_verification_tokens where email = $1', [email]);
  const userCount = () => count(engine, 'select count(*) as n from users');
  const refusal = async (promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (error) {
      return (error as { code?: string }).code;
    }
    return 'admitted';
  };

  it('signs up in the open with a verification link and its mail', async () => {
    const ada = await auth.signUp(request('ada@example.test', { locale: 'zh-CN' }));
    expect(ada).toMatchObject({ email: 'ada@example.test', platformRole: 'owner' });
    expect(await verificationTokens('ada@example.test')).toBe(1);
    const [mail] = await mails('ada@example.test');
    expect(mail?.template).toBe('verify_email');
    expect(mail?.text).toContain('https://tessera.example/verify-email?token=');
    expect((await auth.userById(ada.id))?.emailVerifiedAt).toBeNull();
    expect(await count(engine, 'select count(*) as n from credit_accounts')).toBe(1);
  });

  it('lets the first account in whatever the mode, and nobody after it when closed', async () => {
    await setMode('closed');
    expect((await auth.signUp(request('owner@example.test'))).platformRole).toBe('owner');
    expect(await refusal(auth.signUp(request('late@example.test')))).toBe('SIGNUP_CLOSED');
    expect(await userCount()).toBe(1);
    expect(await mails('late@example.test')).toEqual([]);
    // An unreadable mode fails closed.
    await engine.sql(`update app_meta set value = 'opne' where key = 'signup_mode'`);
    expect(await refusal(auth.signUp(request('late@example.test')))).toBe('SIGNUP_CLOSED');
  });

  it('admits by invite only when invite-only, verifying the invited address', async () => {
    await addUser(auth, 'owner@example.test');
    await setMode('invite');
    expect(await refusal(auth.signUp(request('ada@example.test')))).toBe('SIGNUP_CLOSED');

    const forAda = await invite('ada@example.test');
    const ada = await auth.signUp(request('ada@example.test', { inviteToken: forAda.token }));
    expect((await auth.userById(ada.id))?.emailVerifiedAt).toEqual(NOW);
    expect(await mails('ada@example.test')).toEqual([]);
    const [used] = await engine.sql<{ used_by: string }>(
      'select used_by from signup_invites where id = $1',
      [forAda.id],
    );
    expect(used?.used_by).toBe(ada.id);

    // An invite sent to another address still admits, but the address must be proven.
    const forBob = await invite('bob@example.test');
    const carol = await auth.signUp(request('carol@example.test', { inviteToken: forBob.token }));
    expect((await auth.userById(carol.id))?.emailVerifiedAt).toBeNull();
    expect(await verificationTokens('carol@example.test')).toBe(1);
  });

  it('refuses a used, expired or forged invite, writing nothing', async () => {
    await addUser(auth, 'owner@example.test');
    await setMode('invite');
    const once = await invite('ada@example.test');
    await auth.signUp(request('ada@example.test', { inviteToken: once.token }));
    const before = await userCount();
    expect(
      await refusal(auth.signUp(request('again@example.test', { inviteToken: once.token }))),
    ).toBe('INVITE_INVALID');
    const old = await invite('old@example.test', NOW);
    expect(
      await refusal(auth.signUp(request('old@example.test', { inviteToken: old.token }))),
    ).toBe('INVITE_INVALID');
    const forged = `${old.id}.${'a'.repeat(32)}`;
    for (const token of [forged, 'not-a-token']) {
      expect(await refusal(auth.signUp(request('x@example.test', { inviteToken: token })))).toBe(
        'INVITE_INVALID',
      );
    }
    expect(await userCount()).toBe(before);
    expect(await verificationTokens('again@example.test')).toBe(0);
  });

  it('opens one account per invite however many use it at once', async () => {
    await addUser(auth, 'owner@example.test');
    await setMode('invite');
    const shared = await invite('team@example.test');
    const outcomes = await Promise.all(
      ['a', 'b', 'c', 'd'].map((who) =>
        refusal(auth.signUp(request(`${who}@example.test`, { inviteToken: shared.token }))),
      ),
    );
    expect(outcomes.filter((o) => o === 'admitted')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'INVITE_INVALID')).toHaveLength(3);
    expect(await userCount()).toBe(2);
  });
}
