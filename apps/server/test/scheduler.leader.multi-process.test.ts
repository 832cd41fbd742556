// The scheduler's leader lock across three real server processes on one SQLite file (decision
// 030): every instance ticks, exactly one holds the `scheduler` lease and does the scheduled work;
// killed, it is replaced once its lease has run out. And the three ways credits come back —
// the leader's scheduled refill, on-demand refills at chat admission, an admin's refill — landing
// on different instances in the same period grant once per user, mark and period.
import {
  checkCreditInvariants,
  createApiKey,
  createUser,
  grantMark,
  seedDemoData,
} from '@tessera/api';
import { createDb, type DbHandle } from '@tessera/db';
import { copyTestDatabase, removeDatabaseFiles } from '@tessera/db/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { schedulerLeaseTtl } from '../src/scheduler.ts';
import { CookieFetch, trpcClient } from './harness.ts';
import {
  eventually,
  killAllServerProcesses,
  type ServerProcess,
  startServerProcesses,
} from './server-process.ts';

const TICK_MS = 1000;
const SCHEDULED = { REFILL_SCHEDULER: 'true', SCHEDULER_TICK_MS: String(TICK_MS) };
const TOOK = 'took the scheduler lease';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the scheduler leader across three server processes', () => {
  let path: string;
  let handle: DbHandle;

  beforeEach(() => {
    path = copyTestDatabase();
    handle = createDb(path);
    seedDemoData(handle.db, new Date());
  });
  afterEach(() => {
    killAllServerProcesses();
    handle.close();
    removeDatabaseFiles(path);
  });

  const leaseRow = () =>
    handle.sqlite.prepare("select holder, until from leases where name = 'scheduler'").get() as
      | { holder: string; until: number }
      | undefined;
  const scheduledRuns = () =>
    (
      handle.sqlite
        .prepare(
          "select count(*) as n from refill_runs where trigger = 'scheduled' and finished_at is not null",
        )
        .get() as { n: number }
    ).n;
  const leaders = (servers: ServerProcess[]) => servers.filter((s) => s.logged(TOOK).length > 0);

  it('exactly one of three instances runs the scheduled work; killed, another takes over after the ttl', async () => {
    const servers = await startServerProcesses(3, path, SCHEDULED);
    const leader = await eventually(() => leaders(servers)[0], 20_000, 'a leader');
    await sleep(4 * TICK_MS); // several ticks of every instance: nobody else takes it
    expect(leaders(servers)).toEqual([leader]);
    expect(leaseRow()?.holder).toBe(leader.instance);
    // Renewed each tick for a tick and a margin: never further ahead than the ttl.
    expect(leaseRow()!.until - Date.now()).toBeLessThanOrEqual(schedulerLeaseTtl(TICK_MS));
    // It refilled on taking the lease; the others ran nothing.
    expect(scheduledRuns()).toBe(1);
    expect(servers.map((s) => s.logged('scheduled refill run').length)).toEqual(
      servers.map((s) => (s === leader ? 1 : 0)),
    );

    const heldUntil = leaseRow()!.until;
    await leader.kill9();
    const rest = servers.filter((s) => s !== leader);
    const next = await eventually(() => leaders(rest)[0], 30_000, 'a new leader');
    const took = next.logged(TOOK)[0] as { time: number };
    // Not before the dead leader's lease ran out (the lease's `until`, the same clock here).
    expect(took.time).toBeGreaterThan(heldUntil);
    await sleep(3 * TICK_MS);
    expect(leaders(rest)).toEqual([next]);
    expect(leaseRow()?.holder).toBe(next.instance);
    expect(scheduledRuns()).toBe(2); // the new leader's catch-up run
  }, 90_000);

  it('scheduled, on-demand and admin refills on different instances grant once per user, mark and period', async () => {
    // A daily scheduled allowance on Pro and a daily on-demand one on Enterprise; each member holds
    // both, so the admin's "refill everyone" meets the leader's run on one and the admissions' on
    // the other.
    const policy = (amount: number, mode: 'scheduled' | 'on_demand') =>
      JSON.stringify({
        amount,
        every: { value: 1, unit: 'day' },
        strategy: 'topup',
        cap: 1_000_000,
        mode,
        grades: [],
      });
    const setPolicy = handle.sqlite.prepare(
      "update marks set entitlements = json_set(entitlements, '$.refill', json(?)) where key = ?",
    );
    // Only these two refill (the free tier's own allowance would add a grant of its own).
    handle.sqlite
      .prepare("update marks set entitlements = json_set(entitlements, '$.refill', null)")
      .run();
    setPolicy.run(policy(500, 'scheduled'), 'pro');
    setPolicy.run(policy(1000, 'on_demand'), 'enterprise');
    handle.sqlite
      .prepare(
        "update models set input_price_per_million = 0, output_price_per_million = 1000000 where id = 'tessera-mini'",
      )
      .run();
    const now = new Date();
    const admin = await createUser(handle.db, {
      email: 'admin@example.com', // the first account: the platform admin
      password: 'a sturdy passphrase',
      now,
    });
    const markId = (key: string) =>
      (handle.sqlite.prepare('select id from marks where key = ?').get(key) as { id: string }).id;
    const members: { id: string; key: string }[] = [];
    for (let i = 0; i < 12; i++) {
      const user = await createUser(handle.db, {
        email: `member${i}@example.com`,
        password: 'a sturdy passphrase',
        now,
      });
      for (const key of ['pro', 'enterprise'])
        grantMark(handle.db, {
          userId: user.id,
          markId: markId(key),
          days: 30,
          source: 'admin',
          actorUserId: null,
          now,
        });
      members.push({
        id: user.id,
        key: createApiKey(handle.db, { userId: user.id, name: 'k', actorUserId: null, now }).key,
      });
    }

    const servers = await startServerProcesses(3, path, SCHEDULED);
    const leader = await eventually(() => leaders(servers)[0], 20_000, 'a leader');
    const [chatOn, adminOn] = servers.filter((s) => s !== leader) as [ServerProcess, ServerProcess];
    const browser = new CookieFetch(adminOn.url);
    const console = trpcClient(adminOn.url, browser);
    await console.auth.signIn.mutate({ email: admin.email, password: 'a sturdy passphrase' });
    const [chats, adminRun] = await Promise.all([
      Promise.all(
        members.map((m) =>
          fetch(`${chatOn.url}/v1/chat/completions`, {
            method: 'POST',
            headers: { authorization: `Bearer ${m.key}`, 'content-type': 'application/json' },
            body: JSON.stringify({
              model: 'tessera-mini',
              max_tokens: 20,
              messages: [{ role: 'user', content: 'refill me' }],
            }),
          }).then((r) => r.status),
        ),
      ),
      console.admin.credits.runRefill.mutate({ includeOnDemand: true }),
    ]);
    expect(chats.every((status) => status === 200)).toBe(true);
    expect(adminRun.error).toBeNull();
    await eventually(() => scheduledRuns() >= 1, 20_000, 'the scheduled run');

    const grants = handle.sqlite
      .prepare(
        `select reference, count(*) as n, sum(delta) as total from credit_ledger
         where kind = 'refill' group by user_id, reference`,
      )
      .all() as { reference: string; n: number; total: number }[];
    expect(grants).toHaveLength(members.length * 2);
    for (const grant of grants) {
      expect(grant.n).toBe(1);
      expect(grant.total).toBe(grant.reference === 'pro' ? 500 : 1000);
    }
    expect(scheduledRuns()).toBe(1); // the leader only
    expect(
      (
        handle.sqlite
          .prepare("select count(*) as n from refill_runs where trigger = 'admin'")
          .get() as { n: number }
      ).n,
    ).toBe(1);
    expect(checkCreditInvariants(handle.db).problems).toEqual([]);
  }, 90_000);
});
