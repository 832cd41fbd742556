import { TRPCError } from '@trpc/server';
import { afterEach, describe, expect, it } from 'vitest';
import { passwordPolicyViolations } from '../src/auth/password.ts';
import { createAccount } from '../src/domain/users/create-user.ts';
import type { DomainError } from '../src/errors.ts';
import { Browser, type EngineTestApi, openTestApi, STRONG_PASSWORD, signedUp } from './harness.ts';

describe('sign up', () => {
  let api: EngineTestApi;
  afterEach(() => api.destroy());

  const count = async (table: 'users' | 'audit_events') => {
    const [row] = await api.sql<{ n: number }>(`select count(*) as n from ${table}`);
    return Number(row!.n);
  };

  it('makes the first account ever the platform owner, and nobody after it', async () => {
    api = await openTestApi();
    const first = await signedUp(api, 'first@example.com');
    const second = await signedUp(api, 'second@example.com');
    expect(first.viewer.isPlatformAdmin).toBe(true);
    expect(second.viewer.isPlatformAdmin).toBe(false);
    expect((await api.caller(first.browser).auth.me())?.isPlatformAdmin).toBe(true);
    expect(await api.sql('select tenant_id, user_id, role from tenant_members')).toEqual([
      { tenant_id: 'platform', user_id: first.viewer.user.id, role: 'owner' },
    ]);

    // Deleting the owner does not promote the next sign-up.
    await api.sql('delete from users');
    expect((await signedUp(api, 'third@example.com')).viewer.isPlatformAdmin).toBe(false);
  });

  it('gives the owner role to exactly one of many simultaneous first sign-ups', async () => {
    api = await openTestApi();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        api
          .caller(new Browser())
          .auth.signUp({ email: `race${i}@example.com`, password: STRONG_PASSWORD }),
      ),
    );
    expect(results.filter((r) => r.isPlatformAdmin)).toHaveLength(1);
  });

  it('refuses a taken email (any case) and writes nothing', async () => {
    api = await openTestApi();
    await signedUp(api, 'taken@example.com');
    const audits = await count('audit_events');
    const error = await api
      .caller()
      .auth.signUp({ email: 'Taken@Example.com', password: STRONG_PASSWORD })
      .catch((e: TRPCError) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe('CONFLICT');
    expect(((error as TRPCError).cause as DomainError).details.fieldErrors).toEqual({
      email: ['EMAIL_TAKEN'],
    });
    expect(await count('users')).toBe(1);
    expect(await count('audit_events')).toBe(audits);
  });

  it('records the sign-up and the free mark in the audit log', async () => {
    api = await openTestApi();
    const { viewer } = await signedUp(api, 'audited@example.com');
    const actions = (await api.stores.ops.listAudit({})).events;
    expect(actions.map((a) => a.action).sort()).toEqual(['membership.granted', 'user.created']);
    expect(actions.find((a) => a.action === 'user.created')).toMatchObject({
      subjectType: 'user',
      subjectId: viewer.user.id,
      ip: '203.0.113.7',
    });
    expect(actions.find((a) => a.action === 'membership.granted')?.data).toMatchObject({
      markKey: 'free',
      source: 'signup',
    });
  });

  it('stores an argon2id hash with OWASP parameters, never the password', async () => {
    api = await openTestApi();
    await signedUp(api, 'argon@example.com');
    const [row] = await api.sql<{ password_hash: string }>('select password_hash from users');
    const passwordHash = row!.password_hash;
    expect(passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(passwordHash).not.toContain(STRONG_PASSWORD);
  });

  it('applies the password policy on every path, including the CLI', async () => {
    api = await openTestApi();
    expect(passwordPolicyViolations('short')).toEqual(['PASSWORD_TOO_SHORT']);
    expect(passwordPolicyViolations('x'.repeat(129))).toEqual(['PASSWORD_TOO_LONG']);
    expect(passwordPolicyViolations('😀'.repeat(128))).toEqual([]);
    for (const common of ['password', '12345678', 'Qwertyuiop', 'iloveyou', 'sunshine']) {
      expect(passwordPolicyViolations(common), common).toEqual(['PASSWORD_TOO_COMMON']);
    }
    expect(passwordPolicyViolations('me@example.com', 'me@example.com')).toEqual([
      'PASSWORD_IS_EMAIL',
    ]);
    await expect(
      createAccount(api.stores, {
        email: 'cli@example.com',
        password: 'password1',
        now: new Date(),
      }),
    ).rejects.toMatchObject({
      code: 'WEAK_PASSWORD',
      details: { fieldErrors: { password: ['PASSWORD_TOO_COMMON'] } },
    });
    expect(await count('users')).toBe(0);
  });
});
