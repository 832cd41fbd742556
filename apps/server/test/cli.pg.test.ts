// The real `pnpm tessera` entry point (src/cli.ts) as a child process with DATABASE_URL: it works on
// PostgreSQL, never touches the SQLite file at DATABASE_PATH, and with REDIS_URL announces what it
// changed (the notice read from PostgreSQL) to running instances. Each child process starts tsx,
// seconds on a busy machine: hence the long timeouts.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createAccount, type Stores } from '@tessera/api';
import { createPgStores } from '@tessera/api/pg';
import { createTestPgDatabase, type TestPgDatabase } from '@tessera/db/testing-pg';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberEventsChannel } from '../src/events/redis-transport.ts';
import { TEST_REDIS_URL, uniquePrefix } from './instances.ts';

const serverDir = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

describe('`pnpm tessera` on PostgreSQL', () => {
  let database: TestPgDatabase;
  let stores: Stores;
  // A file the CLI would create if it fell back to SQLite.
  const sqlitePath = join(mkdtempSync(join(tmpdir(), 'tessera-cli-pg-')), 'never.db');

  const cli = (env: Record<string, string>, ...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      cwd: serverDir,
      env: { ...process.env, DATABASE_URL: database.url, DATABASE_PATH: sqlitePath, ...env },
    });

  beforeAll(async () => {
    database = await createTestPgDatabase('cli');
    stores = createPgStores(database);
    await stores.catalog.seedDemo(new Date());
  }, 60_000);
  afterAll(() => database?.drop());

  it('creates and lists users and checks the credit invariants in PostgreSQL, not the file', async () => {
    const created = JSON.parse(
      (
        await cli(
          {},
          'user:create',
          'ops@example.com',
          '--password',
          'a sturdy passphrase',
          '--json',
        )
      ).stdout,
    );
    expect(created).toMatchObject({ email: 'ops@example.com', platformRole: 'owner' });
    expect(await stores.auth.userByEmail('ops@example.com')).toMatchObject({ id: created.id });

    const listed = JSON.parse((await cli({}, 'user:list', '--json')).stdout);
    expect(listed).toEqual([expect.objectContaining({ email: 'ops@example.com' })]);
    expect((await cli({}, 'credits:check')).stdout).toMatch(/^OK: /);

    // Refusals keep their exit code and JSON shape on PostgreSQL.
    const refused = await cli({}, 'mark:grant', 'nobody@example.com', 'pro', '--json').catch(
      (e: { code: number; stdout: string }) => e,
    );
    expect(refused).toMatchObject({ code: 1 });
    expect(JSON.parse((refused as { stdout: string }).stdout).error.code).toBe('NOT_FOUND');

    expect(existsSync(sqlitePath)).toBe(false);
  }, 120_000);

  it('with REDIS_URL announces the new event id and auth epoch it committed to PostgreSQL', async () => {
    await createAccount(stores, {
      email: 'member@example.com',
      password: 'a sturdy passphrase',
      now: new Date(),
    });
    const prefix = uniquePrefix();
    const listener = new Redis(TEST_REDIS_URL);
    try {
      const heard: string[] = [];
      listener.on('message', (_channel: string, payload: string) => heard.push(payload));
      await listener.subscribe(memberEventsChannel(prefix));
      const before = await stores.ops.currentNotice();

      const granted = await cli(
        { REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: prefix },
        'mark:grant',
        'member@example.com',
        'pro',
        '--days',
        '1',
        '--json',
      );
      expect(JSON.parse(granted.stdout)).toMatchObject({ event: 'membership.granted' });
      expect(granted.stderr).not.toMatch(/did not answer/);

      const after = await stores.ops.currentNotice();
      expect(after.eventId).toBeGreaterThan(before.eventId);
      await expect.poll(() => heard, { timeout: 5_000 }).toHaveLength(1);
      expect(JSON.parse(heard[0]!)).toEqual({ e: after.eventId, a: after.authEpoch });

      // A read changes nothing, so it announces nothing.
      await cli(
        { REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: prefix },
        'mark:list',
        'member@example.com',
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(heard).toHaveLength(1);
    } finally {
      listener.disconnect();
    }
  }, 120_000);
});
