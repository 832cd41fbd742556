// TOTP two-factor authentication (decision 024): enrolment, the code step of sign-in, replay and
// recovery codes, throttling, the pending token and the admin rule. Codes are computed from the
// secret the API hands out, with @oslojs/otp, at the test's clock.

import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { generateHOTP } from '@oslojs/otp';
import { TRPCError } from '@trpc/server';
import { afterEach, describe, expect, it } from 'vitest';
import type { DomainError } from '../src/errors.ts';
import { Browser, type EngineTestApi, openTestApi, STRONG_PASSWORD, signedUp } from './harness.ts';

let api: EngineTestApi;
afterEach(() => api.destroy());

function codeAt(secret: string, now: Date, stepOffset = 0): string {
  const step = Math.floor(now.getTime() / 30_000) + stepOffset;
  return generateHOTP(decodeBase32IgnorePadding(secret), BigInt(step), 6);
}

async function domainFailure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => expect.fail('expected a failure'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return (error as TRPCError).cause as DomainError;
}

/** A signed-up account with TOTP on; returns its secret and recovery codes. */
async function enrolled(email: string) {
  const { browser, viewer } = await signedUp(api, email);
  const account = api.caller(browser).twoFactor;
  const { secret } = await account.startEnrolment();
  const { recoveryCodes } = await account.confirmEnrolment({
    code: codeAt(secret, api.clock.now),
  });
  // The enrolment code's step is used up; later codes come from later steps.
  api.clock.advance(30_000);
  return { browser, userId: viewer.user.id, secret, recoveryCodes };
}

async function passwordStep(email: string, browser = new Browser()) {
  const answer = await api.caller(browser).auth.signIn({ email, password: STRONG_PASSWORD });
  if (answer.status !== 'second_factor_required') throw new Error('expected the code step');
  return { browser, pendingToken: answer.pendingToken, expiresAt: answer.expiresAt };
}

/** The audit events about a user, oldest first. */
async function auditActions(userId: string) {
  const { events } = await api.stores.ops.listAudit({ subjectId: userId, limit: 200 });
  return events.reverse().map(({ action, data }) => ({ action, data }));
}

describe('enrolment', () => {
  it('turns TOTP on only with a valid code for the new secret, and shows the secret once', async () => {
    api = await openTestApi();
    const { browser, viewer } = await signedUp(api, 'ada@example.com');
    const account = api.caller(browser).twoFactor;
    const { secret, uri } = await account.startEnrolment();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const otpauth = new URL(uri);
    expect(otpauth.protocol).toBe('otpauth:');
    expect(otpauth.searchParams.get('secret')).toBe(secret);
    expect(otpauth.searchParams.get('issuer')).toBe('Tessera');

    const wrong = String((Number(codeAt(secret, api.clock.now)) + 1) % 1_000_000).padStart(6, '0');
    const refused = await domainFailure(account.confirmEnrolment({ code: wrong }));
    expect(refused.code).toBe('TWO_FACTOR_CODE_INVALID');
    expect(refused.details.fieldErrors).toEqual({ code: ['TWO_FACTOR_CODE_INVALID'] });
    expect(await account.status()).toMatchObject({ enabled: false, recoveryCodesLeft: 0 });
    // Nothing changed at sign-in either: the password alone still signs in.
    const plain = await api
      .caller()
      .auth.signIn({ email: 'ada@example.com', password: STRONG_PASSWORD });
    expect(plain.status).toBe('signed_in');

    const { recoveryCodes } = await account.confirmEnrolment({
      code: codeAt(secret, api.clock.now),
    });
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
    expect(await account.status()).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });

    // The secret is sealed at rest: neither its bytes nor its text are in the row.
    const [row] = await api.sql<{ secret_box: Buffer }>(
      'select secret_box from user_totp where user_id = $1',
      [viewer.user.id],
    );
    const key = Buffer.from(decodeBase32IgnorePadding(secret));
    expect(row!.secret_box.length).toBeGreaterThan(key.length);
    expect(row!.secret_box.includes(key)).toBe(false);
    expect(row!.secret_box.toString('latin1')).not.toContain(secret);
    // And an enabled factor is never replaced or shown again from Account.
    expect((await domainFailure(account.startEnrolment())).code).toBe('CONFLICT');
    expect((await auditActions(viewer.user.id)).map((a) => a.action)).toContain(
      'two_factor.enabled',
    );
  });
});

