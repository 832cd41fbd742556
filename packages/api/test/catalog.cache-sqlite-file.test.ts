// The per-process catalog cache (domain/plans/catalog-statements.ts) on a SQLite file must never
// serve a catalog older than the last committed change: not after an edit made by another process
// writing the same file (another instance, the CLI, a manual SQL fix), and not after a transaction
// that read it and rolled back. SQLite's own (a child process on the file, a better-sqlite3
// transaction); what holds on both engines is in catalog.cache.test.ts.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listCatalog } from '../src/domain/plans/list-catalog.ts';
import { createTestApi, signedUp, type TestApi } from './harness.ts';

// better-sqlite3 as the db package resolves it, for a child process that is not this one.
const betterSqlite3 = createRequire(new URL('../../db/package.json', import.meta.url)).resolve(
  'better-sqlite3',
);

/** Runs `statement` on the database file from a separate Node process, and waits for its commit. */
function editInAnotherProcess(path: string, statement: string, ...params: unknown[]): void {
  const script = `
    const Database = require(${JSON.stringify(betterSqlite3)});
    const db = new Database(${JSON.stringify(path)}, { timeout: 5000 });
    const changes = db.prepare(process.argv[1]).run(...JSON.parse(process.argv[2])).changes;
    db.close();
    if (changes !== 1) { console.error('changed ' + changes + ' rows'); process.exit(1); }
  `;
  execFileSync(process.execPath, ['-e', script, statement, JSON.stringify(params)], {
    stdio: 'pipe',
  });
}

describe('the catalog cache', () => {
  let api: TestApi;
  beforeEach(() => {
    api = createTestApi({ seedDemo: true });
  });
  afterEach(() => api.destroy());

  it('serves an edit committed by another process on the very next request', async () => {
    const { browser } = await signedUp(api, 'viewer@example.test');
    const member = api.caller(browser);
    const before = await member.membership.catalog();
    const platformPlan = before.find((p) => p.tenantKind === 'platform')!;
    const vendorPlan = before.find((p) => p.tenantKind === 'vendor')!;
    // Asked twice, so the second answer came from the cache the edits below must invalidate.
    expect(await member.membership.catalog()).toEqual(before);

    // A plan edited (plans).
    editInAnotherProcess(
      api.db.path,
      'update plans set name = ? where id = ?',
      'Renamed elsewhere',
      platformPlan.id,
    );
    const renamed = await member.membership.catalog();
    expect(renamed.find((p) => p.id === platformPlan.id)?.name).toBe('Renamed elsewhere');

    // The mark a plan grants edited (marks).
    editInAnotherProcess(
      api.db.path,
      'update marks set name = ? where id = ?',
      'Mark renamed',
      platformPlan.markId,
    );
    expect(
      (await member.membership.catalog()).find((p) => p.id === platformPlan.id)?.markName,
    ).toBe('Mark renamed');

    // The vendor suspended (tenants): its plans leave the member's catalog at once.
    editInAnotherProcess(
      api.db.path,
      'update tenants set suspended_at = ? where id = ?',
      api.clock.now.getTime(),
      vendorPlan.tenantId,
    );
    const afterSuspension = await member.membership.catalog();
    expect(afterSuspension.some((p) => p.tenantId === vendorPlan.tenantId)).toBe(false);
    expect(afterSuspension.length).toBeGreaterThan(0);

    // A plan taken off sale.
    editInAnotherProcess(api.db.path, 'update plans set active = 0 where id = ?', platformPlan.id);
    expect((await member.membership.catalog()).some((p) => p.id === platformPlan.id)).toBe(false);
  });

  it('is not filled from a transaction that rolls back', () => {
    const { db, sqlite } = api.db;
    const plan = listCatalog(db)[0]!;
    expect(() =>
      db.transaction(() => {
        sqlite.prepare('update plans set name = ? where id = ?').run('Never committed', plan.id);
        expect(listCatalog(db).find((p) => p.id === plan.id)?.name).toBe('Never committed');
        throw new Error('roll back');
      }),
    ).toThrow('roll back');
    // The rolled-back epoch value is the current one again; a different commit may reach it next.
    sqlite.prepare('update plans set description = ? where id = ?').run('Committed', plan.id);
    const after = listCatalog(db).find((p) => p.id === plan.id);
    expect(after?.name).toBe(plan.name);
    expect(after?.description).toBe('Committed');
  });
});
