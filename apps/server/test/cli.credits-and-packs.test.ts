// The credit and pack commands through the stores (decision 034): adjust, list balances and a
// ledger, check the invariants, run the refill, list and link packs.
import { afterEach, expect, it } from 'vitest';
import { runCli } from '../src/cli/run-cli.ts';
import { openTestStorage, type TestStorage } from './test-storage.ts';

let storage: TestStorage | undefined;
afterEach(async () => {
  await storage?.close();
  storage = undefined;
});

it('adjusts, lists, checks and refills credits, and lists and links packs', async () => {
  const opened = await openTestStorage();
  storage = opened;
  const out: string[] = [];
  const cli = async (...argv: string[]) => {
    out.length = 0;
    const code = await runCli(argv, {
      ...opened.config,
      io: { out: (l) => out.push(l), err: (l) => out.push(l), readStdin: async () => '' },
    });
    return { code, text: out.join('\n') };
  };
  const ok = async (...argv: string[]) => {
    const result = await cli(...argv);
    expect(result.code, `${argv.join(' ')}\n${result.text}`).toBe(0);
    return result.text;
  };
  for (const email of ['bea@example.com', 'al@example.com'])
    await ok('user:create', email, '--password', 'a sturdy passphrase');

  await ok('credits:add', 'bea@example.com', '100', '--key', 'once');
  expect(await ok('credits:add', 'bea@example.com', '100', '--key', 'once')).toMatch(
    /Already applied/,
  );
  await ok('credits:add', 'bea@example.com', '25', '--purchased');
  expect(JSON.parse(await ok('credits:list', '--json'))).toEqual([
    expect.objectContaining({ email: 'al@example.com' }),
    expect.objectContaining({ email: 'bea@example.com', purchased: 25, allowance: 100 }),
  ]);
  const ledger = JSON.parse(await ok('credits:list', 'bea@example.com', '--json', '--limit', '1'));
  expect(ledger).toEqual([expect.objectContaining({ delta: 25, pot: 'purchased' })]);
  expect(await ok('credits:check')).toMatch(/^OK: /);
  expect(JSON.parse(await ok('refill:run', '--json'))).toMatchObject({ error: null });

  await opened.sql(
    `insert into credit_packs (id, name, credits, price_minor, currency, active, created_at, updated_at)
     values ('pk1', 'Small', 1000, 500, 'usd', true, 0, 0)`,
  );
  await ok('pack:link', 'pk1', 'price_small');
  expect(JSON.parse(await ok('pack:list', '--json'))).toEqual([
    expect.objectContaining({ id: 'pk1', stripePriceId: 'price_small' }),
  ]);
  expect((await cli('pack:link', 'nope', 'price_x')).code).not.toBe(0);
  await ok('pack:link', 'pk1', '--unlink');
  expect(JSON.parse(await ok('pack:list', '--json'))[0].stripePriceId).toBeNull();
});