describe('signing in with a second factor', () => {
  it('asks for a code after the password and starts the session only with it', async () => {
    api = await openTestApi();
    const { secret, userId } = await enrolled('grace@example.com');
    const { browser, pendingToken, expiresAt } = await passwordStep('grace@example.com');
    expect(browser.get('tessera_session')).toBeUndefined();
    expect(await api.caller(browser).auth.me()).toBeNull();
    expect(expiresAt.getTime() - api.clock.now.getTime()).toBe(5 * 60_000);

    const viewer = await api
      .caller(browser)
      .auth.signInSecondFactor({ pendingToken, code: codeAt(secret, api.clock.now) });
    expect(viewer).toMatchObject({ status: 'signed_in', user: { email: 'grace@example.com' } });
    expect((await api.caller(browser).auth.me())?.user.id).toBe(userId);
    const created = (await auditActions(userId))
      .filter((a) => a.action === 'session.created')
      .at(-1);
    expect(created?.data).toMatchObject({ method: 'password', secondFactor: 'totp' });
  });

  it('answers a wrong password exactly as for an account without 2FA', async () => {
    api = await openTestApi();
    await enrolled('with@example.com');
    await signedUp(api, 'without@example.com');
    const withTotp = await domainFailure(
      api.caller().auth.signIn({ email: 'with@example.com', password: 'not-the-password-1' }),
    );
    const withoutTotp = await domainFailure(
      api.caller().auth.signIn({ email: 'without@example.com', password: 'not-the-password-1' }),
    );
    expect(withTotp.code).toBe('INVALID_CREDENTIALS');
    expect(withTotp.message).toBe(withoutTotp.message);
  });

  it('refuses a code used before, even in a new sign-in, and takes the next one', async () => {
    api = await openTestApi();
    const { secret } = await enrolled('replay@example.com');
    const code = codeAt(secret, api.clock.now);
    const first = await passwordStep('replay@example.com');
    await api
      .caller(first.browser)
      .auth.signInSecondFactor({ pendingToken: first.pendingToken, code });

    const second = await passwordStep('replay@example.com');
    const replayed = await domainFailure(
      api
        .caller(second.browser)
        .auth.signInSecondFactor({ pendingToken: second.pendingToken, code }),
    );
    expect(replayed.code).toBe('TWO_FACTOR_CODE_INVALID');
    expect(second.browser.get('tessera_session')).toBeUndefined();
    // The previous step's code is older than the one used: refused too.
    const older = codeAt(secret, api.clock.now, -1);
    const olderAnswer = await domainFailure(
      api
        .caller(second.browser)
        .auth.signInSecondFactor({ pendingToken: second.pendingToken, code: older }),
    );
    expect(olderAnswer.code).toBe('TWO_FACTOR_CODE_INVALID');

    api.clock.advance(30_000);
    await api.caller(second.browser).auth.signInSecondFactor({
      pendingToken: second.pendingToken,
      code: codeAt(secret, api.clock.now),
    });
    expect(second.browser.get('tessera_session')).toBeDefined();
  });

  it('takes each recovery code once, audited', async () => {
    api = await openTestApi();
    const { recoveryCodes, userId, browser: enrolledIn } = await enrolled('lost@example.com');
    const code = recoveryCodes[3]!.toUpperCase();
    const first = await passwordStep('lost@example.com');
    await api
      .caller(first.browser)
      .auth.signInSecondFactor({ pendingToken: first.pendingToken, code });
    expect(first.browser.get('tessera_session')).toBeDefined();

    const second = await passwordStep('lost@example.com');
    const again = await domainFailure(
      api
        .caller(second.browser)
        .auth.signInSecondFactor({ pendingToken: second.pendingToken, code }),
    );
    expect(again.code).toBe('TWO_FACTOR_CODE_INVALID');
    expect((await api.caller(enrolledIn).twoFactor.status()).recoveryCodesLeft).toBe(9);
    const used = (await auditActions(userId)).filter(
      (a) => a.action === 'two_factor.recovery_code_used',
    );
    expect(used).toEqual([{ action: 'two_factor.recovery_code_used', data: { remaining: 9 } }]);
  });

  it('throttles wrong codes per account, and a right password buys no more guesses', async () => {
    api = await openTestApi();
    const { secret } = await enrolled('target@example.com');
    for (let i = 0; i < 5; i++) {
      // A fresh password step each time: the code bucket is not the password bucket.
      const attempt = await passwordStep('target@example.com');
      const wrong = await domainFailure(
        api
          .caller(attempt.browser)
          .auth.signInSecondFactor({ pendingToken: attempt.pendingToken, code: '000000' }),
      );
      expect(wrong.code).toBe('TWO_FACTOR_CODE_INVALID');
    }
    const next = await passwordStep('target@example.com');
    const limited = await domainFailure(
      api.caller(next.browser).auth.signInSecondFactor({
        pendingToken: next.pendingToken,
        code: codeAt(secret, api.clock.now),
      }),
    );
    expect(limited.code).toBe('TOO_MANY_ATTEMPTS');
    expect(limited.details.retryAfterSeconds).toBeGreaterThan(0);
    expect(next.browser.get('tessera_session')).toBeUndefined();

    // Two minutes refill one guess (30 an hour); the right code then signs in.
    api.clock.advance(120_000);
    await api.caller(next.browser).auth.signInSecondFactor({
      pendingToken: next.pendingToken,
      code: codeAt(secret, api.clock.now),
    });
    expect(next.browser.get('tessera_session')).toBeDefined();
  });

  it('lets a pending token expire after 5 minutes and work only once', async () => {
    api = await openTestApi();
    const { secret } = await enrolled('pending@example.com');
    const stale = await passwordStep('pending@example.com');
    api.clock.advance(5 * 60_000);
    const expired = await domainFailure(
      api.caller(stale.browser).auth.signInSecondFactor({
        pendingToken: stale.pendingToken,
        code: codeAt(secret, api.clock.now),
      }),
    );
    expect(expired.code).toBe('TWO_FACTOR_CHALLENGE_INVALID');

    const fresh = await passwordStep('pending@example.com');
    await api.caller(fresh.browser).auth.signInSecondFactor({
      pendingToken: fresh.pendingToken,
      code: codeAt(secret, api.clock.now),
    });
    api.clock.advance(30_000);
    const thief = new Browser('198.51.100.9');
    const reused = await domainFailure(
      api.caller(thief).auth.signInSecondFactor({
        pendingToken: fresh.pendingToken,
        code: codeAt(secret, api.clock.now),
      }),
    );
    expect(reused.code).toBe('TWO_FACTOR_CHALLENGE_INVALID');
    expect(thief.get('tessera_session')).toBeUndefined();

    const forged = await domainFailure(
      api.caller().auth.signInSecondFactor({
        pendingToken: `${fresh.pendingToken.slice(0, 25)}${'a'.repeat(32)}`,
        code: codeAt(secret, api.clock.now),
      }),
    );
    expect(forged.code).toBe('TWO_FACTOR_CHALLENGE_INVALID');
  });
});

