// Our /v1 with the official `openai` SDK as the client: models, completions streaming and not,
// errors in OpenAI's shape, and a cut-off the SDK surfaces as an APIError.

import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createApiKey, createUser, grantMark, revokeMark } from '@tessera/api';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.ts';

const run = promisify(execFile);
const serverDir = fileURLToPath(new URL('..', import.meta.url));

describe('/v1 through the official openai SDK', () => {
  let server: TestServer;
  afterEach(() => server.stop());

  async function setup(options: { demoTokensPerSecond?: number } = {}) {
    server = await startTestServer({
      seedDemo: true,
      demoTokensPerSecond: options.demoTokensPerSecond ?? 5000,
    });
    const db = server.database.db;
    const mark = (key: string) =>
      (
        server.database.sqlite.prepare('select id from marks where key = ?').get(key) as {
          id: string;
        }
      ).id;
    const user = await createUser(db, {
      email: 'dev@example.com',
      password: 'a sturdy passphrase',
      now: new Date(),
    });
    await createUser(db, {
      email: 'other@example.com',
      password: 'a sturdy passphrase',
      now: new Date(),
    });
    server.database.sqlite
      .prepare('update credit_accounts set balance = 50000000 where user_id = ?')
      .run(user.id);
    const key = createApiKey(db, {
      userId: user.id,
      name: 'test',
      actorUserId: null,
      now: new Date(),
    });
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: key.key, maxRetries: 0 });
    return { db, user, mark, key, client };
  }

  it('refuses without API access (402), with a bad key (401), and lists only the models the plan allows', async () => {
    const { db, user, mark, client } = await setup();
    await expect(client.models.list()).rejects.toMatchObject({
      status: 402,
      code: 'plan_required',
    });
    const bad = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'tsk_nope', maxRetries: 0 });
    await expect(bad.models.list()).rejects.toMatchObject({ status: 401, code: 'invalid_api_key' });

    grantMark(db, {
      userId: user.id,
      markId: mark('enterprise'),
      days: 30,
      source: 'admin',
      actorUserId: null,
      now: new Date(),
    });
    const listed = await client.models.list();
    expect(listed.data.map((m) => m.id).sort()).toEqual([
      'tessera-mini',
      'tessera-plus',
      'tessera-ultra',
    ]);
  });

  it('answers non-streaming and streaming completions with usage, and charges the credits', async () => {
    const { db, user, mark, client } = await setup();
    grantMark(db, {
      userId: user.id,
      markId: mark('enterprise'),
      days: 30,
      source: 'admin',
      actorUserId: null,
      now: new Date(),
    });
    const balance = () =>
      (
        server.database.sqlite
          .prepare('select balance from credit_accounts where user_id = ?')
          .get(user.id) as { balance: number }
      ).balance;

    const completion = await client.chat.completions.create({
      model: 'tessera-plus',
      messages: [{ role: 'user', content: 'Hello API' }],
    });
    expect(completion.object).toBe('chat.completion');
    expect(completion.choices[0]?.message.content).toContain('Hello API');
    expect(completion.usage?.completion_tokens).toBeGreaterThan(0);
    const afterFirst = balance();
    expect(afterFirst).toBeLessThan(50_000_000);

    const stream = await client.chat.completions.create({
      model: 'tessera-plus',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Stream please' },
      ],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toContain('Stream please');
    expect(usage?.total_tokens).toBeGreaterThan(0);
    expect(balance()).toBeLessThan(afterFirst);
  });

  it('maps refusals to OpenAI errors: unknown model 404 model_not_found, model outside the plan 403, no credits 402', async () => {
    const { db, user, mark, client } = await setup();
    grantMark(db, {
      userId: user.id,
      markId: mark('enterprise'),
      days: 30,
      source: 'admin',
      actorUserId: null,
      now: new Date(),
    });
    // A model this server does not have is OpenAI's 404 model_not_found; one it has, outside the
    // plan, is 403.
    await expect(
      client.chat.completions.create({
        model: 'gpt-nope',
        messages: [{ role: 'user', content: 'x' }],
      }),
    ).rejects.toMatchObject({ status: 404, code: 'model_not_found', param: 'model' });
    server.database.sqlite
      .prepare(
        `insert into models (id, display_name, input_price_per_million, output_price_per_million, provider_id, active, created_at)
         values ('tessera-secret', 'Secret', 1, 1, null, 1, 0)`,
      )
      .run();
    await expect(
      client.chat.completions.create({
        model: 'tessera-secret',
        messages: [{ role: 'user', content: 'x' }],
      }),
    ).rejects.toMatchObject({ status: 403, code: 'model_not_in_plan' });
    server.database.sqlite
      .prepare('update credit_accounts set balance = 0 where user_id = ?')
      .run(user.id);
    // The free tier's daily on-demand refill (10,000 credits) runs first; the worst case of this
    // request (16,000 output tokens of tessera-ultra = 160,000 credits) is still out of reach.
    const expensive = {
      model: 'tessera-ultra',
      max_tokens: 16_000,
      messages: [{ role: 'user' as const, content: 'x' }],
    };
    await expect(client.chat.completions.create(expensive)).rejects.toMatchObject({
      status: 402,
      code: 'insufficient_credits',
    });
  });

  it('names the model that answered when credits forced the fallback, in body, chunks and headers', async () => {
    const { db, user, mark, client } = await setup();
    grantMark(db, {
      userId: user.id,
      markId: mark('enterprise'),
      days: 30,
      source: 'admin',
      actorUserId: null,
      now: new Date(),
    });
    // After the free tier's on-demand refill (10,000 credits): 4,000 output tokens of
    // tessera-ultra (40,000) are out of reach, of Enterprise's fallback tessera-plus (8,000) not.
    server.database.sqlite
      .prepare('update credit_accounts set balance = 0 where user_id = ?')
      .run(user.id);
    const request = {
      model: 'tessera-ultra',
      max_tokens: 4000,
      messages: [{ role: 'user' as const, content: 'Fall back, please' }],
    };
    const expected = {
      from: 'tessera-ultra',
      to: 'tessera-plus',
      reason: 'Not enough credits for this request.',
    };

    const { data, response } = await client.chat.completions.create(request).withResponse();
    expect(data.model).toBe('tessera-plus');
    expect(data.choices[0]?.message.content).toContain('Fall back, please');
    expect((data as unknown as { tessera_fallback: unknown }).tessera_fallback).toEqual(expected);
    expect(response.headers.get('x-tessera-model')).toBe('tessera-plus');
    expect(response.headers.get('x-tessera-fallback-from')).toBe('tessera-ultra');

    const streamed = await client.chat.completions
      .create({ ...request, stream: true })
      .withResponse();
    expect(streamed.response.headers.get('x-tessera-model')).toBe('tessera-plus');
    expect(streamed.response.headers.get('x-tessera-fallback-from')).toBe('tessera-ultra');
    const models = new Set<string>();
    let finalChunk: unknown;
    for await (const chunk of streamed.data) {
      models.add(chunk.model);
      if (chunk.choices[0]?.finish_reason) finalChunk = chunk;
    }
    expect([...models]).toEqual(['tessera-plus']);
    expect(finalChunk).toMatchObject({ tessera_fallback: expected });

    // What the ledger charged is the model the response named.
    const charged = server.database.sqlite
      .prepare(
        "select count(*) as n from credit_ledger where user_id = ? and kind = 'charge' and delta < 0",
      )
      .get(user.id) as { n: number };
    expect(charged.n).toBe(2);

    // Without a fallback the header names the requested model and says nothing of a fallback.
    server.database.sqlite
      .prepare('update credit_accounts set balance = 50000000 where user_id = ?')
      .run(user.id);
    const plain = await client.chat.completions.create(request).withResponse();
    expect(plain.data.model).toBe('tessera-ultra');
    expect(plain.response.headers.get('x-tessera-model')).toBe('tessera-ultra');
    expect(plain.response.headers.get('x-tessera-fallback-from')).toBeNull();
    expect(plain.data).not.toHaveProperty('tessera_fallback');
  });

  it("answers another user's X-Request-Id normally; only its owner's repeat is a duplicate", async () => {
    const { db, user, mark, client } = await setup();
    const other = server.database.sqlite
      .prepare("select id from users where email = 'other@example.com'")
      .get() as { id: string };
    for (const userId of [user.id, other.id]) {
      grantMark(db, {
        userId,
        markId: mark('enterprise'),
        days: 30,
        source: 'admin',
        actorUserId: null,
        now: new Date(),
      });
    }
    server.database.sqlite
      .prepare('update credit_accounts set balance = 50000000 where user_id = ?')
      .run(other.id);
    const otherKey = createApiKey(db, {
      userId: other.id,
      name: 'other',
      actorUserId: null,
      now: new Date(),
    });
    const otherClient = new OpenAI({
      baseURL: `${server.url}/v1`,
      apiKey: otherKey.key,
      maxRetries: 0,
    });
    const headers = { 'x-request-id': 'req-0001' }; // the kind of id anyone could guess
    const ask = (c: OpenAI, content: string) =>
      c.chat.completions.create(
        { model: 'tessera-mini', messages: [{ role: 'user', content }] },
        { headers },
      );

    expect((await ask(client, 'first')).choices[0]?.message.content).toContain('first');
    const theirs = await ask(otherClient, 'second');
    expect(theirs.choices[0]?.message.content).toContain('second');
    await expect(ask(client, 'again')).rejects.toMatchObject({ status: 409 });
    const charges = server.database.sqlite
      .prepare("select user_id from credit_ledger where kind = 'charge' order by user_id")
      .all() as { user_id: string }[];
    expect(charges.map((c) => c.user_id)).toEqual([user.id, other.id].sort());
  });

  it('cuts a stream off when API access is revoked mid-answer; the SDK raises the typed error', async () => {
    const { db, user, mark, client } = await setup({ demoTokensPerSecond: 40 });
    grantMark(db, {
      userId: user.id,
      markId: mark('enterprise'),
      days: 30,
      source: 'admin',
      actorUserId: null,
      now: new Date(),
    });
    const stream = await client.chat.completions.create({
      model: 'tessera-ultra',
      messages: [{ role: 'user', content: 'long answer' }],
      stream: true,
    });
    let chunks = 0;
    let chunksAfterRevoke = 0;
    let revoked = false;
    const error = await (async () => {
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta?.content) chunks++;
        if (revoked) chunksAfterRevoke++;
        if (chunks === 3 && !revoked) {
          revokeMark(db, {
            userId: user.id,
            markId: mark('enterprise'),
            actorUserId: null,
            now: new Date(),
          });
          revoked = true;
        }
      }
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error).toMatchObject({ code: 'model_not_in_plan', type: 'cut_off' });
    expect(chunksAfterRevoke).toBeLessThanOrEqual(1);
    const reservations = server.database.sqlite
      .prepare("select count(*) as n from credit_reservations where status = 'open'")
      .get();
    expect(reservations).toEqual({ n: 0 });
  });

  it('cuts a stream off when `pnpm tessera mark:revoke` runs in another process', async () => {
    // Slow enough that the answer outlasts a CLI process's start-up even on a loaded machine.
    const { db, user, mark, client } = await setup({ demoTokensPerSecond: 8 });
    grantMark(db, {
      userId: user.id,
      markId: mark('enterprise'),
      days: 30,
      source: 'admin',
      actorUserId: null,
      now: new Date(),
    });
    const stream = await client.chat.completions.create({
      model: 'tessera-plus',
      messages: [{ role: 'user', content: 'long answer' }],
      stream: true,
    });
    let chunks = 0;
    let revokeExitedAt = 0;
    let chunksAfterCli = 0;
    let cli: Promise<unknown> | undefined;
    const error = await (async () => {
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta?.content) chunks++;
        if (revokeExitedAt) chunksAfterCli++;
        if (chunks === 2 && !cli) {
          cli = run(
            process.execPath,
            [
              '--import',
              'tsx',
              'src/cli.ts',
              'mark:revoke',
              'dev@example.com',
              'enterprise',
              '--reason',
              'test',
            ],
            {
              cwd: serverDir,
              env: { ...process.env, DATABASE_PATH: server.databasePath },
            },
          ).then(() => {
            revokeExitedAt = Date.now();
          });
        }
      }
    })().catch((e: unknown) => e);
    await cli;
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error).toMatchObject({ type: 'cut_off', code: 'model_not_in_plan' });
    // The stream ends before (or within a chunk of) the CLI process exiting.
    expect(chunksAfterCli).toBeLessThanOrEqual(1);
  }, 60_000);
});
