import { TRPCError } from '@trpc/server';
import { afterEach, describe, expect, it } from 'vitest';
import { demoIds, type EngineTestApi, openTestApi, signedUp } from './harness.ts';

describe('admin.users.list', () => {
  let api: EngineTestApi;
  afterEach(() => api.destroy());

  it('is for platform admins only', async () => {
    api = await openTestApi();
    const admin = await signedUp(api, 'admin@example.com');
    const member = await signedUp(api, 'member@example.com');
    const error = await api
      .caller(member.browser)
      .admin.users.list()
      .catch((e: TRPCError) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe('FORBIDDEN');

    const listed = await api.caller(admin.browser).admin.users.list();
    expect(listed.map((u) => u.email)).toEqual(['admin@example.com', 'member@example.com']);
    expect(listed[0]!.roles).toEqual([{ tenantId: 'platform', role: 'owner' }]);
    expect(listed[0]).not.toHaveProperty('passwordHash');
  });

  it('searches by email substring, treating % and _ literally', async () => {
    api = await openTestApi();
    const admin = await signedUp(api, 'admin@example.com');
    await signedUp(api, 'carol_x@example.com');
    await signedUp(api, 'carolyx@example.com');
    const caller = api.caller(admin.browser);
    expect((await caller.admin.users.list({ search: 'CAROL' })).map((u) => u.email)).toEqual([
      'carol_x@example.com',
      'carolyx@example.com',
    ]);
    expect((await caller.admin.users.list({ search: 'carol_' })).map((u) => u.email)).toEqual([
      'carol_x@example.com',
    ]);
    expect(await caller.admin.users.list({ search: '%' })).toEqual([]);
  });
});

describe('admin.memberships for an unknown user', () => {
  let api: EngineTestApi;
  afterEach(() => api.destroy());

  it('answers NOT_FOUND for grant, extend and revoke alike (never a foreign-key 500)', async () => {
    api = await openTestApi({ seedDemo: true });
    const admin = await signedUp(api, 'admin@example.com');
    const markId = (await demoIds(api)).marks.pro!;
    const caller = api.caller(admin.browser);
    const userId = 'no-such-user-0001';
    const codeOf = (p: Promise<unknown>) =>
      p.then(
        () => 'OK',
        (e: TRPCError) => e.code,
      );
    expect(await codeOf(caller.admin.memberships.grant({ userId, markId, days: 1 }))).toBe(
      'NOT_FOUND',
    );
    expect(await codeOf(caller.admin.memberships.grant({ userId, markId, days: null }))).toBe(
      'NOT_FOUND',
    );
    expect(await codeOf(caller.admin.memberships.extend({ userId, markId, days: 1 }))).toBe(
      'NOT_FOUND',
    );
    expect(await codeOf(caller.admin.memberships.revoke({ userId, markId }))).toBe('NOT_FOUND');
    const [counted] = await api.sql<{ n: number }>(
      'select count(*) as n from memberships where user_id = $1',
      [userId],
    );
    expect(Number(counted!.n)).toBe(0);
  });
});

describe('admin.users: disabled accounts', () => {
  let api: EngineTestApi;
  afterEach(() => api.destroy());

  it('lists and shows when and why an account was disabled, and clears it on enable', async () => {
    api = await openTestApi();
    const admin = await signedUp(api, 'admin@example.com');
    const member = await signedUp(api, 'member@example.com');
    const caller = api.caller(admin.browser);
    await caller.admin.users.disable({ userId: member.viewer.user.id, reason: 'chargeback' });

    const listed = await caller.admin.users.list({ search: 'member' });
    expect(listed[0]).toMatchObject({ disabledReason: 'chargeback' });
    expect(listed[0]!.disabledAt).toBeInstanceOf(Date);
    const detail = await caller.admin.users.byId({ userId: member.viewer.user.id });
    expect(detail.disabledReason).toBe('chargeback');

    await caller.admin.users.enable({ userId: member.viewer.user.id });
    expect(await caller.admin.users.byId({ userId: member.viewer.user.id })).toMatchObject({
      disabledAt: null,
      disabledReason: null,
    });
  });
});
