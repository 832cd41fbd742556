// The CLI side of trust boundaries: a vendor's ceiling printed and set from the admin form's JSON,
// and accounts disabled and enabled — each audited with the CLI and the OS user as the actor.
import { userInfo } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliRunner } from './harness.ts';
import { openTestStorage, type TestStorage } from './test-storage.ts';

describe('trust CLI', () => {
  let storage: TestStorage;
  const runner = cliRunner(() => storage.config);
  const { json } = runner;
  const cli = runner.run;
  const query = <T>(sql: string) => storage.sql<T>(sql);

  beforeEach(async () => {
    storage = await openTestStorage();
    await storage.stores.catalog.seedDemo(new Date());
    expect(await cli('user:create', 'ann@example.com', '--password', 'a sturdy passphrase')).toBe(
      0,
    );
  });
  afterEach(() => storage.close());

  it("prints the demo vendor's ceiling, sets a new one, and refuses bad JSON or unknown ids with nothing written", async () => {
    expect(await cli('vendor:ceiling', 'acme', '--json')).toBe(0);
    expect(json()).toMatchObject({
      vendor: 'acme',
      ceiling: { models: ['tessera-mini', 'tessera-plus'], apiAccess: false, trialDays: 7 },
    });

    expect(
      await cli(
        'vendor:ceiling',
        'acme',
        '--set',
        '{"models":["tessera-mini"],"trialDays":3}',
        '--json',
      ),
    ).toBe(0);
    expect(json().ceiling).toMatchObject({ models: ['tessera-mini'], trialDays: 3, refill: null });
    const [audit] = await query<{ actor_label: string }>(
      "select actor_label from audit_events where action = 'vendor.ceiling_set'",
    );
    expect(audit?.actor_label).toBe(`cli:${userInfo().username}`);

    expect(await cli('vendor:ceiling', 'acme', '--set', '{"models":["gpt-99"]}', '--json')).toBe(1);
    expect(json().error).toMatchObject({
      code: 'VALIDATION',
      details: { fieldErrors: { 'ceiling.models': ['UNKNOWN_MODEL:gpt-99'] } },
    });
    expect(await cli('vendor:ceiling', 'acme', '--set', '{"seats":-1}', '--json')).toBe(1);
    expect(await cli('vendor:ceiling', 'acme', '--set', 'not json')).toBe(2);
    expect(await cli('vendor:ceiling', 'nobody', '--json')).toBe(1);
    expect(await cli('vendor:ceiling', 'acme', '--json')).toBe(0);
    expect(json().ceiling).toMatchObject({ models: ['tessera-mini'], trialDays: 3 });
  });

  it('disables (with a reason) and enables an account', async () => {
    expect(await cli('user:disable', 'ann@example.com')).toBe(2); // --reason is required
    expect(await cli('user:disable', 'ann@example.com', '--reason', 'fraud', '--json')).toBe(0);
    expect(json()).toMatchObject({ email: 'ann@example.com', disabledReason: 'fraud' });
    expect(
      (await query<{ d: unknown }>('select disabled_at as d from users'))[0]?.d,
    ).not.toBeNull();
    expect(await cli('user:enable', 'ann@example.com', '--json')).toBe(0);
    expect(json()).toMatchObject({ disabledAt: null });
    expect(
      await query<{ action: string; actor_label: string }>(
        "select action, actor_label from audit_events where action like 'user.%abled' order by id",
      ),
    ).toEqual([
      { action: 'user.disabled', actor_label: `cli:${userInfo().username}` },
      { action: 'user.enabled', actor_label: `cli:${userInfo().username}` },
    ]);
    expect(await cli('user:disable', 'nobody@example.com', '--reason', 'x')).toBe(1);
  });
});
