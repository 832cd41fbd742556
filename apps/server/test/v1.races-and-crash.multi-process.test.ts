// Races over real HTTP against three server processes sharing one SQLite file: the guarded
// statements decide, whichever instance serves a request. And a crash: an instance killed
// mid-answer leaves a reservation whose lease runs out, and another instance releases it, while an
// answer streaming longer than the lease on a live instance keeps its hold (decision 030).
import {
  adjustCredits,
  checkCreditInvariants,
  createApiKey,
  createUser,
  grantMark,
  seedDemoData,
} from '@tessera/api';
import { createDb, type DbHandle } from '@tessera/db';
import { copyTestDatabase, removeDatabaseFiles } from '@tessera/db/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  eventually,
  killAllServerProcesses,
  type ServerProcess,
  startServerProcesses,
} from './server-process.ts';

describe('races and a crash over HTTP between three server processes', () => {
  let path: string;
  let handle: DbHandle;
  let key: string;
  let userId: string;

  beforeEach(async () => {
    path = copyTestDatabase();
    handle = createDb(path);
    seedDemoData(handle.db, new Date());
    const user = await createUser(handle.db, {
      email: 'racer@example.com',
      password: 'a sturdy passphrase',
      now: new Date(),
    });
    userId = user.id;
    const enterprise = (
      handle.sqlite.prepare("select id from marks where key = 'enterprise'").get() as { id: string }
    ).id;
    grantMark(handle.db, {
      userId,
      markId: enterprise,
      days: 30,
      source: 'admin',
      actorUserId: null,
      now: new Date(),
    });
    // Predictable prices: input free, one credit per output token; no refills in the way.
    handle.sqlite
      .prepare(
        "update models set input_price_per_million = 0, output_price_per_million = 1000000 where id = 'tessera-mini'",
      )
      .run();
    handle.sqlite
      .prepare("update marks set entitlements = json_set(entitlements, '$.refill', null)")
      .run();
    key = createApiKey(handle.db, { userId, name: 'race', actorUserId: null, now: new Date() }).key;
  });

  afterEach(() => {
    killAllServerProcesses();
    handle.close();
    removeDatabaseFiles(path);
  });

  const setBalance = (amount: number) =>
    adjustCredits(handle.db, {
      userId,
      mode: 'set',
      amount,
      reason: 'race setup',
      actorUserId: null,
      now: new Date(),
    });

  const complete = (server: ServerProcess, body: Record<string, unknown>) =>
    fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'tessera-mini',
        messages: [{ role: 'user', content: 'race' }],
        ...body,
      }),
    });

  async function fire(servers: ServerProcess[], count: number) {
    const requests = Array.from({ length: count }, (_, i) =>
      complete(servers[i % servers.length]!, { max_tokens: 100 }).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as { error?: { code: string } },
      })),
    );
    return Promise.all(requests);
  }

  it('200 simultaneous requests over three instances with credit for exactly one: exactly one is admitted, invariants hold', async () => {
    const servers = await startServerProcesses(3, path);
    setBalance(150); // one hold is 100
    const results = await fire(servers, 200);
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    const refused = results.filter((r) => r.status !== 200);
    expect(new Set(refused.map((r) => `${r.status} ${r.body.error?.code}`))).toEqual(
      new Set(['402 insufficient_credits']),
    );
    expect(checkCreditInvariants(handle.db).problems).toEqual([]);
    const account = handle.sqlite
      .prepare('select balance, reserved from credit_accounts where user_id = ?')
      .get(userId) as { balance: number; reserved: number };
    expect(account.reserved).toBe(0);
    expect(account.balance).toBeGreaterThanOrEqual(50);
  }, 120_000);

  it('100 simultaneous requests over three instances at quota − 1: exactly one is admitted', async () => {
    const servers = await startServerProcesses(3, path);
    setBalance(1_000_000);
    handle.sqlite
      .prepare(
        "update marks set entitlements = json_set(entitlements, '$.requestsPerDay', 30) where key = 'enterprise'",
      )
      .run();
    const day = new Date();
    day.setUTCHours(0, 0, 0, 0);
    handle.sqlite
      .prepare(
        "insert into usage_counters (user_id, window, period_start, requests) values (?, 'day', ?, 29)",
      )
      .run(userId, day.getTime());
    const results = await fire(servers, 100);
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(
      new Set(
        results.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.body.error?.code}`),
      ),
    ).toEqual(new Set(['429 quota_exceeded']));
    expect(
      handle.sqlite
        .prepare("select requests from usage_counters where user_id = ? and window = 'day'")
        .get(userId),
    ).toEqual({ requests: 30 });
    expect(checkCreditInvariants(handle.db).problems).toEqual([]);
  }, 120_000);

  it('kill -9 mid-answer: another instance releases the reservation once its lease ends; a live answer longer than the lease keeps its own', async () => {
    setBalance(1_000_000);
    // Short leases (3 s, renewed every second) and a scheduler ticking every second, so the leader
    // sweeps expired leases often; a slow demo model (5 words a second) outlasts several leases.
    const servers = await startServerProcesses(3, path, {
      RESERVATION_LEASE_MS: '3000',
      SCHEDULER_TICK_MS: '1000',
      REFILL_SCHEDULER: 'true',
      DEMO_TOKENS_PER_SECOND: '5',
    });
    const [doomed, live] = servers as [ServerProcess, ServerProcess, ServerProcess];
    const reservation = (holder: string) =>
      handle.sqlite
        .prepare<[string], { id: string; status: string; charged: number | null }>(
          'select id, status, charged from credit_reservations where holder = ?',
        )
        .get(holder);

    // The answer on the live instance: 60 tokens at 5 words a second, several leases long.
    const liveStart = Date.now();
    const liveAnswer = complete(live, {
      max_tokens: 60,
      messages: [{ role: 'user', content: 'a long answer please' }],
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));

    // The answer on the instance about to die: streaming, its reservation open.
    const response = await complete(doomed, {
      max_tokens: 100,
      stream: true,
      messages: [{ role: 'user', content: 'crash' }],
    });
    const reader = response.body!.getReader();
    let received = '';
    while (!received.includes('"content":"You'))
      received += new TextDecoder().decode((await reader.read()).value);
    expect(reservation(doomed.instance)).toMatchObject({ status: 'open' });

    await doomed.kill9();
    const killedAt = Date.now();
    await reader.cancel().catch(() => {});
    // Left open by the crash; released by a surviving instance once the lease has run out.
    const released = await eventually(
      () => {
        const row = reservation(doomed.instance);
        return row?.status === 'released' ? row : undefined;
      },
      30_000,
      'the dead instance’s reservation to be released',
    );
    expect(released.charged).toBe(0);
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(2000); // not before its lease could end
    const releasers = servers
      .slice(1)
      .filter((s) => s.logged('released credit reservations whose lease ran out').length > 0);
    expect(releasers).toHaveLength(1);

    // The live answer ran longer than a lease and kept its reservation to the end.
    const answered = await liveAnswer;
    expect(answered.status).toBe(200);
    expect(Date.now() - liveStart).toBeGreaterThan(3000 * 2);
    const settled = reservation(live.instance)!;
    expect(settled.status).toBe('settled');
    expect(settled.charged).toBeGreaterThan(0);

    expect(checkCreditInvariants(handle.db).problems).toEqual([]);
    const account = handle.sqlite
      .prepare('select balance, reserved from credit_accounts where user_id = ?')
      .get(userId) as { balance: number; reserved: number };
    // Nothing held any more; only the live answer was charged.
    expect(account).toEqual({ balance: 1_000_000 - settled.charged!, reserved: 0 });
  }, 120_000);
});
