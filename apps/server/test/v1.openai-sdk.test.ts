// Our /v1 with the official `openai` SDK as the client: models, completions streaming and not,
// errors in OpenAI's shape, and a cut-off the SDK surfaces as an APIError. (The cut-off by the
// CLI in another process: v1.openai-sdk.cli-revoke.test.ts.)
import { createAccount } from '@tessera/api';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { grantMarkInDb, startTestServer, type TestServer } from './harness.ts';

describe('/v1 through the official openai SDK', () => {
  let server: TestServer;
  afterEach(() => server.stop());

  /** Sets the balance column itself (no ledger row), as the refusals below need. */
  const setBalance = (userId: string, balance: number) =>
    server.storage.sql('update credit_accounts set balance = $1 where user_id = $2', [
      balance,
      userId,
    ]);

  async function setup(options: { demoTokensPerSecond?: number } = {}) {
    server = await startTestServer({
      seedDemo: true,
      demoTokensPerSecond: options.demoTokensPerSecond ?? 5000,
    });
    const { stores } = server.storage;
    const user = await createAccount(stores, {
      email: 'dev@example.com',
      password: 'a sturdy passphrase',
      now: new Date(),
    });
    await createAccount(stores, {
      email: 'other@example.com',
      password: 'a sturdy passphrase',
      now: new Date(),
    });
    await setBalance(user.id, 50_000_000);
    const key = await stores.members.createApiKey({
      userId: user.id,
      name: 'test',
      actorUserId: null,
      now: new Date(),
    });
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: key.key, maxRetries: 0 });
    return { user, key, client };
  }

  it('refuses without API access (402), with a bad key (401), and lists only the models the plan allows', async () => {
    const { user, client } = await setup();
    await expect(client.models.list()).rejects.toMatchObject({
      status: 402,
      code: 'plan_required',
    });
    const bad = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'tsk_nope', maxRetries: 0 });
    await expect(bad.models.list()).rejects.toMatchObject({ status: 401, code: 'invalid_api_key' });

    await grantMarkInDb(server, user.id, 'enterprise');
    const listed = await client.models.list();
    expect(listed.data.map((m) => m.id).sort()).toEqual([
      'tessera-mini',
      'tessera-plus',
      'tessera-ultra',
    ]);
  });

  it('answers non-streaming and streaming completions with usage, and charges the credits', async () => {
    const { user, client } = await setup();
    await grantMarkInDb(server, user.id, 'enterprise');
    const balance = async () => {
      const [account] = await server.storage.sql<{ balance: unknown }>(
        'select balance from credit_accounts where user_id = $1',
        [user.id],
      );
      return Number(account?.balance); // a bigint on PostgreSQL: a string
    };

    const completion = await client.chat.completions.create({
      model: 'tessera-plus',
      messages: [{ role: 'user', content: 'Hello API' }],
    });
    expect(completion.object).toBe('chat.completion');
    expect(completion.choices[0]?.message.content).toContain('Hello API');
    expect(completion.usage?.completion_tokens).toBeGreaterThan(0);
    const afterFirst = await balance();
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
    expect(await balance()).toBeLessThan(afterFirst);
  });

  it('maps refusals to OpenAI errors: unknown model 404 model_not_found, model outside the plan 403, no credits 402', async () => {
    const { user, client } = await setup();
    await grantMarkInDb(server, user.id, 'enterprise');
    // A model this server does not have is OpenAI's 404 model_not_found; one it has, outside the
    // plan, is 403.
    await expect(
      client.chat.completions.create({
        model: 'gpt-nope',
        messages: [{ role: 'user', content: 'x' }],
      }),
    ).rejects.toMatchObject({ status: 404, code: 'model_not_found', param: 'model' });
    await server.storage.sql(
      `insert into models (id, display_name, input_price_per_million, output_price_per_million, provider_id, active, created_at)
       values ('tessera-secret', 'Secret', 1, 1, null, true, 0)`,
    );
    await expect(
      client.chat.completions.create({
        model: 'tessera-secret',
        messages: [{ role: 'user', content: 'x' }],
      }),
    ).rejects.toMatchObject({ status: 403, code: 'model_not_in_plan' });
    await setBalance(user.id, 0);
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
    const { user, client } = await setup();
    await grantMarkInDb(server, user.id, 'enterprise');
    // After the free tier's on-demand refill (10,000 credits): 4,000 output tokens of
    // tessera-ultra (40,000) are out of reach, of Enterprise's fallback tessera-plus (8,000) not.
    await setBalance(user.id, 0);
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
    const [charged] = await server.storage.sql<{ n: unknown }>(
      "select count(*) as n from credit_ledger where user_id = $1 and kind = 'charge' and delta < 0",
      [user.id],
    );
    expect(Number(charged?.n)).toBe(2);

    // Without a fallback the header names the requested model and says nothing of a fallback.
    await setBalance(user.id, 50_000_000);
    const plain = await client.chat.completions.create(request).withResponse();
    expect(plain.data.model).toBe('tessera-ultra');
    expect(plain.response.headers.get('x-tessera-model')).toBe('tessera-ultra');
    expect(plain.response.headers.get('x-tessera-fallback-from')).toBeNull();
    expect(plain.data).not.toHaveProperty('tessera_fallback');
  });

  it("answers another user's X-Request-Id normally; only its owner's repeat is a duplicate", async () => {
    const { user, client } = await setup();
    const other = (await server.storage.stores.auth.userByEmail('other@example.com'))!;
    for (const userId of [user.id, other.id]) {
      await grantMarkInDb(server, userId, 'enterprise');
    }
    await setBalance(other.id, 50_000_000);
    const otherKey = await server.storage.stores.members.createApiKey({
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
    const charges = await server.storage.sql<{ user_id: string }>(
      "select user_id from credit_ledger where kind = 'charge' order by user_id",
    );
    expect(charges.map((c) => c.user_id)).toEqual([user.id, other.id].sort());
  });

  it('cuts a stream off when API access is revoked mid-answer; the SDK raises the typed error', async () => {
    const { user, client } = await setup({ demoTokensPerSecond: 40 });
    await grantMarkInDb(server, user.id, 'enterprise');
    const stream = await client.chat.completions.create({
      model: 'tessera-ultra',
      messages: [{ role: 'user', content: 'long answer' }],
      stream: true,
    });
    let chunks = 0;
    let chunksAfterRevoke = 0;
    let revoked = false;
    let revoke: Promise<void> | undefined;
    const error = await (async () => {
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta?.content) chunks++;
        if (revoked) chunksAfterRevoke++;
        if (chunks === 3 && !revoke) {
          const { stores } = server.storage;
          revoke = stores.catalog
            .getMarkByKey('enterprise')
            .then((mark) =>
              stores.members.revokeMark({
                userId: user.id,
                markId: mark.id,
                actorUserId: null,
                now: new Date(),
              }),
            )
            .then(() => {
              revoked = true;
            });
        }
      }
    })().catch((e: unknown) => e);
    await revoke;
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error).toMatchObject({ code: 'model_not_in_plan', type: 'cut_off' });
    expect(chunksAfterRevoke).toBeLessThanOrEqual(1);
    const [reservations] = await server.storage.sql<{ n: unknown }>(
      "select count(*) as n from credit_reservations where status = 'open'",
    );
    expect(Number(reservations?.n)).toBe(0);
  });
});
