// Mail and password reset over real HTTP, with a real SMTP server on loopback receiving the mails
// (issue 14): the reset mail in both languages with both parts, the link works once and for 30
// minutes, old sessions end, an unknown address answers the same and gets nothing, throttling, the
// queue's retries and failure state, and the development outbox without SMTP_URL. On both engines
// (the CLI's reset, which opens the SQLite file: mail.password-reset-cli.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STRONG_PASSWORD } from './harness.ts';
import {
  MINUTE,
  NEW_PASSWORD,
  outboxRows,
  PUBLIC_URL,
  refusal,
  type Started,
  signUp,
  start,
  stop,
  tab,
  until,
} from './mail-reset-support.ts';
import { linkIn, Mailbox, tokenOf } from './mail-support.ts';

describe('with SMTP_URL: mails go to the SMTP server', () => {
  const mailbox = new Mailbox();
  let s: Started;
  let admin: ReturnType<typeof tab>;

  beforeAll(async () => {
    await mailbox.start();
    s = await start({ smtpUrl: mailbox.url });
    admin = await signUp(s.app, 'root@example.com'); // the first account: the platform admin
  });
  afterAll(async () => {
    await stop(s);
    await mailbox.stop();
  });

  it('sends the reset mail in English, text and HTML, with a link on PUBLIC_URL', async () => {
    await signUp(s.app, 'ada@example.com', 'en');
    const answer = await tab(s.app).client.auth.requestPasswordReset.mutate({
      email: ' Ada@Example.com ',
    });
    expect(answer).toEqual({ ok: true });
    const mail = await mailbox.waitFor('ada@example.com', { link: 'reset-password' });
    expect(mailbox.logins, 'SMTP_URL credentials are used').toContain('tessera');
    expect(mail.from?.value[0]).toMatchObject({
      name: 'Tessera',
      address: 'no-reply@tessera.test',
    });
    expect(mail.subject).toBe('Reset your Tessera password');
    const link = linkIn(mail.text);
    expect(link.startsWith(`${PUBLIC_URL}/reset-password?token=`)).toBe(true);
    expect(mail.text).toContain('30 minutes');
    expect(mail.html).toContain(`href="${link}"`);
    expect(mail.html).toContain('Set a new password');
    // The SMTP server holds the mail a moment before the sender hears its 250 and records it.
    await until(
      'the row marked sent',
      async () => (await outboxRows(s, 'ada@example.com'))[0]?.status === 'sent',
    );
  });

  it('writes in the language the user reads the app in (zh-CN)', async () => {
    const li = await signUp(s.app, 'li@example.com');
    await li.client.auth.setLocale.mutate({ locale: 'zh-CN' }); // the SPA's language switch
    // The stored language wins over the language of the page the request came from.
    await tab(s.app).client.auth.requestPasswordReset.mutate({
      email: 'li@example.com',
      locale: 'en',
    });
    const mail = await mailbox.waitFor('li@example.com', { link: 'reset-password' });
    expect(mail.subject).toBe('重置您的 Tessera 密码');
    expect(mail.text).toContain('30 分钟内有效');
    expect(mail.html).toContain('设置新密码');
    expect(mail.html).toContain(linkIn(mail.text));
    expect(mail.headers.get('content-language')).toBe('zh-CN');
  });

  it('the link sets a new password once, ends every session, and the new password signs in', async () => {
    const email = 'grace@example.com';
    const first = await signUp(s.app, email);
    const second = tab(s.app);
    await second.client.auth.signIn.mutate({ email, password: STRONG_PASSWORD });
    expect(await second.client.auth.me.query()).not.toBeNull();

    await tab(s.app).client.auth.requestPasswordReset.mutate({ email });
    const token = tokenOf(linkIn((await mailbox.waitFor(email, { link: 'reset-password' })).text));
    const visitor = tab(s.app);
    const weak = await refusal(
      visitor.client.auth.resetPassword.mutate({ token, password: 'password123' }),
    );
    expect(weak.domainCode).toBe('WEAK_PASSWORD');
    expect(
      await visitor.client.auth.resetPassword.mutate({ token, password: NEW_PASSWORD }),
    ).toEqual({ sessionsEnded: 2 });
    expect(await first.client.auth.me.query(), 'the first session ended').toBeNull();
    expect(await second.client.auth.me.query(), 'the second session ended').toBeNull();

    const again = await refusal(
      visitor.client.auth.resetPassword.mutate({ token, password: 'yet-another-passphrase-7' }),
    );
    expect(again).toMatchObject({ domainCode: 'RESET_LINK_INVALID', details: { reason: 'used' } });

    const old = await refusal(
      tab(s.app).client.auth.signIn.mutate({ email, password: STRONG_PASSWORD }),
    );
    expect(old.domainCode).toBe('INVALID_CREDENTIALS');
    const fresh = tab(s.app);
    await fresh.client.auth.signIn.mutate({ email, password: NEW_PASSWORD });
    expect((await fresh.client.auth.me.query())?.user.email).toBe(email);

    const audit = await s.storage.sql<{ data: unknown }>(
      "select data from audit_events where action = 'user.password_reset'",
    );
    // jsonb comes back parsed from PostgreSQL, text from SQLite.
    const ended = audit.map(
      (a) => (typeof a.data === 'string' ? JSON.parse(a.data) : a.data).sessionsEnded,
    );
    expect(ended).toContain(2);
  });

  it('of two uses racing, exactly one sets the password', async () => {
    const email = 'racer@example.com';
    await signUp(s.app, email);
    await tab(s.app).client.auth.requestPasswordReset.mutate({ email });
    const token = tokenOf(linkIn((await mailbox.waitFor(email, { link: 'reset-password' })).text));
    const results = await Promise.allSettled(
      ['first-racing-passphrase-1', 'second-racing-passphrase-2'].map((password) =>
        tab(s.app).client.auth.resetPassword.mutate({ token, password }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const [used] = await s.storage.sql<{ n: number | string }>(
      'select count(*) as n from password_reset_tokens t join users u on u.id = t.user_id where u.email = $1 and t.used_at is not null',
      [email],
    );
    expect(Number(used?.n)).toBe(1);
  });

  it('a link expires after 30 minutes', async () => {
    const email = 'late@example.com';
    await signUp(s.app, email);
    await tab(s.app).client.auth.requestPasswordReset.mutate({ email });
    const token = tokenOf(linkIn((await mailbox.waitFor(email, { link: 'reset-password' })).text));
    s.clock.skip += 30 * MINUTE + 1000;
    const expired = await refusal(
      tab(s.app).client.auth.resetPassword.mutate({ token, password: NEW_PASSWORD }),
    );
    expect(expired).toMatchObject({
      domainCode: 'RESET_LINK_INVALID',
      details: { reason: 'expired' },
    });
    const still = tab(s.app);
    await still.client.auth.signIn.mutate({ email, password: STRONG_PASSWORD });
  });

  it('a made-up token is refused', async () => {
    const made = await refusal(
      tab(s.app).client.auth.resetPassword.mutate({
        token: `${'a'.repeat(24)}.${'b'.repeat(32)}`,
        password: NEW_PASSWORD,
      }),
    );
    expect(made).toMatchObject({
      domainCode: 'RESET_LINK_INVALID',
      details: { reason: 'unknown' },
    });
  });

  it('an unknown address gets the same answer and no mail', async () => {
    const answer = await tab(s.app).client.auth.requestPasswordReset.mutate({
      email: 'nobody@example.com',
    });
    expect(answer).toEqual({ ok: true });
    await s.app.mailSender.flush();
    expect(await outboxRows(s, 'nobody@example.com')).toEqual([]);
    expect(mailbox.to('nobody@example.com')).toEqual([]);
  });

  it('is throttled per address and per network', async () => {
    const email = 'target@example.com';
    await signUp(s.app, email);
    for (let i = 0; i < 3; i++) await tab(s.app).client.auth.requestPasswordReset.mutate({ email });
    const byAddress = await refusal(tab(s.app).client.auth.requestPasswordReset.mutate({ email }));
    expect(byAddress.domainCode).toBe('TOO_MANY_ATTEMPTS');
    expect(byAddress.retryAfterSeconds).toBeGreaterThan(0);
    // Unknown addresses are throttled the same way (the answer must not tell them apart).
    const ghost = tab(s.app);
    for (let i = 0; i < 3; i++)
      await ghost.client.auth.requestPasswordReset.mutate({ email: 'ghost@example.com' });
    const ghostRefusal = await refusal(
      ghost.client.auth.requestPasswordReset.mutate({ email: 'ghost@example.com' }),
    );
    expect(ghostRefusal.domainCode).toBe('TOO_MANY_ATTEMPTS');

    const spray = tab(s.app, '203.0.113.200');
    for (let i = 0; i < 10; i++)
      await spray.client.auth.requestPasswordReset.mutate({ email: `spray${i}@example.com` });
    const byNetwork = await refusal(
      spray.client.auth.requestPasswordReset.mutate({ email: 'spray-more@example.com' }),
    );
    expect(byNetwork.domainCode).toBe('TOO_MANY_ATTEMPTS');
    await until(
      'the throttled mails',
      async () => mailbox.to(email, 'reset-password').length === 3,
    );
    expect(await outboxRows(s, email)).toHaveLength(3);
  });

  it('retries while the SMTP server is down, then delivers', async () => {
    const email = 'patient@example.com';
    await signUp(s.app, email);
    await mailbox.stop();
    try {
      await tab(s.app).client.auth.requestPasswordReset.mutate({ email });
      const failing = await until('a failed attempt', async () => {
        const row = (await outboxRows(s, email))[0];
        return row && row.attempts >= 1 && row.last_error ? row : undefined;
      });
      expect(failing.status).toBe('queued');
      expect(failing.last_error).toMatch(/ECONNREFUSED|connect/i);
    } finally {
      await mailbox.start();
    }
    const mail = await mailbox.waitFor(email, { link: 'reset-password' });
    expect(linkIn(mail.text)).toContain('/reset-password?token=');
    const row = await until('the row marked sent', async () => {
      const sent = (await outboxRows(s, email))[0];
      return sent?.status === 'sent' ? sent : undefined;
    });
    expect(row.attempts).toBeGreaterThanOrEqual(2);
  });

  it('marks a mail failed after the attempt limit, with the error in the admin outbox', async () => {
    const email = 'unlucky@example.com';
    await signUp(s.app, email);
    await mailbox.stop();
    try {
      await tab(s.app).client.auth.requestPasswordReset.mutate({ email });
      await until(
        'the failed state',
        async () => (await outboxRows(s, email))[0]?.status === 'failed',
      );
      await new Promise((r) => setTimeout(r, 300)); // nothing retries a failed mail
    } finally {
      await mailbox.start();
    }
    await s.app.mailSender.flush();
    expect(mailbox.to(email)).toEqual([]);
    const outbox = await admin.client.admin.mail.outbox.query();
    const listed = outbox.find((m) => m.to === email && m.subject.startsWith('Reset'));
    expect(listed).toMatchObject({ status: 'failed', attempts: 3 });
    expect(listed?.lastError).toMatch(/ECONNREFUSED|connect/i);
  });
});

describe('without SMTP_URL: nothing leaves the machine', () => {
  const mailbox = new Mailbox(); // listening, but the app is not told about it
  let s: Started;
  let admin: ReturnType<typeof tab>;

  beforeAll(async () => {
    await mailbox.start();
    s = await start({});
    admin = await signUp(s.app, 'root@example.com');
  });
  afterAll(async () => {
    await stop(s);
    await mailbox.stop();
  });

  it('keeps the mail in the outbox that platform admins read', async () => {
    const email = 'offline@example.com';
    await signUp(s.app, email);
    await tab(s.app).client.auth.requestPasswordReset.mutate({ email });
    await s.app.mailSender.flush();
    const outbox = await admin.client.admin.mail.outbox.query();
    const listed = outbox.find((m) => m.to === email && m.subject.startsWith('Reset'));
    expect(listed).toMatchObject({ status: 'logged', subject: 'Reset your Tessera password' });
    const token = tokenOf(linkIn(listed?.text));
    expect(mailbox.mails).toEqual([]); // not even the verification mails
    await tab(s.app).client.auth.resetPassword.mutate({ token, password: NEW_PASSWORD });

    const member = await signUp(s.app, 'member@example.com');
    const denied = await refusal(member.client.admin.mail.outbox.query());
    expect(denied.domainCode).toBe('FORBIDDEN');
  });
});
