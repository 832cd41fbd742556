import { auditEvents, tenantMembers, users } from '@tessera/db';
import { TRPCError } from '@trpc/server';
import { afterEach, describe, expect, it } from 'vitest';
import { passwordPolicyViolations } from '../src/auth/password.ts';
import { createUser } from '../src/domain/users/create-user.ts';
import type { DomainError } from '../src/errors.ts';
import { Browser, createTestApi, STRONG_PASSWORD, signedUp, type TestApi } from './harness.ts';

describe('sign up', () => {
  let api: TestApi;
  afterEach(() => api.destroy());

  it('makes the first account ever the platform owner, and nobody after it', async () => {
    api = createTestApi();
    const first = await signedUp(api, 'first@example.com');
    const second = await signedUp(api, 'second@example.com');
    expect(first.viewer.isPlatformAdmin).toBe(true);
    expect(second.viewer.isPlatformAdmin).toBe(false);
    expect((await api.caller(first.browser).auth.me())?.isPlatformAdmin).toBe(true);
    expect(api.db.db.select().from(tenantMembers).all()).toMatchObject([
      { tenantId: 'platform', userId: first.viewer.user.id, role: 'owner' },
    ]);

    // Deleting the owner does not promote the next sign-up.
    api.db.db.delete(users).run();
    expect((await signedUp(api, 'third@example.com')).viewer.isPlatformAdmin).toBe(false);
  });

  it('gives the owner role to exactly one of many simultaneous first sign-ups', async () => {
    api = createTestApi();
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
    api = createTestApi();
    await signedUp(api, 'taken@example.com');
    const audits = api.db.db.select().from(auditEvents).all().length;
    const error = await api
      .caller()
      .auth.signUp({ email: 'Taken@Example.com', password: STRONG_PASSWORD })
      .catch((e: TRPCError) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe('CONFLICT');
    expect(((error as TRPCError).cause as DomainError).details.fieldErrors).toEqual({
      email: ['EMAIL_TAKEN'],
    });
    expect(api.db.db.select().from(users).all()).toHaveLength(1);
    expect(api.db.db.select().from(auditEvents).all()).toHaveLength(audits);
  });

  it('records the sign-up and the free mark in the audit log', async () => {
    api = createTestApi();
    const { viewer } = await signedUp(api, 'audited@example.com');
    const actions = api.db.db.select().from(auditEvents).all();
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
    api = createTestApi();
    await signedUp(api, 'argon@example.com');
    const { passwordHash } = api.db.db.select().from(users).get()!;
    expect(passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(passwordHash).not.toContain(STRONG_PASSWORD);
  });

  it('applies the password policy on every path, including the CLI', async () => {
    api = createTestApi();
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
      createUser(api.db.db, { email: 'cli@example.com', password: 'password1', now: new Date() }),
    ).rejects.toMatchObject({
      code: 'WEAK_PASSWORD',
      details: { fieldErrors: { password: ['PASSWORD_TOO_COMMON'] } },
    });
    expect(api.db.db.select().from(users).all()).toHaveLength(0);
  });
});
