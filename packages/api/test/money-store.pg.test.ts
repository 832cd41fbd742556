// The money store's contract on PostgreSQL (`pnpm test:scale`): the SQL functions behind the
// port, each test on a fresh database copied from the migrated template.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { moneyStoreContract } from './money-store.contract.ts';
import { openPgMoneyFixture } from './pg-money-fixture.ts';

moneyStoreContract('PostgreSQL', openPgMoneyFixture);

it('the migration installs exactly the readable function source', () => {
  const source = readFileSync(
    new URL('../src/storage/pg/money-functions.sql', import.meta.url),
    'utf8',
  );
  const migration = readFileSync(
    new URL('../../db/migrations-pg/0002_money_functions.sql', import.meta.url),
    'utf8',
  );
  expect(migration.replaceAll('\n--> statement-breakpoint', '')).toBe(source);
});
