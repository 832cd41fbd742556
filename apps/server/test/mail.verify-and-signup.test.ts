// Email verification and sign-up controls over real HTTP, with a real SMTP server on loopback
// receiving the mails (issue 14, decision 022): the verification mail in both languages with both
// parts and a link on PUBLIC_URL, the link works once and for 24 hours, resending is throttled;
// sign-up open, invite-only and closed (the first account always allowed), invites by mail that
// work once and verify the invited address, and revoking (the CLI's signup:mode is
// cli.signup.test.ts's).
// Fixtures and assertions go through the run's storage, so the file runs on both engines.
import type { AppRouter } from '@tessera/api';
import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningApp, startApp } from '../src/app.ts';
import { CookieFetch, fakeWebDist, STRONG_PASSWORD } from './harness.ts';
import { linkIn, Mailbox, tokenOf } from './mail-support.ts';
import { openTestStorage, type TestStorage } from './test-storage.ts';

const HOUR = 3_600_000;
const PUBLIC_URL = 'http://chat.tessera.test:8080';

interface Started {
  app: RunningApp;
  /** The app's database, on the run's engine (test-storage.ts). */
  storage: TestStorage;
  /** The app's clock runs with real time (the sender loop waits for real), plus `skip`. */
  clock: { skip: number };
}

async function start(smtpUrl: string): Promise<Started> {
  const storage = await openTestStorage();
  const clock = { skip: 0 };
  const app = await startApp(
    {
      host: '127.0.0.1',
      port: 0,
      ...storage.config,
      webDistDir: fakeWebDist(),
      publicUrl: PUBLIC_URL,
      trustedOrigins: [],
      trustProxy: true,
      mail: {
        smtpUrl,
        from: 'Tessera <no-reply@tessera.test>',
        pollMs: 20,
        policy: { maxAttempts: 3, retryBaseMs: 50, leaseMs: 60_000 },
      },
    },
    { now: () => new Date(Date.now() + clock.skip) },
  );
  return { app, storage, clock };
}

async function stop(s: Started) {
  await s.app.close();
  await s.storage.close();
}