describe('living with 2FA', () => {
  it('turns off only with a current code, then the password alone signs in', async () => {
    api = await openTestApi();
    const { browser, secret, userId } = await enrolled('off@example.com');
    const account = api.caller(browser).twoFactor;
    expect((await domainFailure(account.disable({ code: '123456' }))).code).toBe(
      'TWO_FACTOR_CODE_INVALID',
    );
    expect((await account.status()).enabled).toBe(true);
    await account.disable({ code: codeAt(secret, api.clock.now) });
    expect((await account.status()).enabled).toBe(false);
    const plain = await api
      .caller()
      .auth.signIn({ email: 'off@example.com', password: STRONG_PASSWORD });
    expect(plain.status).toBe('signed_in');
    expect(
      (await auditActions(userId)).find((a) => a.action === 'two_factor.disabled')?.data,
    ).toEqual({
      confirmedWith: 'totp',
    });
  });

  it('deleting the account asks for a code too; a wrong one deletes nothing', async () => {
    api = await openTestApi();
    await signedUp(api, 'owner@example.com'); // the first account owns the platform
    const { browser, secret, userId } = await enrolled('leaver@example.com');
    const privacy = api.caller(browser).privacy;
    const confirm = { email: 'leaver@example.com', password: STRONG_PASSWORD };
    const deletedAt = async () => {
      const [row] = await api.sql<{ deleted_at: unknown }>(
        'select deleted_at from users where id = $1',
        [userId],
      );
      return row!.deleted_at;
    };
    const missing = await domainFailure(privacy.deleteAccount(confirm));
    expect(missing.details?.fieldErrors).toEqual({ code: ['REQUIRED'] });
    const wrong = await domainFailure(privacy.deleteAccount({ ...confirm, code: '000000' }));
    expect(wrong.code).toBe('TWO_FACTOR_CODE_INVALID');
    expect(await deletedAt()).toBeNull();
    await privacy.deleteAccount({ ...confirm, code: codeAt(secret, api.clock.now) });
    expect(await deletedAt()).not.toBeNull();
  });

  it('a password reset ends a sign-in waiting for its code', async () => {
    api = await openTestApi();
    await enrolled('reset@example.com');
    const { pendingToken } = await passwordStep('reset@example.com');
    const { link } = await api.stores.account.sendPasswordReset({
      email: 'reset@example.com',
      baseUrl: 'http://localhost:3000',
      now: api.clock.now,
      actorLabel: 'test',
    });
    await api.caller().auth.resetPassword({
      token: new URL(link).searchParams.get('token')!,
      password: 'a-brand-new-passphrase-9',
    });
    const stale = await domainFailure(
      api.caller().auth.signInSecondFactor({ pendingToken, code: '123456' }),
    );
    expect(stale.code).toBe('TWO_FACTOR_CHALLENGE_INVALID');
  });

  it('regenerates recovery codes with a code; the old ones stop working', async () => {
    api = await openTestApi();
    const { browser, secret, recoveryCodes } = await enrolled('fresh-codes@example.com');
    const account = api.caller(browser).twoFactor;
    const { recoveryCodes: renewed } = await account.regenerateRecoveryCodes({
      code: codeAt(secret, api.clock.now),
    });
    expect(renewed).toHaveLength(10);
    const old = await passwordStep('fresh-codes@example.com');
    const refused = await domainFailure(
      api
        .caller(old.browser)
        .auth.signInSecondFactor({ pendingToken: old.pendingToken, code: recoveryCodes[0]! }),
    );
    expect(refused.code).toBe('TWO_FACTOR_CODE_INVALID');
    await api
      .caller(old.browser)
      .auth.signInSecondFactor({ pendingToken: old.pendingToken, code: renewed[0]! });
    expect(old.browser.get('tessera_session')).toBeDefined();
  });
});

