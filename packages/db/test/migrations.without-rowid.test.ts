// The hot tables of the chat money path are WITHOUT ROWID (migrations 0008 and 0010, edited by hand
// because drizzle-kit cannot emit it). A generated migration that recreates one of them would
// silently drop it; these tests say so, and check that the migrations kept every row of a database
// they upgraded.
import { afterEach, describe, expect, it } from 'vitest';
import { type DbHandle, migrateDb } from '../src/client.ts';
import { createTestDb } from '../src/testing.ts';
import { databaseBefore } from './old-database.ts';

const HOT_TABLES = ['usage_counters', 'credit_reservations', 'credit_ledger'];

function withoutRowid(handle: DbHandle, table: string): boolean {
  const row = handle.sqlite
    .prepare<[string], { wr: number }>('select wr from pragma_table_list where name = ?')
    .get(table);
  return row?.wr === 1;
}

describe('hot tables without rowid', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  it('are WITHOUT ROWID in a migrated database, each one B-tree (no autoindex)', () => {
    const db = createTestDb();
    cleanups.push(() => db.destroy());
    for (const table of HOT_TABLES) {
      expect(withoutRowid(db, table), table).toBe(true);
      const indexes = db.sqlite
        .prepare<[string], { name: string }>(
          "select name from sqlite_master where type = 'index' and tbl_name = ?",
        )
        .all(table)
        .map((i) => i.name);
      expect(indexes.filter((name) => name.startsWith('sqlite_autoindex'))).toEqual([]);
    }
    const indexes = db.sqlite
      .prepare<[], { name: string }>(
        "select name from sqlite_master where type = 'index' and tbl_name in ('credit_reservations', 'credit_ledger') order by name",
      )
      .all()
      .map((i) => i.name);
    // The ledger's per-user index is its primary key now; its unique idempotency key stays, and
    // the partial index of credit rows (decision 025) is one charges never write.
    expect(indexes).toEqual([
      'credit_ledger_credits_idx',
      'credit_ledger_idempotencyKey_unique',
      'credit_reservations_open_idx',
    ]);
  });

  it('keep their keys, checks and foreign keys', () => {
    const db = createTestDb();
    cleanups.push(() => db.destroy());
    const s = db.sqlite;
    s.prepare(
      "insert into users (id, email, password_hash, created_at) values ('u1', 'u1@example.com', 'x', 0)",
    ).run();
    s.prepare(
      "insert into usage_counters (user_id, window, period_start, requests) values ('u1', 'day', 0, 1)",
    ).run();
    expect(() =>
      s
        .prepare(
          "insert into usage_counters (user_id, window, period_start, requests) values ('u1', 'day', 0, 1)",
        )
        .run(),
    ).toThrow(/UNIQUE/);
    expect(() =>
      s.prepare("update usage_counters set requests = -1 where user_id = 'u1'").run(),
    ).toThrow(/CHECK/);
    expect(() =>
      s
        .prepare(
          "insert into usage_counters (user_id, window, period_start) values ('ghost', 'day', 0)",
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
    s.prepare(
      "insert into credit_reservations (id, user_id, amount, status, created_at) values ('r1', 'u1', 10, 'open', 0)",
    ).run();
    expect(() =>
      s
        .prepare(
          "insert into credit_reservations (id, user_id, amount, status, created_at) values ('r1', 'u1', 10, 'open', 0)",
        )
        .run(),
    ).toThrow(/UNIQUE/);
    expect(() =>
      s.prepare("update credit_reservations set charged = 11 where id = 'r1'").run(),
    ).toThrow(/CHECK/);
    const ledger = s.prepare(
      `insert into credit_ledger (user_id, id, delta, balance_after, kind, idempotency_key, created_at)
       values ('u1', ?, 5, 5, 'adjust', ?, 0)`,
    );
    ledger.run(1, 'k1');
    expect(() => ledger.run(1, 'k2')).toThrow(/UNIQUE/); // (user_id, id)
    expect(() => ledger.run(2, 'k1')).toThrow(/UNIQUE/); // idempotency_key
    // Deleting the user cascades into every table.
    s.prepare("delete from users where id = 'u1'").run();
    for (const table of HOT_TABLES)
      expect(s.prepare(`select count(*) as n from ${table}`).get(), table).toEqual({ n: 0 });
  });

  it('migrations 0008 and 0010 keep every row of a database they upgrade', () => {
    const handle = databaseBefore('0008_', cleanups);
    expect(withoutRowid(handle, 'usage_counters')).toBe(false);
    const s = handle.sqlite;
    s.prepare(
      "insert into users (id, email, password_hash, created_at) values ('u1', 'u1@example.com', 'x', 0)",
    ).run();
    s.prepare(
      `insert into usage_counters (user_id, window, period_start, requests, input_tokens, output_tokens, credits)
       values ('u1', 'day', 100, 3, 30, 300, 9), ('u1', 'month', 50, 7, 70, 700, 21)`,
    ).run();
    s.prepare(
      `insert into credit_reservations (id, user_id, amount, status, charged, created_at, settled_at, holder)
       values ('open-1', 'u1', 40, 'open', null, 5, null, '123'), ('done-1', 'u1', 40, 'settled', 12, 4, 6, '123')`,
    ).run();
    s.prepare(
      `insert into credit_ledger (id, user_id, delta, balance_after, kind, idempotency_key, reference, actor_user_id, created_at)
       values (7, 'u1', 100, 100, 'adjust', 'adjust:1', 'welcome', null, 1), (9, 'u1', -12, 88, 'charge', 'charge:done-1', 'tessera-mini', null, 6)`,
    ).run();
    const everything = () => ({
      counters: s.prepare('select * from usage_counters order by window').all(),
      reservations: s.prepare('select * from credit_reservations order by id').all(),
      ledger: s.prepare('select * from credit_ledger order by user_id, id').all(),
    });
    const before = everything();

    migrateDb(handle.db);
    for (const table of HOT_TABLES) expect(withoutRowid(handle, table)).toBe(true);
    // Later migrations add the ledger's `pot` (0014): every row from before it is allowance; and
    // reservations' `lease_until` (0027): null on rows from before leases (released by age).
    expect(everything()).toEqual({
      ...before,
      reservations: before.reservations.map((row) => ({ ...(row as object), lease_until: null })),
      ledger: before.ledger.map((row) => ({ ...(row as object), pot: 'allowance' })),
    });
    expect(before.ledger).toHaveLength(2);
    // The open-reservation index serves the start-up sweep's query again.
    const plan = s
      .prepare<[], { detail: string }>(
        "explain query plan select id from credit_reservations where status = 'open' and (lease_until < 1 or (lease_until is null and created_at < 1))",
      )
      .all()
      .map((r) => r.detail)
      .join(' ');
    expect(plan).toMatch(/credit_reservations_open_idx/);
    expect(s.pragma('foreign_key_check')).toEqual([]);
    expect(s.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});