let networks = 0;
/** A browser tab on the app, from its own network (so sign-up throttling spares the others). */
function tab(app: RunningApp) {
  const client = createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${app.url}/trpc`,
        fetch: new CookieFetch(PUBLIC_URL).fetch,
        headers: { 'x-forwarded-for': `198.51.100.${++networks}` },
      }),
    ],
  });
  return client;
}

type Client = ReturnType<typeof tab>;

async function signUp(
  app: RunningApp,
  email: string,
  options: { locale?: 'en' | 'zh-CN'; invite?: string } = {},
) {
  const client = tab(app);
  const viewer = await client.auth.signUp.mutate({ email, password: STRONG_PASSWORD, ...options });
  return { client, viewer };
}

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  return (error as TRPCClientError<AppRouter>).data as {
    domainCode?: string;
    retryAfterSeconds?: number | null;
    details?: Record<string, unknown>;
  };
}

async function count(s: Started, sql: string, ...params: unknown[]): Promise<number> {
  const [row] = await s.storage.sql<{ n: number | string }>(sql, params);
  return Number(row?.n);
}

describe('email verification by mail', () => {
  const mailbox = new Mailbox();
  let s: Started;

  beforeAll(async () => {
    await mailbox.start();
    s = await start(mailbox.url);
    await signUp(s.app, 'root@example.com'); // the first account: the platform admin
  });
  afterAll(async () => {
    await stop(s);
    await mailbox.stop();
  });

  it('sign-up mails a link in English, text and HTML, on PUBLIC_URL, hashed at rest', async () => {
    const { client, viewer } = await signUp(s.app, 'ada@example.com', { locale: 'en' });
    expect(viewer.emailVerified).toBe(false);
    const mail = await mailbox.waitFor('ada@example.com', { link: 'verify-email' });
    expect(mail.subject).toBe('Confirm your email for Tessera');
    const link = linkIn(mail.text, 'verify-email');
    expect(link.startsWith(`${PUBLIC_URL}/verify-email?token=`)).toBe(true);
    expect(mail.text).toContain('24 hours');
    expect(mail.html).toContain(`href="${link}"`);
    // Only the secret's hash is stored: the link's secret is nowhere in the table.
    const secret = tokenOf(link).split('.')[1]!;
    const rows = await s.storage.sql('select * from email_verification_tokens where email = $1', [
      'ada@example.com',
    ]);
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(secret);
    expect((await client.auth.me.query())?.emailVerified).toBe(false);
  });

  it('writes in the language of the sign-up page (zh-CN)', async () => {
    await signUp(s.app, 'li@example.com', { locale: 'zh-CN' });
    const mail = await mailbox.waitFor('li@example.com', { link: 'verify-email' });
    expect(mail.subject).toBe('确认您的 Tessera 邮箱');
    expect(mail.text).toContain('24 小时内有效');
    expect(mail.html).toContain('<html lang="zh-CN">');
  });

  it('the link verifies the address once; a second use says used', async () => {
    const { client } = await signUp(s.app, 'once@example.com');
    const token = tokenOf(
      linkIn(
        (await mailbox.waitFor('once@example.com', { link: 'verify-email' })).text,
        'verify-email',
      ),
    );
    // Opened in another browser, signed out: the token is the proof.
    expect(await tab(s.app).signup.verifyEmail.mutate({ token })).toEqual({
      email: 'once@example.com',
    });
    expect((await client.auth.me.query())?.emailVerified).toBe(true);
    const again = await refusal(client.signup.verifyEmail.mutate({ token }));
    expect(again).toMatchObject({ domainCode: 'VERIFY_LINK_INVALID', details: { reason: 'used' } });
    const forged = await refusal(client.signup.verifyEmail.mutate({ token: `${token}x` }));
    expect(forged.details).toMatchObject({ reason: 'unknown' });
    expect(
      await count(s, "select count(*) as n from audit_events where action = 'user.email_verified'"),
    ).toBe(1);
  });

  it('a link expires after 24 hours', async () => {
    const { client } = await signUp(s.app, 'late@example.com');
    const token = tokenOf(
      linkIn(
        (await mailbox.waitFor('late@example.com', { link: 'verify-email' })).text,
        'verify-email',
      ),
    );
    s.clock.skip = 24 * HOUR + 1000;
    try {
      const expired = await refusal(client.signup.verifyEmail.mutate({ token }));
      expect(expired).toMatchObject({
        domainCode: 'VERIFY_LINK_INVALID',
        details: { reason: 'expired' },
      });
    } finally {
      s.clock.skip = 0;
    }
    expect((await client.auth.me.query())?.emailVerified).toBe(false);
  });

  it('a signed-in user asks for a new link, throttled; the newest link works and retires the rest', async () => {
    const email = 'resend@example.com';
    const { client } = await signUp(s.app, email);
    for (let i = 0; i < 3; i++) {
      expect(await client.signup.resendVerification.mutate({ locale: 'en' })).toEqual({
        alreadyVerified: false,
      });
    }
    const throttled = await refusal(client.signup.resendVerification.mutate({}));
    expect(throttled.domainCode).toBe('TOO_MANY_ATTEMPTS');
    expect(throttled.retryAfterSeconds).toBeGreaterThan(0);
    await mailbox.waitFor(email, { seen: 3, link: 'verify-email' });
    const links = mailbox
      .to(email, 'verify-email')
      .map((m) => tokenOf(linkIn(m.text, 'verify-email')));
    expect(new Set(links).size).toBe(4); // the sign-up's and three resent
    await client.signup.verifyEmail.mutate({ token: links[3]! });
    const older = await refusal(client.signup.verifyEmail.mutate({ token: links[0]! }));
    expect(older.details).toMatchObject({ reason: 'used' });
    // Verified: asking again sends nothing.
    expect(await client.signup.resendVerification.mutate({})).toEqual({ alreadyVerified: true });
    expect(await count(s, `select count(*) as n from mail_outbox where "to" = $1`, email)).toBe(4);
    // Signed out, there is no one to resend to.
    expect((await refusal(tab(s.app).signup.resendVerification.mutate({}))).domainCode).toBe(
      'UNAUTHENTICATED',
    );
  });
});

describe('sign-up modes and invites', () => {
  const mailbox = new Mailbox();
  let s: Started;
  let admin: Client;

  const users = () => count(s, 'select count(*) as n from users');

  beforeAll(async () => {
    await mailbox.start();
  });
  afterAll(async () => {
    await mailbox.stop();
  });
  beforeEach(async () => {
    s = await start(mailbox.url);
  });
  afterEach(async () => {
    await stop(s);
  });

  it('closed: the first account is still allowed (and is the admin), nobody after it', async () => {
    // Before any account the operator's tool is the only admin (cli.signup.test.ts drives it).
    expect(
      await s.storage.stores.account.setSignupMode({
        mode: 'closed',
        actorUserId: null,
        actorLabel: 'cli:operator',
        now: new Date(),
      }),
    ).toEqual({ mode: 'closed', previous: 'open' });
    expect(await tab(s.app).signup.status.query()).toEqual({ mode: 'open' }); // nobody yet
    const first = await signUp(s.app, 'owner@example.com');
    expect(first.viewer.isPlatformAdmin).toBe(true);
    expect(await tab(s.app).signup.status.query()).toEqual({ mode: 'closed' });

    const refused = await refusal(signUp(s.app, 'late@example.com'));
    expect(refused).toMatchObject({ domainCode: 'SIGNUP_CLOSED', details: { mode: 'closed' } });
    expect(await users()).toBe(1);
    expect(
      await count(s, `select count(*) as n from mail_outbox where "to" = 'late@example.com'`),
    ).toBe(0);
    expect(await s.storage.stores.account.effectiveSignupMode()).toBe('closed');
  });

  it('invite-only: only an invite link signs up; it works once and verifies the invited address', async () => {
    admin = (await signUp(s.app, 'owner@example.com')).client;
    expect(await admin.admin.signup.setMode.mutate({ mode: 'invite' })).toEqual({ mode: 'invite' });
    expect(await tab(s.app).signup.status.query()).toEqual({ mode: 'invite' });
    const uninvited = await refusal(signUp(s.app, 'guest@example.com'));
    expect(uninvited).toMatchObject({ domainCode: 'SIGNUP_CLOSED', details: { mode: 'invite' } });

    await admin.admin.signup.invite.mutate({ email: ' Guest@Example.com ', locale: 'en' });
    const mail = await mailbox.waitFor('guest@example.com', { link: 'sign-up' });
    expect(mail.subject).toBe('You are invited to Tessera');
    expect(mail.html).toContain('Create my account');
    const link = linkIn(mail.text, 'sign-up');
    expect(link.startsWith(`${PUBLIC_URL}/sign-up?invite=`)).toBe(true);
    const invite = tokenOf(link);
    expect(await tab(s.app).signup.invite.query({ token: invite })).toEqual({
      email: 'guest@example.com',
    });

    const guest = await signUp(s.app, 'guest@example.com', { invite });
    expect(guest.viewer.emailVerified).toBe(true);
    await s.app.mailSender.flush();
    expect(mailbox.to('guest@example.com', 'verify-email')).toEqual([]);

    const reused = await refusal(signUp(s.app, 'other@example.com', { invite }));
    expect(reused).toMatchObject({ domainCode: 'INVITE_INVALID', details: { reason: 'used' } });
    const listed = await admin.admin.signup.invites.query();
    expect(listed).toMatchObject([
      { email: 'guest@example.com', status: 'used', invitedByEmail: 'owner@example.com' },
    ]);

    // An invite used with another address opens an account, but that address is unproven.
    await admin.admin.signup.invite.mutate({ email: 'friend@example.com' });
    const friendLink = linkIn(
      (await mailbox.waitFor('friend@example.com', { link: 'sign-up' })).text,
      'sign-up',
    );
    const alias = await signUp(s.app, 'alias@example.com', { invite: tokenOf(friendLink) });
    expect(alias.viewer.emailVerified).toBe(false);
    await mailbox.waitFor('alias@example.com', { link: 'verify-email' });

    // An address with an account cannot be invited; a member cannot invite.
    const taken = await refusal(admin.admin.signup.invite.mutate({ email: 'guest@example.com' }));
    expect(taken.domainCode).toBe('EMAIL_TAKEN');
    const member = await refusal(
      guest.client.admin.signup.invite.mutate({ email: 'x@example.com' }),
    );
    expect(member.domainCode).toBe('FORBIDDEN');
    expect(
      (await refusal(guest.client.admin.signup.setMode.mutate({ mode: 'open' }))).domainCode,
    ).toBe('FORBIDDEN');
  });

  it('a revoked, replaced or expired invite is refused and opens nothing', async () => {
    admin = (await signUp(s.app, 'owner@example.com')).client;
    await admin.admin.signup.setMode.mutate({ mode: 'invite' });
    const first = await admin.admin.signup.invite.mutate({ email: 'a@example.com' });
    const firstToken = tokenOf(
      linkIn((await mailbox.waitFor('a@example.com', { link: 'sign-up' })).text, 'sign-up'),
    );
    // A second invite to the same address replaces the first.
    await admin.admin.signup.invite.mutate({ email: 'a@example.com' });
    const replaced = await refusal(signUp(s.app, 'a@example.com', { invite: firstToken }));
    expect(replaced.details).toMatchObject({ reason: 'revoked' });
    const second = (await admin.admin.signup.invites.query()).find((i) => i.status === 'pending')!;
    expect(second.id).not.toBe(first.id);
    await admin.admin.signup.revokeInvite.mutate({ id: second.id });
    const secondToken = tokenOf(
      linkIn(
        (await mailbox.waitFor('a@example.com', { seen: 1, link: 'sign-up' })).text,
        'sign-up',
      ),
    );
    const revoked = await refusal(signUp(s.app, 'a@example.com', { invite: secondToken }));
    expect(revoked).toMatchObject({ domainCode: 'INVITE_INVALID', details: { reason: 'revoked' } });
    expect(
      (await refusal(admin.admin.signup.revokeInvite.mutate({ id: second.id }))).domainCode,
    ).toBe('NOT_FOUND');

    await admin.admin.signup.invite.mutate({ email: 'b@example.com' });
    const bToken = tokenOf(
      linkIn((await mailbox.waitFor('b@example.com', { link: 'sign-up' })).text, 'sign-up'),
    );
    s.clock.skip = 7 * 24 * HOUR + 1000;
    const expired = await refusal(signUp(s.app, 'b@example.com', { invite: bToken }));
    expect(expired.details).toMatchObject({ reason: 'expired' });
    // A week on, the admin's session has ended too: sign in again to read the list.
    const again = tab(s.app);
    await again.auth.signIn.mutate({ email: 'owner@example.com', password: STRONG_PASSWORD });
    expect((await again.admin.signup.invites.query()).map((i) => i.status).sort()).toEqual([
      'expired',
      'revoked',
      'revoked',
    ]);
    expect(await users()).toBe(1);
  });

  it('open: anyone signs up (and an invite still verifies its address)', async () => {
    admin = (await signUp(s.app, 'owner@example.com')).client;
    await admin.admin.signup.setMode.mutate({ mode: 'closed' });
    expect(await admin.admin.signup.mode.query()).toEqual({ mode: 'closed' });
    await admin.admin.signup.setMode.mutate({ mode: 'open' });
    const walkIn = await signUp(s.app, 'walk-in@example.com');
    expect(walkIn.viewer.emailVerified).toBe(false);
    await admin.admin.signup.invite.mutate({ email: 'vip@example.com' });
    const invite = tokenOf(
      linkIn((await mailbox.waitFor('vip@example.com', { link: 'sign-up' })).text, 'sign-up'),
    );
    expect((await signUp(s.app, 'vip@example.com', { invite })).viewer.emailVerified).toBe(true);
    expect(
      await count(s, "select count(*) as n from audit_events where action = 'signup.mode_set'"),
    ).toBe(2);
  });
});
