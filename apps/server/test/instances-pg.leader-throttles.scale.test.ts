// The scheduler's leader and the throttles across three real server processes on one PostgreSQL
// database and one Redis (decisions 002, 030, 034). One instance of three leads and runs the
// scheduled refill; killed with SIGKILL, another takes over once its lease has run out and the
// period's refill still grants once per member. The sign-in throttle's buckets and the per-minute
// request limit live in the database, so attempts spread over A, B and C count as if on one
// instance: per-process buckets would let three times as many through. The SQLite twin of the
// leader test is scheduler.leader.multi-process.
import type { AppRouter } from '@tessera/api';
import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schedulerLeaseTtl } from '../src/scheduler.ts';
import { CookieFetch, STRONG_PASSWORD, trpcClient } from './harness.ts';
import { complete, openPgRun, type PgRun, setEntitlement, until } from './pg-instances.ts';
import type { ServerProcess } from './server-process.ts';

const TICK_MS = 1000;
const SCHEDULED = { REFILL_SCHEDULER: 'true', SCHEDULER_TICK_MS: String(TICK_MS) };
const TOOK = 'took the scheduler lease';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the scheduler leader across three instances on PostgreSQL', () => {
  let run: PgRun;
  beforeEach(async () => {
    run = await openPgRun('instances_leader');
  });
  afterEach(() => run?.end());

  const leaders = (servers: ServerProcess[]) => servers.filter((s) => s.logged(TOOK).length > 0);
  const scheduledRuns = () =>
    run.sql<{ users_refilled: string; finished_at: string | null }>(
      "select users_refilled, finished_at from refill_runs where trigger = 'scheduled' order by id",
    );
  const leaseRow = async () =>
    (
      await run.sql<{ holder: string; until: string }>(
        "select holder, until from leases where name = 'scheduler'",
      )
    )[0];

  it('one of three leads and refills; killed, another takes over after the ttl and the period still grants once', async () => {
    // A daily scheduled allowance on Pro only (the seeded ones would add grants of their own).
    await run.sql("update marks set entitlements = jsonb_set(entitlements, '{refill}', 'null')");
    await setEntitlement(run, 'pro', 'refill', {
      amount: 500,
      every: { value: 1, unit: 'day' },
      strategy: 'topup',
      cap: 1_000_000,
      mode: 'scheduled',
      grades: [],
    });
    const members = [];
    for (let i = 0; i < 10; i++)
      members.push(await run.apiMember(`holder${i}@example.com`, ['pro']));

    const servers = await run.start(3, SCHEDULED);
    const leader = await until(async () => leaders(servers)[0], 30_000, 'a leader');
    await until(
      async () => (await scheduledRuns()).some((r) => r.finished_at !== null),
      20_000,
      'the leader’s refill',
    );
    await sleep(3 * TICK_MS); // several ticks of every instance: nobody else takes the lease
    expect(leaders(servers)).toEqual([leader]);
    expect((await leaseRow())?.holder).toBe(leader.instance);
    expect((await scheduledRuns()).map((r) => Number(r.users_refilled))).toEqual([10]);

    const heldUntil = Number((await leaseRow())!.until);
    await leader.kill9();
    const rest = servers.filter((s) => s !== leader);
    const next = await until(async () => leaders(rest)[0], 30_000, 'a new leader');
    const took = next.logged(TOOK)[0] as { time: number };
    // Not before the dead leader's lease ran out, and within a tick or two after.
    expect(took.time).toBeGreaterThan(heldUntil);
    expect(took.time - heldUntil).toBeLessThan(schedulerLeaseTtl(TICK_MS));
    await until(
      async () => (await scheduledRuns()).filter((r) => r.finished_at !== null).length === 2,
      20_000,
      'the new leader’s catch-up run',
    );
    await sleep(3 * TICK_MS);
    expect(leaders(rest)).toEqual([next]);
    expect((await leaseRow())?.holder).toBe(next.instance);
    // The new leader's catch-up run found the period granted: nothing twice.
    expect((await scheduledRuns()).map((r) => Number(r.users_refilled))).toEqual([10, 0]);
    const grants = await run.sql<{ n: string; total: string }>(
      `select count(*) as n, sum(delta) as total from credit_ledger
       where kind = 'refill' group by user_id`,
    );
    expect(grants.map((g) => [Number(g.n), Number(g.total)])).toEqual(members.map(() => [1, 500]));
    expect(await run.ledgerProblems()).toEqual([]);
  }, 120_000);
});

