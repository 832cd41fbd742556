// Races across processes on one SQLite file: the guarded statements, not luck, decide.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  adjustCredits,
  checkCreditInvariants,
  createUser,
  grantMark,
  runScheduledRefills,
  seedDemoData,
} from '@tessera/api';
import { createDb, type DbHandle } from '@tessera/db';
import { copyTestDatabase, removeDatabaseFiles } from '@tessera/db/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const serverDir = fileURLToPath(new URL('..', import.meta.url));
const NOW = new Date('2026-06-15T12:00:00Z').getTime();

const entitlements = {
  models: ['tessera-mini'],
  plugins: [],
  requestsPerDay: null as number | null,
  requestsPerMonth: null,
  requestsPerMinute: null,
  maxOutputTokens: 1000,
  apiAccess: false,
  seats: 0,
  refill: null,
  fallbackModel: null,
};

function worker(job: Record<string, unknown>) {
  return run(
    process.execPath,
    ['--import', 'tsx', 'test/workers/race-worker.ts', JSON.stringify(job)],
    { cwd: serverDir },
  ).then(({ stdout }) => JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, number>);
}

describe('races between processes on one database file', () => {
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

  async function user(email: string) {
    return (
      await createUser(handle.db, { email, password: 'a sturdy passphrase', now: new Date(NOW) })
    ).id;
  }

  it('200 admissions racing for credit enough for one: exactly one is admitted', async () => {
    const userId = await user('one-credit@example.com');
    adjustCredits(handle.db, {
      userId,
      mode: 'set',
      amount: 250,
      reason: 'exactly one request',
      actorUserId: null,
      now: new Date(NOW),
    });
    const startAt = Date.now() + 1500;
    const results = await Promise.all(
      ['a', 'b'].map((prefix) =>
        worker({
          kind: 'admit',
          databasePath: path,
          startAt,
          now: NOW,
          userIds: [userId],
          attempts: 100,
          prefix,
          entitlements,
        }),
      ),
    );
    expect(results.reduce((n, r) => n + r.admitted!, 0)).toBe(1);
    const report = checkCreditInvariants(handle.db);
    expect(report.problems).toEqual([]);
    expect(
      handle.sqlite
        .prepare('select balance, reserved from credit_accounts where user_id = ?')
        .get(userId),
    ).toEqual({ balance: 250, reserved: 250 });
  }, 60_000);

  it('100 requests racing at quota − 1: exactly one is admitted', async () => {
    const userId = await user('quota@example.com');
    adjustCredits(handle.db, {
      userId,
      mode: 'set',
      amount: 10_000_000,
      reason: 'plenty',
      actorUserId: null,
      now: new Date(NOW),
    });
    handle.sqlite
      .prepare(
        "insert into usage_counters (user_id, window, period_start, requests) values (?, 'day', ?, 19)",
      )
      .run(userId, Date.UTC(2026, 5, 15));
    const startAt = Date.now() + 1500;
    const limited = { ...entitlements, requestsPerDay: 20 };
    const results = await Promise.all(
      ['a', 'b'].map((prefix) =>
        worker({
          kind: 'admit',
          databasePath: path,
          startAt,
          now: NOW,
          userIds: [userId],
          attempts: 50,
          prefix,
          entitlements: limited,
        }),
      ),
    );
    expect(results.reduce((n, r) => n + r.admitted!, 0)).toBe(1);
    expect(
      handle.sqlite
        .prepare("select requests from usage_counters where user_id = ? and window = 'day'")
        .get(userId),
    ).toEqual({ requests: 20 });
  }, 60_000);

  it('a scheduled run, on-demand refills and an admin run overlapping grant once per user per period', async () => {
    const markId = (
      handle.sqlite.prepare("select id from marks where key = 'enterprise'").get() as { id: string }
    ).id;
    const policy = {
      amount: 1000,
      every: { value: 1, unit: 'day' as const },
      strategy: 'topup' as const,
      cap: 1_000_000,
      mode: 'scheduled' as const,
      grades: [],
    };
    handle.sqlite
      .prepare(
        "update marks set entitlements = json_set(entitlements, '$.refill', json(?)) where id = ?",
      )
      .run(JSON.stringify(policy), markId);
    const userIds: string[] = [];
    for (let i = 0; i < 60; i++) {
      const id = await user(`holder${String(i).padStart(3, '0')}@example.com`);
      grantMark(handle.db, {
        userId: id,
        markId,
        days: 10,
        source: 'admin',
        actorUserId: null,
        now: new Date(NOW),
      });
      userIds.push(id);
    }
    const startAt = Date.now() + 1500;
    const [scheduled, onDemand] = await Promise.all([
      worker({ kind: 'refill-scheduled', databasePath: path, startAt, now: NOW, userIds: [] }),
      worker({
        kind: 'refill-on-demand',
        databasePath: path,
        startAt,
        now: NOW,
        userIds: [...userIds].reverse(),
        refill: { markId, markKey: 'enterprise', policy: { ...policy, mode: 'on_demand' } },
      }),
      new Promise((resolve) => setTimeout(resolve, startAt - Date.now())).then(() =>
        runScheduledRefills(handle.db, {
          trigger: 'admin',
          now: new Date(NOW),
          timeZone: 'UTC',
          batchSize: 7,
        }),
      ),
    ]);
    const rows = handle.sqlite
      .prepare(
        "select user_id, count(*) as n, sum(delta) as total from credit_ledger where kind = 'refill' group by user_id",
      )
      .all() as { n: number; total: number }[];
    expect(rows).toHaveLength(60);
    expect(rows.every((r) => r.n === 1 && r.total === 1000)).toBe(true);
    expect(scheduled.granted! + onDemand.granted!).toBeLessThanOrEqual(60);
    expect(checkCreditInvariants(handle.db).problems).toEqual([]);
  }, 60_000);
});
