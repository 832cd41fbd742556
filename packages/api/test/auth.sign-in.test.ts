import { TRPCError } from '@trpc/server';
import { afterEach, describe, expect, it } from 'vitest';
import type { DomainError } from '../src/errors.ts';
import { Browser, type EngineTestApi, openTestApi, STRONG_PASSWORD, signedUp } from './harness.ts';

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => expect.fail('expected a failure'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

describe('sign in', () => {
  let api: EngineTestApi;
  afterEach(() => api.destroy());

  it('issues a new token at every sign-in and ends a session planted before it', async () => {
    api = await openTestApi();
    const { browser: planted } = await signedUp(api, 'victim@example.com');
    const plantedToken = planted.get('tessera_session')!;

    const victim = new Browser();
    victim.set('tessera_session', plantedToken, planted.cookies.get('tessera_session')!.options);
    await api
      .caller(victim)
      .auth.signIn({ email: 'victim@example.com', password: STRONG_PASSWORD });
    const fresh = victim.get('tessera_session')!;
    expect(fresh).not.toBe(plantedToken);

    expect(await api.caller(planted).auth.me()).toBeNull();
    expect((await api.caller(victim).auth.me())?.user.email).toBe('victim@example.com');

    const again = new Browser();
    await api
      .caller(again)
      .auth.signIn({ email: ' VICTIM@example.com ', password: STRONG_PASSWORD });
    expect(again.get('tessera_session')).not.toBe(fresh);
  });

  it('answers "no such email" and "wrong password" identically', async () => {
    api = await openTestApi();
    await signedUp(api, 'known@example.com');
    const unknown = await failure(
      api.caller().auth.signIn({ email: 'nobody@example.com', password: 'whatever-password' }),
    );
    const wrong = await failure(
      api.caller().auth.signIn({ email: 'known@example.com', password: 'whatever-password' }),
    );
    expect(unknown.code).toBe('UNAUTHORIZED');
    expect(wrong.code).toBe(unknown.code);
    expect(wrong.message).toBe(unknown.message);
    expect((wrong.cause as DomainError).code).toBe('INVALID_CREDENTIALS');
    expect((unknown.cause as DomainError).code).toBe('INVALID_CREDENTIALS');
  });

  it('signs out one session, or every session everywhere', async () => {
    api = await openTestApi();
    const { browser: laptop } = await signedUp(api, 'many@example.com');
    const phone = new Browser('198.51.100.1', 'phone');
    const tablet = new Browser('198.51.100.2', 'tablet');
    for (const b of [phone, tablet]) {
      await api.caller(b).auth.signIn({ email: 'many@example.com', password: STRONG_PASSWORD });
    }
    const listed = await api.caller(laptop).auth.sessions();
    expect(listed).toHaveLength(3);
    expect(listed.filter((s) => s.current)).toHaveLength(1);
    expect(listed.map((s) => s.userAgent).sort()).toEqual(['phone', 'tablet', 'vitest-browser']);

    await api.caller(phone).auth.signOut();
    expect(phone.get('tessera_session')).toBeUndefined();
    expect(await api.caller(phone).auth.me()).toBeNull();
    expect(await api.caller(laptop).auth.sessions()).toHaveLength(2);

    const tabletSession = (await api.caller(tablet).auth.sessions()).find((s) => s.current)!;
    await api.caller(laptop).auth.revokeSession({ id: tabletSession.id });
    expect(await api.caller(tablet).auth.me()).toBeNull();

    await api.caller(phone).auth.signIn({ email: 'many@example.com', password: STRONG_PASSWORD });
    expect(await api.caller(laptop).auth.signOutEverywhere()).toEqual({ revoked: 2 });
    expect(await api.caller(phone).auth.me()).toBeNull();
    expect(await api.caller(laptop).auth.me()).toBeNull();
  });

  it("cannot revoke another user's session", async () => {
    api = await openTestApi();
    const { browser: alice } = await signedUp(api, 'alice@example.com');
    const { browser: bob } = await signedUp(api, 'bob@example.com');
    const bobSession = (await api.caller(bob).auth.sessions())[0]!;
    const error = await failure(api.caller(alice).auth.revokeSession({ id: bobSession.id }));
    expect(error.code).toBe('NOT_FOUND');
    expect(await api.caller(bob).auth.me()).not.toBeNull();
  });

  it('refuses protected procedures without a session', async () => {
    api = await openTestApi();
    const error = await failure(api.caller().auth.sessions());
    expect(error.code).toBe('UNAUTHORIZED');
    expect((error.cause as DomainError).code).toBe('UNAUTHENTICATED');
  });
});
