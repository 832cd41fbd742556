// The sign-up CLI (decision 022) against a running server's database: `signup:mode` shows and sets
// the mode (audited as the OS user), refuses an unknown one; `signup:invite` without SMTP prints
// the link (with SMTP it would only queue the mail), and the printed link signs up the invited
// address, verified, while sign-up is invite-only.
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/run-cli.ts';
import {
  CookieFetch,
  STRONG_PASSWORD,
  startTestServer,
  type TestServer,
  trpcClient,
} from './harness.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function cli(s: TestServer, ...argv: string[]) {
  const out: string[] = [];
  const code = await runCli(argv, {
    ...s.storage.config,
    publicUrl: 'http://chat.tessera.test',
    smtpConfigured: false,
    io: { out: (l) => out.push(l), err: (l) => out.push(l), readStdin: async () => '' },
  });
  return { code, out: out.join('\n') };
}

describe('signup:mode and signup:invite', () => {
  it('sets the mode, mails (here: prints) an invite, and the invite signs up verified', async () => {
    server = await startTestServer();
    const s = server;
    const signUp = (email: string, invite?: string) =>
      trpcClient(s.url, new CookieFetch(s.url)).auth.signUp.mutate({
        email,
        password: STRONG_PASSWORD,
        invite,
      });
    await signUp('owner@example.com');

    expect(JSON.parse((await cli(s, 'signup:mode', '--json')).out)).toEqual({
      mode: 'open',
      effective: 'open',
    });
    const set = await cli(s, 'signup:mode', 'invite', '--json');
    expect(set.code).toBe(0);
    expect(JSON.parse(set.out)).toEqual({ mode: 'invite', previous: 'open' });
    const [audit] = await s.storage.sql<{ actor_label: string }>(
      "select actor_label from audit_events where action = 'signup.mode_set'",
    );
    expect(audit?.actor_label).toMatch(/^cli:/);
    const unknown = await cli(s, 'signup:mode', 'wide-open');
    expect(unknown.code).not.toBe(0);
    expect(unknown.out).toContain('open, invite, closed');

    await expect(signUp('guest@example.com')).rejects.toThrow(/invitation only/);
    const invited = await cli(s, 'signup:invite', 'Guest@Example.com', '--json');
    expect(invited.code).toBe(0);
    const printed = JSON.parse(invited.out);
    expect(printed).toMatchObject({ email: 'guest@example.com', smtp: false });
    expect(printed.link.startsWith('http://chat.tessera.test/sign-up?invite=')).toBe(true);
    const token = new URL(printed.link).searchParams.get('invite')!;
    const viewer = await signUp('guest@example.com', token);
    expect(viewer.emailVerified).toBe(true);

    const taken = await cli(s, 'signup:invite', 'guest@example.com', '--json');
    expect(taken.code).not.toBe(0);
    expect(JSON.parse(taken.out).error.code).toBe('EMAIL_TAKEN');
  });
});
