// SQLite only (decision 043): a change written through a second SQLite connection to the same
// file (another process, in effect) reaches this process's member caches, through the auth-epoch
// triggers and the domain functions behind the SQLite adapter. member.auth-cache.test.ts checks
// the same through the stores on both engines.
import { createDb } from '@tessera/db';
import { afterEach, describe, expect, it } from 'vitest';
import { memberForApiKey } from '../src/member/api-key-members.ts';
import { createTestApi, demoIds, signedUp, type TestApi } from './harness.ts';

describe('the member context cache', () => {
  let api: TestApi;
  afterEach(() => api.destroy());

  it('sees a revoke, a role change and a signed-out session made on another connection at the next request', async () => {
    api = createTestApi({ seedDemo: true });
    const { marks } = await demoIds(api);
    const { browser, viewer } = await signedUp(api, 'cached@example.com');
    await signedUp(api, 'second@example.com');
    const marksHeld = async () =>
      (await api.caller(browser).membership.mine()).marks.map((m) => m.markKey).sort();
    const other = createDb(api.db.path); // another process, in effect
    try {
      other.sqlite
        .prepare(
          "insert into memberships (id, user_id, mark_id, starts_at, expires_at, status, source, created_at, updated_at) values ('m1', ?, ?, 0, null, 'active', 'admin', 0, 0)",
        )
        .run(viewer.user.id, marks.pro);
      expect(await marksHeld()).toEqual(['free', 'pro']);
      expect(await marksHeld()).toEqual(['free', 'pro']); // served from the cache

      other.sqlite
        .prepare("update memberships set status = 'revoked', expires_at = ? where id = 'm1'")
        .run(api.clock.now.getTime());
      expect(await marksHeld()).toEqual(['free']);

      expect((await api.caller(browser).auth.me())?.isPlatformAdmin).toBe(true);
      other.sqlite.prepare('delete from tenant_members where user_id = ?').run(viewer.user.id);
      await expect(api.caller(browser).admin.users.list()).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });

      other.sqlite.prepare('delete from sessions where user_id = ?').run(viewer.user.id);
      await expect(api.caller(browser).membership.mine()).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
      });
    } finally {
      other.close();
    }
  });
});

describe('member contexts reused for API keys', () => {
  let api: TestApi;
  afterEach(() => api.destroy());

  it('see a grant and a revoke from another connection, and an expiry, at the next request', async () => {
    api = createTestApi({ seedDemo: true });
    const { marks } = await demoIds(api);
    const { viewer } = await signedUp(api, 'api-cached@example.com');
    const key = { keyId: 'key-1', userId: viewer.user.id };
    const held = () =>
      memberForApiKey(api.db.db, key, api.clock.now)
        .memberships.map((m) => m.markKey)
        .sort();
    const other = createDb(api.db.path); // another process, in effect
    try {
      expect(held()).toEqual(['free']);
      other.sqlite
        .prepare(
          "insert into memberships (id, user_id, mark_id, starts_at, expires_at, status, source, created_at, updated_at) values ('k1', ?, ?, 0, ?, 'active', 'admin', 0, 0)",
        )
        .run(viewer.user.id, marks.pro, api.clock.now.getTime() + 60_000);
      expect(held()).toEqual(['free', 'pro']);
      expect(held()).toEqual(['free', 'pro']);
      api.clock.advance(60_000);
      expect(held()).toEqual(['free']); // expired: nothing was written, the clock moved

      other.sqlite
        .prepare("update memberships set expires_at = null, status = 'active' where id = 'k1'")
        .run();
      expect(held()).toEqual(['free', 'pro']);
      other.sqlite
        .prepare("update memberships set status = 'revoked', expires_at = ? where id = 'k1'")
        .run(api.clock.now.getTime());
      expect(held()).toEqual(['free']);
      // A key of another user never gets this user's context.
      expect(() =>
        memberForApiKey(api.db.db, { keyId: 'key-1', userId: 'someone-else' }, api.clock.now),
      ).toThrow();
    } finally {
      other.close();
    }
  });
});
