import { afterEach, describe, expect, it } from 'vitest';
import { demoIds, type EngineTestApi, openTestApi, signedUp } from './harness.ts';

describe('API keys', () => {
  let api: EngineTestApi;
  afterEach(() => api.destroy());

  it('need a plan with API access, are shown once, stored hashed, and stop working when revoked', async () => {
    api = await openTestApi({ seedDemo: true });
    const { browser, viewer } = await signedUp(api, 'dev@example.com');
    const caller = api.caller(browser);
    await expect(caller.apiKeys.create({ name: 'ci' })).rejects.toMatchObject({
      code: 'PAYMENT_REQUIRED',
    });
    expect((await caller.apiKeys.list()).apiAccess).toBe(false);

    await api.stores.members.grantMark({
      userId: viewer.user.id,
      markId: (await demoIds(api)).marks.enterprise!,
      days: 30,
      source: 'admin',
      actorUserId: null,
      now: api.clock.now,
    });
    const created = await caller.apiKeys.create({ name: 'ci' });
    expect(created.key).toMatch(/^tsk_[a-z2-7]{24}_[a-z2-7]{32}$/);
    const listed = await caller.apiKeys.list();
    expect(listed.keys).toEqual([
      expect.objectContaining({ id: created.id, name: 'ci', revokedAt: null }),
    ]);
    expect(JSON.stringify(listed)).not.toContain(created.key.split('_')[2]);
    // Only the 32-byte hash is stored (length() counts a blob's or a bytea's bytes alike).
    const [stored] = await api.sql<{ bytes: number }>(
      'select length(secret_hash) as bytes from api_keys',
    );
    expect(Number(stored!.bytes)).toBe(32);

    expect(await api.stores.members.verifyApiKey(created.key, api.clock.now)).toEqual({
      keyId: created.id,
      userId: viewer.user.id,
    });
    const tampered = `${created.key.slice(0, -1)}${created.key.endsWith('a') ? 'b' : 'a'}`;
    expect(await api.stores.members.verifyApiKey(tampered, api.clock.now)).toBeNull();
    await caller.apiKeys.revoke({ keyId: created.id });
    expect(await api.stores.members.verifyApiKey(created.key, api.clock.now)).toBeNull();
    await expect(caller.apiKeys.revoke({ keyId: created.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
