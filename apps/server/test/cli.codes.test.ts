// code:generate and code:redeem: a batch printed once as JSON, redeemed for an account by email,
// once per code, audited as the CLI's OS user.
import { userInfo } from 'node:os';
import { createAccount } from '@tessera/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliRunner } from './harness.ts';
import { openTestStorage, type TestStorage } from './test-storage.ts';

const NOW = new Date('2026-06-15T12:00:00Z');
const DAY = 86_400_000;

describe('code CLI', () => {
  let storage: TestStorage;
  const runner = cliRunner(
    () => storage.config,
    () => NOW,
  );
  const { json } = runner;
  const cli = runner.run;
  const query = <T>(sql: string) => storage.sql<T>(sql);

  beforeEach(async () => {
    storage = await openTestStorage();
    await storage.stores.catalog.seedDemo(NOW);
    for (const email of ['ana@example.com', 'ben@example.com']) {
      await createAccount(storage.stores, { email, password: 'a sturdy passphrase', now: NOW });
    }
  });
  afterEach(() => storage.close());

  it('generates a plan batch and redeems a code: the mark for the batch\u2019s days, then idempotent', async () => {
    expect(
      await cli('code:generate', 'pro-monthly', '--count', '3', '--days', '14', '--json'),
    ).toBe(0);
    const batch = json() as { batchId: string; codes: string[] };
    expect(batch).toEqual({
      batchId: expect.any(String),
      planKey: 'pro-monthly',
      days: 14,
      credits: null,
      count: 3,
      note: null,
      expiresAt: null,
      codes: [expect.any(String), expect.any(String), expect.any(String)],
    });
    for (const code of batch.codes) expect(code).toMatch(/^TSRA(-[0-9A-HJKMNP-TV-Z]{4}){4}$/);
    expect(await query('select created_by_label as label from redemption_batches')).toEqual([
      { label: `cli:${userInfo().username}` },
    ]);

    expect(await cli('code:redeem', 'ana@example.com', batch.codes[0]!, '--json')).toBe(0);
    const expiresAt = new Date(NOW.getTime() + 14 * DAY).toISOString();
    const redeemed = {
      email: 'ana@example.com',
      alreadyRedeemed: false,
      redeemedAt: NOW.toISOString(),
      grant: { kind: 'plan', planKey: 'pro-monthly', markKey: 'pro', days: 14, expiresAt },
    };
    expect(json()).toEqual(redeemed);
    expect(await cli('mark:list', 'ana@example.com', '--json')).toBe(0);
    expect(json()).toContainEqual(
      expect.objectContaining({ markKey: 'pro', source: 'redeem', expiresAt, activeNow: true }),
    );

    // Again for ana: the same answer, nothing extended.
    expect(await cli('code:redeem', 'ana@example.com', batch.codes[0]!, '--json')).toBe(0);
    expect(json()).toEqual({ ...redeemed, alreadyRedeemed: true });
    // For ben: refused, exit code 1, the error as JSON.
    expect(await cli('code:redeem', 'ben@example.com', batch.codes[0]!, '--json')).toBe(1);
    expect(json()).toMatchObject({ error: { code: 'CODE_USED' } });
    expect(await cli('code:redeem', 'ben@example.com', 'TSRA-0000-0000-0000-0000', '--json')).toBe(
      1,
    );
    expect(json()).toMatchObject({ error: { code: 'CODE_INVALID' } });

    const audit = await query<{ action: string; actor: string }>(
      "select action, actor_label as actor from audit_events where action like 'code%' order by id",
    );
    expect(audit).toEqual([
      { action: 'codes.generated', actor: `cli:${userInfo().username}` },
      { action: 'code.redeemed', actor: `cli:${userInfo().username}` },
    ]);
  });

  it('generates credit codes (default plan term without --days) and redeems them as credits', async () => {
    expect(await cli('code:generate', '--credits', '5000', '--count', '2', '--json')).toBe(0);
    const { codes } = json() as { codes: string[] };
    expect(json()).toMatchObject({ planKey: null, days: null, credits: 5000, count: 2 });
    expect(await cli('code:redeem', 'ben@example.com', codes[1]!.toLowerCase(), '--json')).toBe(0);
    expect(json()).toMatchObject({ grant: { kind: 'credits', credits: 5000 } });
    const [ben] = await query<{ balance: number | string; purchased: number | string }>(
      "select balance, purchased from credit_accounts join users on users.id = user_id where email = 'ben@example.com'",
    );
    // Number(): PostgreSQL's bigint columns come back as strings.
    expect([Number(ben?.balance), Number(ben?.purchased)]).toEqual([5000, 5000]);

    expect(await cli('code:generate', 'pro-yearly', '--count', '1', '--json')).toBe(0);
    expect(json()).toMatchObject({ planKey: 'pro-yearly', days: 366 });
  });

  it('refuses bad calls with a usage error or a domain error, and writes nothing', async () => {
    const before = await query('select count(*) as n from redemption_batches');
    expect(await cli('code:generate', '--count', '1')).toBe(2);
    expect(await cli('code:generate', 'pro-monthly', '--credits', '5', '--count', '1')).toBe(2);
    expect(await cli('code:generate', '--credits', '5')).toBe(2);
    expect(await cli('code:generate', '--credits', '-5', '--count', '1')).toBe(2);
    expect(await cli('code:generate', '--credits', '5', '--count', '1', '--days', '3')).toBe(1);
    expect(await cli('code:generate', 'no-such-plan', '--count', '1', '--json')).toBe(1);
    expect(json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect(await cli('code:redeem', 'ana@example.com')).toBe(2);
    expect(await cli('code:redeem', 'ana@example.com', 'nonsense', '--json')).toBe(1);
    expect(json()).toMatchObject({ error: { code: 'VALIDATION' } });
    expect(await query('select count(*) as n from redemption_batches')).toEqual(before);
  });
});
