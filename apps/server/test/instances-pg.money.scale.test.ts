// Money across three real server processes on one PostgreSQL database and one Redis (decisions
// 030, 034): the guarded statements of the PostgreSQL adapter decide, whichever instance serves a
// request. The day quota at its limit − 1 admits one request of many; the leader's scheduled
// refill, on-demand refills at admission on another instance and an admin's run on a third grant
// once per user, mark and period; an instance killed mid-answer leaves a reservation that another
// instance releases once its lease has run out. The SQLite twins of these tests are
// v1.races-and-crash.multi-process and scheduler.leader.multi-process.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  complete,
  consoleOn,
  openPgRun,
  type PgRun,
  setEntitlement,
  until,
} from './pg-instances.ts';
import type { ServerProcess } from './server-process.ts';

const SCHEDULED = { REFILL_SCHEDULER: 'true', SCHEDULER_TICK_MS: '1000' };

describe('money across three instances on PostgreSQL', () => {
  let run: PgRun;
  beforeEach(async () => {
    run = await openPgRun('instances_money');
    // Predictable prices (input free, one credit per output token) and no refills in the way
    // unless a test sets one.
    await run.sql(
      "update models set input_price_per_million = 0, output_price_per_million = 1000000 where id = 'tessera-mini'",
    );
    await run.sql("update marks set entitlements = jsonb_set(entitlements, '{refill}', 'null')");
  });
  afterEach(() => run?.end());

  it('100 requests spread over the instances at the day quota − 1: exactly one is admitted, the counter reads the limit', async () => {
    await setEntitlement(run, 'enterprise', 'requestsPerDay', 30);
    const { userId, key } = await run.apiMember('quota@example.com');
    await run.setBalance(userId, 1_000_000);
    const day = new Date();
    day.setUTCHours(0, 0, 0, 0); // PLATFORM_TIME_ZONE is UTC
    await run.sql(
      `insert into usage_counters (user_id, "window", period_start, requests) values ($1, 'day', $2, 29)`,
      [userId, day.getTime()],
    );
    const servers = await run.start(3);
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => complete(servers[i % 3]!, key)),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(
      new Set(
        results.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.body.error?.code}`),
      ),
    ).toEqual(new Set(['429 quota_exceeded']));
    const counters = await run.sql<{ window: string; requests: string }>(
      `select "window", requests from usage_counters where user_id = $1 and "window" in ('day', 'month')`,
      [userId],
    );
    // The day reached its limit and no further; the month counted the one admitted request only.
    expect(Object.fromEntries(counters.map((c) => [c.window, Number(c.requests)]))).toEqual({
      day: 30,
      month: 1,
    });
    expect(await run.ledgerProblems()).toEqual([]);
  }, 120_000);

  it('scheduled, on-demand and admin refills on different instances grant once per user, mark and period', async () => {
    // Each member holds a daily scheduled allowance (Pro) and a daily on-demand one (Enterprise):
    // the admin's "refill everyone" meets the leader's run on one and the admissions' on the other.
    const policy = (amount: number, mode: 'scheduled' | 'on_demand') => ({
      amount,
      every: { value: 1, unit: 'day' },
      strategy: 'topup',
      cap: 1_000_000,
      mode,
      grades: [],
    });
    await setEntitlement(run, 'pro', 'refill', policy(500, 'scheduled'));
    await setEntitlement(run, 'enterprise', 'refill', policy(1000, 'on_demand'));
    // C, the admin's instance, first and outside the scheduler: the admin is the first account,
    // and C would otherwise lead and refill before the members exist. They exist before A and B
    // start, so the run of whichever of the two takes the lease (at its first tick, a second after
    // start) races the chats on B and the admin's run on C; only one of A and B may run it.
    const [adminOn] = (await run.start(1)) as [ServerProcess];
    const adminJar = await run.signUpAdmin(adminOn);
    const members = [];
    for (let i = 0; i < 12; i++)
      members.push(await run.apiMember(`member${i}@example.com`, ['pro', 'enterprise']));
    const servers = await run.start(2, SCHEDULED);
    const chatOn = servers[1]!;
    const [chats, adminRun] = await Promise.all([
      Promise.all(members.map((m) => complete(chatOn, m.key).then((r) => r.status))),
      consoleOn(adminOn, adminJar).admin.credits.runRefill.mutate({ includeOnDemand: true }),
    ]);
    expect(chats.every((status) => status === 200)).toBe(true);
    expect(adminRun.error).toBeNull();
    const scheduledRuns = async () =>
      Number(
        (
          await run.sql<{ n: string }>(
            "select count(*) as n from refill_runs where trigger = 'scheduled' and finished_at is not null",
          )
        )[0]!.n,
      );
    await until(async () => (await scheduledRuns()) >= 1, 30_000, 'the scheduled run');

    const grants = await run.sql<{ reference: string; n: string; total: string }>(
      `select reference, count(*) as n, sum(delta) as total from credit_ledger
       where kind = 'refill' group by user_id, reference`,
    );
    expect(grants).toHaveLength(members.length * 2);
    for (const grant of grants) {
      expect(Number(grant.n)).toBe(1);
      expect(Number(grant.total)).toBe(grant.reference === 'pro' ? 500 : 1000);
    }
    const runs = await run.sql<{ trigger: string; n: string }>(
      'select trigger, count(*) as n from refill_runs group by trigger order by trigger',
    );
    expect(runs.map((r) => [r.trigger, Number(r.n)])).toEqual([
      ['admin', 1],
      ['scheduled', 1],
    ]);
    expect(await run.ledgerProblems()).toEqual([]);
  }, 120_000);

  it('kill -9 mid-answer: another instance releases the reservation once its lease ends; a live answer longer than the lease keeps its own', async () => {
    const { userId, key } = await run.apiMember('crash@example.com');
    await run.setBalance(userId, 1_000_000);
    // 2 s leases renewed every ~0.7 s, a scheduler ticking every second (the leader sweeps expired
    // leases each tick), and a slow demo model (5 words a second) that outlasts several leases.
    const servers = await run.start(3, {
      ...SCHEDULED,
      RESERVATION_LEASE_MS: '2000',
      DEMO_TOKENS_PER_SECOND: '5',
    });
    const [doomed, live] = servers as [ServerProcess, ServerProcess, ServerProcess];
    const reservation = async (holder: string) =>
      (
        await run.sql<{ id: string; status: string; charged: string | null }>(
          'select id, status, charged from credit_reservations where holder = $1',
          [holder],
        )
      )[0];

    const liveStart = Date.now();
    const liveAnswer = complete(live, key, {
      max_tokens: 40,
      messages: [{ role: 'user', content: 'a long answer please' }],
    });

    const response = await fetch(`${doomed.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'tessera-mini',
        max_tokens: 100,
        stream: true,
        messages: [{ role: 'user', content: 'crash' }],
      }),
    });
    const reader = response.body!.getReader();
    let received = '';
    while (!received.includes('"content":"You'))
      received += new TextDecoder().decode((await reader.read()).value);
    expect(await reservation(doomed.instance)).toMatchObject({ status: 'open' });

    await doomed.kill9();
    const killedAt = Date.now();
    await reader.cancel().catch(() => {});
    const released = await until(
      async () => {
        const row = await reservation(doomed.instance);
        return row?.status === 'released' ? row : undefined;
      },
      30_000,
      'the dead instance’s reservation to be released',
    );
    expect(Number(released.charged)).toBe(0);
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(1000); // not before its lease could end
    const releasers = servers
      .slice(1)
      .filter((s) => s.logged('released credit reservations whose lease ran out').length > 0);
    expect(releasers).toHaveLength(1);

    // The live answer ran longer than a lease and kept its reservation to the end.
    const answered = await liveAnswer;
    expect(answered.status).toBe(200);
    expect(Date.now() - liveStart).toBeGreaterThan(2000 * 2);
    const settled = (await reservation(live.instance))!;
    expect(settled.status).toBe('settled');
    expect(Number(settled.charged)).toBeGreaterThan(0);

    expect(await run.ledgerProblems()).toEqual([]);
    const [account] = await run.sql<{ balance: string }>(
      'select balance from credit_accounts where user_id = $1',
      [userId],
    );
    expect(Number(account!.balance)).toBe(1_000_000 - Number(settled.charged)); // only the live one
  }, 120_000);
});
