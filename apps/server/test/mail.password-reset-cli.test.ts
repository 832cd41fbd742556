// The CLI's password reset (`user:reset-password`) beside a running app: with SMTP it queues the
// same mail and prints no link; without, it prints the link, which works. On either engine: the
// CLI opens the run's database (tests-on-postgres.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/run-cli.ts';
import {
  NEW_PASSWORD,
  outboxRows,
  PUBLIC_URL,
  type Started,
  signUp,
  start,
  stop,
  tab,
} from './mail-reset-support.ts';
import { linkIn, Mailbox, tokenOf } from './mail-support.ts';

describe('with SMTP_URL', () => {
  const mailbox = new Mailbox();
  let s: Started;

  beforeAll(async () => {
    await mailbox.start();
    s = await start({ smtpUrl: mailbox.url });
    await signUp(s.app, 'root@example.com');
  });
  afterAll(async () => {
    await stop(s);
    await mailbox.stop();
  });

  it('the CLI queues the same mail and does not print the link when SMTP is configured', async () => {
    const email = 'cli-smtp@example.com';
    await signUp(s.app, email, 'zh-CN');
    const out: string[] = [];
    const code = await runCli(['user:reset-password', email, '--json'], {
      ...s.storage.config,
      now: () => new Date(Date.now() + s.clock.skip),
      publicUrl: PUBLIC_URL,
      smtpConfigured: true,
      io: { out: (l) => out.push(l), err: (l) => out.push(l), readStdin: async () => '' },
    });
    expect(code).toBe(0);
    const printed = JSON.parse(out.join('\n'));
    expect(printed).toMatchObject({ email, smtp: true });
    expect(printed.link).toBeUndefined();
    const mail = await mailbox.waitFor(email, { link: 'reset-password' });
    expect(mail.subject).toBe('重置您的 Tessera 密码');
    const token = tokenOf(linkIn(mail.text));
    await tab(s.app).client.auth.resetPassword.mutate({ token, password: NEW_PASSWORD });
  });
});

describe('without SMTP_URL', () => {
  const mailbox = new Mailbox(); // listening, but the app is not told about it
  let s: Started;

  beforeAll(async () => {
    await mailbox.start();
    s = await start({});
    await signUp(s.app, 'root@example.com');
  });
  afterAll(async () => {
    await stop(s);
    await mailbox.stop();
  });

  it('the CLI prints the link, and it works', async () => {
    const email = 'cli-offline@example.com';
    await signUp(s.app, email);
    const out: string[] = [];
    const cli = (argv: string[]) =>
      runCli(argv, {
        ...s.storage.config,
        publicUrl: PUBLIC_URL,
        smtpConfigured: false,
        io: { out: (l) => out.push(l), err: (l) => out.push(l), readStdin: async () => '' },
      });
    expect(await cli(['user:reset-password', email, '--json'])).toBe(0);
    const printed = JSON.parse(out.join('\n'));
    expect(printed).toMatchObject({ email, smtp: false });
    expect(printed.link.startsWith(`${PUBLIC_URL}/reset-password?token=`)).toBe(true);
    await s.app.mailSender.flush();
    expect((await outboxRows(s, email))[0]?.status).toBe('logged');
    const visitor = tab(s.app);
    await visitor.client.auth.resetPassword.mutate({
      token: tokenOf(printed.link),
      password: NEW_PASSWORD,
    });
    await visitor.client.auth.signIn.mutate({ email, password: NEW_PASSWORD });

    out.length = 0;
    expect(await cli(['user:reset-password', 'nobody@example.com', '--json'])).toBe(1);
    expect(JSON.parse(out.join('\n')).error.code).toBe('NOT_FOUND');
    expect(mailbox.mails).toEqual([]); // not even the verification mails
  });
});
