// Races over real HTTP, against two server processes sharing one SQLite file: the guarded
// statements decide, whichever process serves a request.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  adjustCredits,
  checkCreditInvariants,
  createApiKey,
  createUser,
  grantMark,
} from '@tessera/api';
import { createDb, type DbHandle } from '@tessera/db';
import { copyTestDatabase, removeDatabaseFiles } from '@tessera/db/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const serverDir = fileURLToPath(new URL('..', import.meta.url));
const spawned: ChildProcess[] = [];

function startServer(
  databasePath: string,
  tokensPerSecond = 100_000,
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_PATH: databasePath,
      REFILL_SCHEDULER: 'false',
      SEED_DEMO: 'true',
      DEMO_TOKENS_PER_SECOND: String(tokensPerSecond),
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  spawned.push(child); // killed after each test even if start-up failed half-way
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = output.match(/"url":"(http:\/\/[^"]+)"/);
      if (match) resolve({ url: match[1]!, child });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => {
      output += c;
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${output}`)));
  });
}

describe('races over HTTP between two server processes', () => {
  let path: string;
  let handle: DbHandle;
  let servers: { url: string; child: ChildProcess }[] = [];
  let key: string;
  let userId: string;

  beforeEach(async () => {
    path = copyTestDatabase();
    servers = await Promise.all([startServer(path), startServer(path)]); // both migrate and seed (once)
    handle = createDb(path);
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
  }, 60_000);

  afterEach(() => {
    for (const child of spawned.splice(0)) child.kill('SIGKILL');
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

  async function fire(count: number) {
    const requests = Array.from({ length: count }, (_, i) =>
      fetch(`${servers[i % 2]!.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'tessera-mini',
          max_tokens: 100,
          messages: [{ role: 'user', content: 'race' }],
        }),
      }).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as { error?: { code: string } },
      })),
    );
    return Promise.all(requests);
  }

  it('200 simultaneous requests with credit for exactly one: exactly one is admitted, invariants hold', async () => {
    setBalance(150); // one hold is 100
    const results = await fire(200);
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

  it('100 simultaneous requests at quota − 1: exactly one is admitted', async () => {
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
    const results = await fire(100);
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

  it('a server killed mid-stream leaves nothing open once restarted: the reservation is released', async () => {
    adjustCredits(handle.db, {
      userId,
      mode: 'set',
      amount: 1_000_000,
      reason: 'crash test',
      actorUserId: null,
      now: new Date(),
    });
    for (const s of servers) s.child.kill('SIGKILL');
    const slow = await startServer(path, 10);
    servers = [slow];
    const response = await fetch(`${slow.url}/v1/chat/completions`, {
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
    const open = () =>
      handle.sqlite
        .prepare("select count(*) as n from credit_reservations where status = 'open'")
        .get();
    expect(open()).toEqual({ n: 1 });

    const exited = new Promise((resolve) => slow.child.on('exit', resolve));
    slow.child.kill('SIGKILL');
    await exited;
    await reader.cancel().catch(() => {});
    expect(open()).toEqual({ n: 1 }); // the crash left it open

    servers = [await startServer(path)];
    expect(open()).toEqual({ n: 0 });
    expect(handle.sqlite.prepare('select status, charged from credit_reservations').get()).toEqual({
      status: 'released',
      charged: 0,
    });
    expect(checkCreditInvariants(handle.db).problems).toEqual([]);
    expect(
      handle.sqlite.prepare('select reserved from credit_accounts where user_id = ?').get(userId),
    ).toEqual({ reserved: 0 });
  }, 120_000);
});
