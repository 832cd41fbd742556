// Two factors over real HTTP and from the CLI (decision 024): the password step sets no cookie and
// answers a pending token, the code step sets the session cookie; a key other than the one that
// sealed a secret cannot open it; `user:2fa-reset` lets a locked-out user in with the password
// alone, audited with the operator as the actor.
import { userInfo } from 'node:os';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { generateHOTP, generateTOTP } from '@oslojs/otp';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp } from '../src/app.ts';
import {
  CookieFetch,
  cliRunner,
  fakeWebDist,
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

const totp = (secret: string) => generateTOTP(decodeBase32IgnorePadding(secret), 30, 6);
/** The next 30-second step's code: past the step an enrolment just used, within the drift. */
const nextCode = (secret: string) =>
  generateHOTP(decodeBase32IgnorePadding(secret), BigInt(Math.floor(Date.now() / 30_000) + 1), 6);

async function enrolledOver(running: TestServer, email: string) {
  const tab = new CookieFetch(running.url);
  const client = trpcClient(running.url, tab);
  await client.auth.signUp.mutate({ email, password: STRONG_PASSWORD });
  const { secret } = await client.twoFactor.startEnrolment.mutate();
  const { recoveryCodes } = await client.twoFactor.confirmEnrolment.mutate({ code: totp(secret) });
  return { secret, recoveryCodes };
}

describe('two factors over HTTP', () => {
  it('sets the session cookie only at the code step', async () => {
    server = await startTestServer({ twoFactor: { encryptionKey: 'a-test-key-of-some-length' } });
    const { secret } = await enrolledOver(server, 'http@example.com');

    const tab = new CookieFetch(server.url);
    const client = trpcClient(server.url, tab);
    const first = await client.auth.signIn.mutate({
      email: 'http@example.com',
      password: STRONG_PASSWORD,
    });
    expect(first.status).toBe('second_factor_required');
    expect(tab.setCookieHeaders).toEqual([]);
    expect(await client.auth.me.query()).toBeNull();
    if (first.status !== 'second_factor_required') return;
    // The pending token is not a session token in disguise: as a cookie it opens nothing.
    const impostor = new CookieFetch(server.url);
    impostor.jar.set('tessera_session', first.pendingToken);
    expect(await trpcClient(server.url, impostor).auth.me.query()).toBeNull();

    // The enrolment used this step's code; the next step's is within the drift window.
    const code = nextCode(secret);
    const second = await client.auth.signInSecondFactor.mutate({
      pendingToken: first.pendingToken,
      code,
    });
    expect(second.user.email).toBe('http@example.com');
    expect(tab.setCookieHeaders.some((line) => line.startsWith('tessera_session='))).toBe(true);
    expect((await client.auth.me.query())?.user.email).toBe('http@example.com');
  });

  it('refuses TOTP codes for secrets sealed under another key; recovery codes still work', async () => {
    const first = await startTestServer({ twoFactor: { encryptionKey: 'the-first-key-0123456' } });
    const { secret, recoveryCodes } = await enrolledOver(first, 'rekeyed@example.com');
    await first.close();
    // The operator changed TWO_FACTOR_ENCRYPTION_KEY: the same database under a new key.
    const reopened = await startApp({
      host: '127.0.0.1',
      webDistDir: fakeWebDist(),
      ...first.storage.config,
      twoFactor: { encryptionKey: 'a-different-key-6789' },
    });
    server = {
      ...reopened,
      databasePath: first.databasePath,
      storage: first.storage,
      async stop() {
        await reopened.close();
        await first.storage.close();
      },
    };
    const tab = new CookieFetch(reopened.url);
    const client = trpcClient(reopened.url, tab);
    const answer = await client.auth.signIn.mutate({
      email: 'rekeyed@example.com',
      password: STRONG_PASSWORD,
    });
    if (answer.status !== 'second_factor_required') throw new Error('expected the code step');
    const refused = await client.auth.signInSecondFactor
      .mutate({ pendingToken: answer.pendingToken, code: nextCode(secret) })
      .then(
        () => null,
        (e: { data?: { domainCode?: string } }) => e.data?.domainCode,
      );
    expect(refused).toBe('TWO_FACTOR_CODE_INVALID');
    await client.auth.signInSecondFactor.mutate({
      pendingToken: answer.pendingToken,
      code: recoveryCodes[0]!,
    });
    expect((await client.auth.me.query())?.user.email).toBe('rekeyed@example.com');
  });
});

describe('user:2fa-reset', () => {
  it('turns 2FA off for a locked-out user, audited as the operator', async () => {
    server = await startTestServer();
    await enrolledOver(server, 'locked@example.com');
    const running = server;
    const cli = cliRunner(() => running.storage.config);

    expect(await cli.run('user:2fa-reset', 'LOCKED@example.com', '--json')).toBe(0);
    expect(cli.json()).toMatchObject({ email: 'locked@example.com', wasEnabled: true });
    const client = trpcClient(server.url, new CookieFetch(server.url));
    const answer = await client.auth.signIn.mutate({
      email: 'locked@example.com',
      password: STRONG_PASSWORD,
    });
    expect(answer.status).toBe('signed_in');
    // listAudit's `action` filter drops `_`, so the whole log, filtered here.
    const { events } = await server.storage.stores.ops.listAudit({ limit: 500 });
    const resets = events.filter((event) => event.action === 'two_factor.reset');
    expect(resets.map(({ actorLabel, data }) => ({ actorLabel, data }))).toEqual([
      { actorLabel: `cli:${userInfo().username}`, data: { wasEnabled: true } },
    ]);

    expect(await cli.run('user:2fa-reset', 'nobody@example.com', '--json')).toBe(1);
    expect(cli.json().error).toMatchObject({ code: 'NOT_FOUND' });
  });
});
