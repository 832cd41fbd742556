// The per-process member cache must never outlive a change, wherever the change is made: here by
// plain SQL beside the API (on PostgreSQL another pooled connection), so only the auth-epoch
// triggers can tell the cache. Through a second SQLite connection to the file:
// member.auth-cache.sqlite-connections.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { demoIds, type EngineTestApi, openTestApi, signedUp } from './harness.ts';

const INSERT_MEMBERSHIP =
  'insert into memberships (id, user_id, mark_id, starts_at, expires_at, status, source, created_at, updated_at) values ($1, $2, $3, 0, $4, $5, $6, 0, 0)';

describe('the member context cache', () => {
  let api: EngineTestApi;
  afterEach(() => api.destroy());

  it('sees a revoke, a role change and a signed-out session made outside the API at the next request', async () => {
    api = await openTestApi({ seedDemo: true });
    const { marks } = await demoIds(api);
    const { browser, viewer } = await signedUp(api, 'cached@example.com');
    await signedUp(api, 'second@example.com');
    const marksHeld = async () =>
      (await api.caller(browser).membership.mine()).marks.map((m) => m.markKey).sort();

    await api.sql(INSERT_MEMBERSHIP, ['m1', viewer.user.id, marks.pro, null, 'active', 'admin']);
    expect(await marksHeld()).toEqual(['free', 'pro']);
    expect(await marksHeld()).toEqual(['free', 'pro']); // served from the cache

    await api.sql("update memberships set status = 'revoked', expires_at = $1 where id = 'm1'", [
      api.clock.now,
    ]);
    expect(await marksHeld()).toEqual(['free']);

    expect((await api.caller(browser).auth.me())?.isPlatformAdmin).toBe(true);
    await api.sql('delete from tenant_members where user_id = $1', [viewer.user.id]);
    await expect(api.caller(browser).admin.users.list()).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });

    await api.sql('delete from sessions where user_id = $1', [viewer.user.id]);
    await expect(api.caller(browser).membership.mine()).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });

  it('drops a membership the instant it expires, with nothing written', async () => {
    api = await openTestApi({ seedDemo: true });
    const { marks } = await demoIds(api);
    const { browser, viewer } = await signedUp(api, 'expiring@example.com');
    await api.sql(INSERT_MEMBERSHIP, [
      'm2',
      viewer.user.id,
      marks.pro,
      api.clock.now.getTime() + 1000,
      'active',
      'trial',
    ]);
    const held = async () =>
      (await api.caller(browser).membership.mine()).marks.map((m) => m.markKey);
    expect(await held()).toContain('pro');
    api.clock.advance(999);
    expect(await held()).toContain('pro');
    api.clock.advance(1);
    expect(await held()).not.toContain('pro');
  });
});

describe('member contexts reused for API keys', () => {
  let api: EngineTestApi;
  afterEach(() => api.destroy());

  it('see a grant and a revoke made outside the API, and an expiry, at the next request', async () => {
    api = await openTestApi({ seedDemo: true });
    const { marks } = await demoIds(api);
    const { viewer } = await signedUp(api, 'api-cached@example.com');
    const key = { keyId: 'key-1', userId: viewer.user.id };
    const held = async () =>
      (await api.stores.members.memberForApiKey(key, api.clock.now)).memberships
        .map((m) => m.markKey)
        .sort();

    expect(await held()).toEqual(['free']);
    await api.sql(INSERT_MEMBERSHIP, [
      'k1',
      viewer.user.id,
      marks.pro,
      api.clock.now.getTime() + 60_000,
      'active',
      'admin',
    ]);
    expect(await held()).toEqual(['free', 'pro']);
    expect(await held()).toEqual(['free', 'pro']);
    api.clock.advance(60_000);
    expect(await held()).toEqual(['free']); // expired: nothing was written, the clock moved

    await api.sql("update memberships set expires_at = null, status = 'active' where id = 'k1'");
    expect(await held()).toEqual(['free', 'pro']);
    await api.sql("update memberships set status = 'revoked', expires_at = $1 where id = 'k1'", [
      api.clock.now,
    ]);
    expect(await held()).toEqual(['free']);
    // A key of another user never gets this user's context.
    await expect(
      api.stores.members.memberForApiKey({ keyId: 'key-1', userId: 'someone-else' }, api.clock.now),
    ).rejects.toThrow();
  });
});
