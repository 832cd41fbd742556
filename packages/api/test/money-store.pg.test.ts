// The money store's contract on PostgreSQL (`pnpm test:scale`): the SQL functions behind the
// port, each test on a fresh database copied from the migrated template.
import { readdirSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { admission, moneyStoreContract, NOW } from './money-store.contract.ts';
import { moneyStoreLeaseContract } from './money-store.leases.contract.ts';
import { openPgMoneyFixture } from './pg-money-fixture.ts';

moneyStoreContract('PostgreSQL', openPgMoneyFixture);
moneyStoreLeaseContract('PostgreSQL', openPgMoneyFixture);

const MIGRATIONS = new URL('../../db/migrations-pg/', import.meta.url);
const SOURCE = new URL('../src/storage/pg/money-functions.sql', import.meta.url);

/** A statement's code: without the comment lines around it (a body's own comments stay). */
function code(statement: string): string {
  const lines = statement.trim().split('\n');
  while (lines[0]?.startsWith('--') || lines[0]?.trim() === '') lines.shift();
  while (lines.at(-1)?.startsWith('--') || lines.at(-1)?.trim() === '') lines.pop();
  return lines.join('\n');
}

/**
 * Applies function and sequence statements in order to a map, name → code: a `create` defines or
 * replaces its name, a `drop function` removes it. Table statements are the schema's business.
 */
function definitions(statements: string[], into = new Map<string, string>()) {
  for (const statement of statements.map(code)) {
    const created = /^create (?:or replace function|sequence if not exists) (\w+)/.exec(statement);
    const dropped = /^drop function (?:if exists )?(\w+)/.exec(statement);
    if (created?.[1]) into.set(created[1], statement);
    else if (dropped?.[1]) into.delete(dropped[1]);
  }
  return into;
}

it('the readable source holds exactly the newest migration statement of each function', () => {
  const installed = new Map<string, string>();
  for (const name of readdirSync(MIGRATIONS)
    .filter((n) => n.endsWith('.sql'))
    .sort())
    definitions(
      readFileSync(new URL(name, MIGRATIONS), 'utf8').split('--> statement-breakpoint'),
      installed,
    );
  // The source has no breakpoints: a statement starts at a line opening with `create`.
  const source = definitions(readFileSync(SOURCE, 'utf8').split(/\n(?=create )/));
  expect([...installed.keys()].sort()).toContain('tessera_release_expired');
  expect(Object.fromEntries(source)).toEqual(Object.fromEntries(installed));
});

it('the migrations leave one version of each money function, with the lease argument', async () => {
  const f = await openPgMoneyFixture();
  try {
    const rows = await f.query<{ name: string; args: string }>(
      `select proname as name, pg_get_function_identity_arguments(oid) as args from pg_proc
       where proname like 'tessera\\_%' order by proname`,
      [],
    );
    const names = rows.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    expect(rows.find((r) => r.name === 'tessera_admit')?.args).toContain('p_lease_ms bigint');
  } finally {
    await f.close();
  }
});

it('the release of an expired lease re-checks it: a renewal after the listing keeps the reservation', async () => {
  const f = await openPgMoneyFixture();
  try {
    await f.addUser('alice', { balance: 1000 });
    const lease = { holder: 'slow', ms: 30_000 };
    await f.store.admit(admission({ requestId: 'r', lease }));
    // A sweep at +35 s listed it (its lease ended at +30 s); then the holder's renewal, stamped
    // +20 s by its own clock (lease to +50 s), commits before the sweep's release runs.
    await f.store.renewLeases({ lease, now: new Date(NOW.getTime() + 20_000) });
    const release = async (ms: number) => {
      const [row] = await f.query<{ o_outcome: string }>(
        'select o_outcome from tessera_release_expired(?, ?, 0, 0, 0)',
        ['r', NOW.getTime() + ms],
      );
      return row?.o_outcome;
    };
    expect(await release(35_000)).toBe('kept');
    expect(await f.reservation('r')).toMatchObject({ status: 'open' });
    expect(await release(50_001)).toBe('released');
    expect(await release(50_002)).toBe('kept');
    expect(await f.account('alice')).toEqual({ balance: 1000, reserved: 0, purchased: 0 });
  } finally {
    await f.close();
  }
});