describe('throttles across three instances on PostgreSQL', () => {
  let run: PgRun;
  let servers: ServerProcess[];
  let apiKey: string;
  let networks = 0;

  beforeAll(async () => {
    run = await openPgRun('instances_throttles');
    await setEntitlement(run, 'enterprise', 'requestsPerMinute', 5);
    const member = await run.apiMember('limited@example.com');
    apiKey = member.key;
    await run.setBalance(member.userId, 1_000_000);
    // Addresses from X-Forwarded-For, as behind the reverse proxy: each test its own network.
    servers = await run.start(3, { TRUST_PROXY: 'true' });
  }, 120_000);
  afterAll(() => run?.end());

  /** A sign-in from `ip` on the i-th instance: the domain code it was refused with. */
  async function signInCode(i: number, ip: string, email: string) {
    const on = servers[i % 3]!;
    const client = createTRPCClient<AppRouter>({
      links: [
        httpLink({
          url: `${on.url}/trpc`,
          fetch: new CookieFetch(on.url).fetch,
          headers: { 'x-forwarded-for': ip },
        }),
      ],
    });
    const error = await client.auth.signIn
      .mutate({ email, password: 'not the password at all' })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(TRPCClientError);
    return ((error as TRPCClientError<AppRouter>).data as { domainCode?: string }).domainCode;
  }

  function tally(codes: (string | undefined)[]) {
    const counts: Record<string, number> = {};
    for (const code of codes) counts[String(code)] = (counts[String(code)] ?? 0) + 1;
    return counts;
  }

  it('failed sign-ins of one account from many addresses, spread over the instances, stop at one bucket', async () => {
    // The account's bucket holds 10 and refills one token every 40 s: 30 guesses in a burst get 10
    // password checks in all, not 10 on each instance.
    const on = servers[0]!;
    await trpcClient(on.url, new CookieFetch(on.url)).auth.signUp.mutate({
      email: 'target@example.com',
      password: STRONG_PASSWORD,
    });
    const codes = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        signInCode(i, `198.51.100.${++networks}`, 'target@example.com'),
      ),
    );
    expect(tally(codes)).toEqual({ INVALID_CREDENTIALS: 10, TOO_MANY_ATTEMPTS: 20 });
  }, 60_000);

  it('one address spraying many accounts over the instances stops at one address bucket', async () => {
    // The address's bucket holds 50 and refills one token every 6 s; 75 guesses spread over three
    // instances would all pass with a bucket per process (25 each).
    const ip = `203.0.113.${++networks}`;
    const started = Date.now();
    const codes = await Promise.all(
      Array.from({ length: 75 }, (_, i) => signInCode(i, ip, `sprayed${i}@example.com`)),
    );
    const refilled = Math.floor((Date.now() - started) / 6000);
    const { INVALID_CREDENTIALS: checked = 0, ...rest } = tally(codes);
    expect(checked).toBeGreaterThanOrEqual(50);
    expect(checked).toBeLessThanOrEqual(50 + refilled);
    expect(Object.keys(rest)).toEqual(['TOO_MANY_ATTEMPTS']);
  }, 60_000);

  it('the per-minute request limit holds across instances', async () => {
    // Not across a minute's turn (that would start a new window): wait for the next minute when
    // fewer than 20 s of this one are left.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 40_000) await sleep(60_000 - intoMinute + 500);
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => complete(servers[i % 3]!, apiKey)),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(5);
    expect(
      new Set(
        results.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.body.error?.code}`),
      ),
    ).toEqual(new Set(['429 rate_limited']));
    expect(await run.ledgerProblems()).toEqual([]);
  }, 90_000);
});
