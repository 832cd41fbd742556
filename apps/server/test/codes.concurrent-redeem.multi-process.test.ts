// 200 redemptions of one code, by 200 users in four processes racing on one SQLite file: the
// guarded UPDATE, not luck, decides that exactly one is granted.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { checkCreditInvariants, generateCodes, seedDemoData } from '@tessera/api';
import { createDb, type DbHandle } from '@tessera/db';
import { copyTestDatabase, removeDatabaseFiles } from '@tessera/db/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const serverDir = fileURLToPath(new URL('..', import.meta.url));
const NOW = new Date('2026-06-15T12:00:00Z').getTime();

function worker(job: Record<string, unknown>) {
  return run(
    process.execPath,
    ['--import', 'tsx', 'test/workers/redeem-worker.ts', JSON.stringify(job)],
    { cwd: serverDir },
  ).then(({ stdout }) => JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, number>);
}

describe('one code, 200 concurrent redemptions', () => {
  let path: string;
  let handle: DbHandle;
  beforeEach(() => {
    path = copyTestDatabase();
    handle = createDb(path);
    seedDemoData(handle.db, new Date(NOW));
  });
  afterEach(() => {
    handle.close();
    removeDatabaseFiles(path);
  });

  /** 200 accounts, written directly (hashing 200 passwords would only slow the test). */
  function users(): string[] {
    const insertUser = handle.sqlite.prepare(
      "insert into users (id, email, password_hash, created_at) values (?, ?, 'x', ?)",
    );
    const insertAccount = handle.sqlite.prepare(
      'insert into credit_accounts (user_id, balance, reserved, updated_at) values (?, 0, 0, ?)',
    );
    const ids = Array.from({ length: 200 }, (_, i) => `racer-${String(i).padStart(3, '0')}`);
    handle.sqlite.transaction(() => {
      for (const id of ids) {
        insertUser.run(id, `${id}@example.com`, NOW);
        insertAccount.run(id, NOW);
      }
    })();
    return ids;
  }

  async function race(code: string, ids: string[]) {
    const startAt = Date.now() + 2000;
    const results = await Promise.all(
      [0, 1, 2, 3].map((k) =>
        worker({
          databasePath: path,
          startAt,
          now: NOW,
          code,
          userIds: ids.filter((_, i) => i % 4 === k),
        }),
      ),
    );
    const total: Record<string, number> = {};
    for (const result of results)
      for (const [k, n] of Object.entries(result)) total[k] = (total[k] ?? 0) + n;
    return total;
  }

  it('a credits code: one grant, one ledger row, everyone else told it is used', async () => {
    const ids = users();
    const { codes } = generateCodes(handle.db, {
      credits: 7000,
      count: 1,
      actorUserId: null,
      now: new Date(NOW),
    });
    expect(await race(codes[0]!, ids)).toEqual({ granted: 1, CODE_USED: 199 });
    const granted = handle.sqlite
      .prepare("select user_id, delta from credit_ledger where user_id like 'racer-%'")
      .all() as { user_id: string; delta: number }[];
    expect(granted).toHaveLength(1);
    expect(granted[0]!.delta).toBe(7000);
    const total = handle.sqlite
      .prepare(
        "select sum(balance) as s, sum(purchased) as p from credit_accounts where user_id like 'racer-%'",
      )
      .get() as { s: number; p: number };
    expect(total).toEqual({ s: 7000, p: 7000 });
    expect(handle.sqlite.prepare('select redeemed_by as r from redemption_codes').all()).toEqual([
      { r: granted[0]!.user_id },
    ]);
    expect(
      handle.sqlite
        .prepare("select count(*) as n from audit_events where action = 'code.redeemed'")
        .get(),
    ).toEqual({ n: 1 });
    expect(checkCreditInvariants(handle.db).ok).toBe(true);
  }, 60_000);

  it('a plan code: one membership granted, one member event', async () => {
    const ids = users();
    const { codes } = generateCodes(handle.db, {
      planKey: 'pro-monthly',
      count: 1,
      days: 30,
      actorUserId: null,
      now: new Date(NOW),
    });
    expect(await race(codes[0]!, ids)).toEqual({ granted: 1, CODE_USED: 199 });
    expect(
      handle.sqlite.prepare("select count(*) as n from memberships where source = 'redeem'").get(),
    ).toEqual({ n: 1 });
    expect(
      handle.sqlite
        .prepare(
          "select count(*) as n from member_events where user_id like 'racer-%' and kind = 'membership.granted'",
        )
        .get(),
    ).toEqual({ n: 1 });
  }, 60_000);
});