describe('the admin rule', () => {
  it('is off by default: an admin without 2FA uses the console', async () => {
    api = await openTestApi();
    const { browser } = await signedUp(api, 'root@example.com');
    await expect(api.caller(browser).admin.users.list({})).resolves.toBeDefined();
  });

  it('when on, refuses admin procedures until the admin enrols; members are unaffected', async () => {
    api = await openTestApi({ adminTwoFactorRequired: true });
    const { browser } = await signedUp(api, 'root@example.com');
    const { browser: member } = await signedUp(api, 'member@example.com');
    const refused = await domainFailure(api.caller(browser).admin.users.list({}));
    expect(refused.code).toBe('TWO_FACTOR_REQUIRED');
    expect(await api.caller(browser).twoFactor.status()).toMatchObject({
      enabled: false,
      requiredForAdmin: true,
    });
    // A member still gets FORBIDDEN (not a hint to enrol), and their own pages work.
    expect((await domainFailure(api.caller(member).admin.users.list({}))).code).toBe('FORBIDDEN');
    await expect(api.caller(member).usage.summary()).resolves.toBeDefined();

    const { secret } = await api.caller(browser).twoFactor.startEnrolment();
    await api.caller(browser).twoFactor.confirmEnrolment({ code: codeAt(secret, api.clock.now) });
    await expect(api.caller(browser).admin.users.list({})).resolves.toBeDefined();
  });
});
