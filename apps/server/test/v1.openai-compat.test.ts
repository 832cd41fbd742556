// /v1 as OpenAI clients use it, through the official `openai` SDK, with `tessera-plus` routed to a
// fake OpenAI-compatible upstream on loopback that records what it receives: a two-turn tool-call
// exchange (streamed and not), an image part, every passed-through parameter, the rate-limit and
// CORS headers, Retry-After on a 429, and the billing of tool calls.
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppConfig } from '../src/config.ts';
import { type FakeUpstream, startFakeUpstream } from './fake-openai-upstream.ts';
import { countRows, enterpriseApiMember, startTestServer, type TestServer } from './harness.ts';

/**
 * Sets Free's and Enterprise's requests a minute. Read, changed and written back here rather than
 * with a JSON function in SQL, which the two engines spell differently (json_set / jsonb_set).
 */
async function setRequestsPerMinute(server: TestServer, perMinute: number) {
  const { sql } = server.storage;
  const marks = await sql<{ key: string; entitlements: unknown }>(
    "select key, entitlements from marks where key in ('free', 'enterprise')",
  );
  for (const mark of marks) {
    // Text on SQLite, jsonb (already parsed) on PostgreSQL.
    const entitlements =
      typeof mark.entitlements === 'string' ? JSON.parse(mark.entitlements) : mark.entitlements;
    await sql('update marks set entitlements = $1 where key = $2', [
      JSON.stringify({ ...entitlements, requestsPerMinute: perMinute }),
      mark.key,
    ]);
  }
}

const WEATHER_TOOL = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'The weather in a city',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' } },
      required: ['city'],
    },
  },
};
const QUESTION = { role: 'user' as const, content: 'What is the weather in Paris?' };
const CALL = {
  id: 'call_abc',
  type: 'function' as const,
  function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
};
const TURN_TWO: OpenAI.ChatCompletionMessageParam[] = [
  QUESTION,
  { role: 'assistant', content: null, tool_calls: [CALL] },
  { role: 'tool', tool_call_id: 'call_abc', content: '{"celsius":21}' },
];

describe('/v1 passes through to an OpenAI-compatible upstream', () => {
  let server: TestServer;
  let upstream: FakeUpstream;
  afterEach(async () => {
    await server.stop();
    await upstream.close();
  });

  async function setup(config: Partial<AppConfig> = {}) {
    upstream = await startFakeUpstream();
    // The first turn asks for the tool; once a tool result is in the prompt, the answer is text.
    upstream.reply = ({ body }) =>
      body.messages.at(-1)?.role === 'tool'
        ? {
            text: ['It is ', '21 °C in Paris.'],
            finish: 'stop',
            usage: { prompt_tokens: 90, completion_tokens: 9 },
          }
        : {
            toolCalls: [
              { id: 'call_abc', name: 'get_weather', arguments: ['{"city"', ':"Paris"}'] },
            ],
            finish: 'tool_calls',
            usage: { prompt_tokens: 80, completion_tokens: 12 },
          };
    server = await startTestServer({
      seedDemo: true,
      demoTokensPerSecond: 5000,
      openai: { baseURL: upstream.url, apiKey: upstream.apiKey },
      ...config,
    });
    const { sql } = server.storage;
    await sql(
      "update models set provider_id = 'openai', upstream_model = 'fake-gpt' where id = 'tessera-plus'",
    );
    const { user, key, client } = await enterpriseApiMember(server, { credits: 50_000_000 });
    const balance = async () => {
      const [account] = await sql<{ balance: unknown }>(
        'select balance from credit_accounts where user_id = $1',
        [user.id],
      );
      return Number(account?.balance); // a bigint on PostgreSQL: a string
    };
    return { client, key, balance };
  }

  it('runs a two-turn tool-calling exchange, not streamed: tool_calls out, the tool result in', async () => {
    const { client } = await setup();
    const first = await client.chat.completions.create({
      model: 'tessera-plus',
      messages: [QUESTION],
      tools: [WEATHER_TOOL],
      tool_choice: 'auto',
    });
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');
    expect(first.choices[0]?.message.content).toBeNull();
    expect(first.choices[0]?.message.tool_calls).toEqual([CALL]);
    // The upstream's usage is what is reported (and billed).
    expect(first.usage).toMatchObject({ prompt_tokens: 80, completion_tokens: 12 });
    const [asked] = upstream.requests;
    expect(asked?.body.model).toBe('fake-gpt');
    expect(asked?.body.tools).toEqual([WEATHER_TOOL]);
    expect(asked?.body.tool_choice).toBe('auto');

    const second = await client.chat.completions.create({
      model: 'tessera-plus',
      messages: TURN_TWO,
      tools: [WEATHER_TOOL],
    });
    expect(second.choices[0]?.finish_reason).toBe('stop');
    expect(second.choices[0]?.message.content).toBe('It is 21 °C in Paris.');
    expect(second.choices[0]?.message.tool_calls).toBeUndefined();
    expect(upstream.requests[1]?.body.messages).toEqual([
      QUESTION,
      { role: 'assistant', content: null, tool_calls: [CALL] },
      { role: 'tool', tool_call_id: 'call_abc', content: '{"celsius":21}' },
    ]);
  });

  it('relays tool-call deltas intact when streaming, with finish_reason "tool_calls"', async () => {
    const { client } = await setup();
    const stream = await client.chat.completions.create({
      model: 'tessera-plus',
      messages: [QUESTION],
      tools: [WEATHER_TOOL],
      stream: true,
      stream_options: { include_usage: true },
    });
    const deltas: unknown[] = [];
    const finishes: (string | null)[] = [];
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      if (choice?.delta.tool_calls) deltas.push(...choice.delta.tool_calls);
      if (choice?.finish_reason) finishes.push(choice.finish_reason);
      if (chunk.usage) usage = chunk.usage;
    }
    // Exactly the upstream's pieces: id, type and name first, then the arguments as they came.
    expect(deltas).toEqual([
      {
        index: 0,
        id: 'call_abc',
        type: 'function',
        function: { name: 'get_weather', arguments: '' },
      },
      { index: 0, function: { arguments: '{"city"' } },
      { index: 0, function: { arguments: ':"Paris"}' } },
    ]);
    expect(finishes).toEqual(['tool_calls']);
    expect(usage).toMatchObject({ prompt_tokens: 80, completion_tokens: 12 });

    // The SDK's own stream helper puts the call together, and the second turn streams the answer.
    const runner = client.chat.completions.stream({
      model: 'tessera-plus',
      messages: [QUESTION],
      tools: [WEATHER_TOOL],
    });
    const assembled = await runner.finalChatCompletion();
    expect(assembled.choices[0]?.message.tool_calls).toEqual([CALL]);

    const answer = await client.chat.completions.create({
      model: 'tessera-plus',
      messages: TURN_TWO,
      tools: [WEATHER_TOOL],
      stream: true,
    });
    let text = '';
    let finish: string | null = null;
    for await (const chunk of answer) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(text).toBe('It is 21 °C in Paris.');
    expect(finish).toBe('stop');
    expect(upstream.requests.at(-1)?.body.messages).toEqual([
      QUESTION,
      { role: 'assistant', content: null, tool_calls: [CALL] },
      { role: 'tool', tool_call_id: 'call_abc', content: '{"celsius":21}' },
    ]);
  });

  it('passes an image content part to the upstream as it came', async () => {
    const { client } = await setup();
    const content: OpenAI.ChatCompletionContentPart[] = [
      { type: 'text', text: 'What is in this picture?' },
      {
        type: 'image_url',
        image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'low' },
      },
    ];
    await client.chat.completions.create({
      model: 'tessera-plus',
      messages: [{ role: 'user', content }],
    });
    expect(upstream.requests[0]?.body.messages).toEqual([{ role: 'user', content }]);
  });

  it('passes each sampling and format parameter through; `name` and unknown fields do not fail', async () => {
    const { client } = await setup();
    const parameters = {
      temperature: 0.3,
      top_p: 0.9,
      stop: ['END'],
      seed: 42,
      response_format: { type: 'json_object' as const },
      presence_penalty: 0.5,
      frequency_penalty: 0.25,
      user: 'end-user-7',
      parallel_tool_calls: false,
      tools: [WEATHER_TOOL],
      tool_choice: { type: 'function' as const, function: { name: 'get_weather' } },
    };
    const completion = await client.chat.completions.create({
      model: 'tessera-plus',
      messages: [{ role: 'user', content: 'Hi', name: 'alice' }],
      ...parameters,
      // Fields we do not forward are dropped, not refused.
      metadata: { trace: 'x' },
      store: false,
      logprobs: false,
      n: 1,
    });
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    const body = upstream.requests[0]?.body;
    for (const [name, value] of Object.entries(parameters))
      expect(body?.[name], name).toEqual(value);
    expect(body?.messages).toEqual([{ role: 'user', content: 'Hi', name: 'alice' }]);
    expect(body).not.toHaveProperty('metadata');
  });

  it('bills a tool-call-only answer when the upstream reports no usage, and counts tools in the hold', async () => {
    const { client, balance } = await setup();
    upstream.reply = () => ({
      toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: ['{"city":"Paris"}'] }],
      finish: 'tool_calls',
      usage: null,
    });
    const before = await balance();
    const completion = await client.chat.completions.create({
      model: 'tessera-plus',
      messages: [QUESTION],
      tools: [WEATHER_TOOL],
    });
    expect(completion.choices[0]?.message.tool_calls?.[0]).toMatchObject({
      function: { arguments: '{"city":"Paris"}' },
    });
    // Counted: the prompt with the tool definitions, and the call as output.
    expect(completion.usage?.completion_tokens).toBeGreaterThan(0);
    const bare = await client.chat.completions.create({
      model: 'tessera-plus',
      messages: [QUESTION],
    });
    expect(completion.usage!.prompt_tokens).toBeGreaterThan(bare.usage!.prompt_tokens + 20);
    expect(await balance()).toBeLessThan(before);
  });

  it('refuses an image part to a text-only model: 400 model_not_vision_capable, nothing billed', async () => {
    const { client, balance } = await setup();
    const before = await balance();
    const error = await client.chat.completions
      .create({
        model: 'tessera-mini',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is this?' },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            ],
          },
        ],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).code).toBe(
      'model_not_vision_capable',
    );
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).type).toBe(
      'invalid_request_error',
    );
    expect(await balance()).toBe(before);
    expect(await countRows(server, 'credit_reservations')).toBe(0);
  });

  it('lets the offline demo model ignore tools and see images without failing', async () => {
    const { client } = await setup();
    const completion = await client.chat.completions.create({
      model: 'tessera-ultra',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Describe this' },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
          ],
        },
      ],
      tools: [WEATHER_TOOL],
    });
    expect(completion.choices[0]?.message.content).toContain('Describe this');
    expect(completion.choices[0]?.message.content).toContain('I see 1 image (a linked image).');
    expect(upstream.requests).toHaveLength(0);
  });
});

describe('/v1 headers: rate limits, Retry-After, CORS', () => {
  let server: TestServer;
  let upstream: FakeUpstream;
  afterEach(async () => {
    await server.stop();
    await upstream.close();
  });

  async function setup(config: Partial<AppConfig> = {}, perMinute?: number) {
    upstream = await startFakeUpstream();
    server = await startTestServer({
      seedDemo: true,
      demoTokensPerSecond: 5000,
      openai: { baseURL: upstream.url, apiKey: upstream.apiKey },
      ...config,
    });
    if (perMinute !== undefined) await setRequestsPerMinute(server, perMinute);
    const { key, client } = await enterpriseApiMember(server, { credits: 50_000_000 });
    return { client, key };
  }

  const DURATION = /^(\d+h)?(\d+m)?\d+s$/;

  async function apiError(promise: Promise<unknown>) {
    try {
      await promise;
    } catch (error) {
      if (error instanceof OpenAI.APIError) return error;
      throw error;
    }
    throw new Error('expected an APIError');
  }

  it('carries x-ratelimit-*-requests on answers, streams and errors, and Retry-After on a 429', async () => {
    const { client } = await setup({}, 3);
    const hello = { model: 'tessera-mini', messages: [{ role: 'user' as const, content: 'Hi' }] };
    const first = await client.chat.completions.create(hello).withResponse();
    expect(first.response.headers.get('x-ratelimit-limit-requests')).toBe('3');
    expect(first.response.headers.get('x-ratelimit-remaining-requests')).toBe('2');
    const reset = first.response.headers.get('x-ratelimit-reset-requests');
    expect(reset).toMatch(DURATION);
    expect(Number.parseInt(reset!, 10)).toBeLessThanOrEqual(60);
    // The request id, as OpenAI's SDK reads it; a client's own `x-request-id` comes back.
    expect(first.request_id).toMatch(/^v1-[0-9a-f-]{36}$/);

    const streamed = await client.chat.completions
      .create({ ...hello, stream: true })
      .withResponse();
    for await (const _ of streamed.data);
    expect(streamed.response.headers.get('x-ratelimit-remaining-requests')).toBe('1');

    // An error after authentication carries them too (nothing was counted for it).
    const missing = await apiError(client.chat.completions.create({ ...hello, model: 'gpt-nope' }));
    expect(missing).toMatchObject({
      status: 404,
      code: 'model_not_found',
      type: 'invalid_request_error',
    });
    expect(missing.headers?.get('x-ratelimit-remaining-requests')).toBe('1');

    await client.chat.completions.create(hello);
    const limited = await apiError(
      client.chat.completions.create(hello, { headers: { 'x-request-id': 'my-trace-1' } }),
    );
    expect(limited).toMatchObject({ status: 429, code: 'rate_limited', type: 'rate_limit_error' });
    expect(limited.requestID).toBe('my-trace-1');
    const retryAfter = Number(limited.headers?.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.headers?.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(limited.headers?.get('x-ratelimit-limit-requests')).toBe('3');

    // /v1/models answers with them as well.
    const models = await client.models.list().withResponse();
    expect(models.response.headers.get('x-ratelimit-limit-requests')).toBe('3');
  });

  it('answers a CORS preflight and the request for an allowed origin, and nothing for another', async () => {
    const { key } = await setup({ v1CorsOrigins: ['https://app.example.com'] });
    const preflight = (origin: string) =>
      fetch(`${server.url}/v1/chat/completions`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type, x-stainless-os',
        },
      });
    const allowed = await preflight('https://app.example.com');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(allowed.headers.get('access-control-allow-methods')).toContain('POST');
    expect(allowed.headers.get('access-control-allow-headers')).toBe(
      'authorization, content-type, x-stainless-os',
    );
    // API keys only: cookies never count, so credentials are never allowed.
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
    const refused = await preflight('https://evil.example');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect(refused.headers.get('access-control-allow-methods')).toBeNull();

    const post = (origin: string) =>
      fetch(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { origin, authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'tessera-mini',
          messages: [{ role: 'user', content: 'Hi' }],
        }),
      });
    const ok = await post('https://app.example.com');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(ok.headers.get('access-control-expose-headers')).toContain(
      'x-ratelimit-remaining-requests',
    );
    expect(ok.headers.get('access-control-allow-credentials')).toBeNull();
    const other = await post('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    // A preflight of /v1/models too.
    const models = await fetch(`${server.url}/v1/models`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET' },
    });
    expect(models.status).toBe(204);
    expect(models.headers.get('access-control-allow-methods')).toContain('GET');
  });

  it('allows any origin with `*`, and none when unset', async () => {
    await setup({ v1CorsOrigins: ['*'] });
    const any = await fetch(`${server.url}/v1/models`, {
      method: 'OPTIONS',
      headers: { origin: 'https://anywhere.example', 'access-control-request-method': 'GET' },
    });
    expect(any.headers.get('access-control-allow-origin')).toBe('*');
    await server.stop();
    await upstream.close();
    await setup();
    const none = await fetch(`${server.url}/v1/models`, {
      method: 'OPTIONS',
      headers: { origin: 'https://anywhere.example', 'access-control-request-method': 'GET' },
    });
    expect(none.headers.get('access-control-allow-origin')).toBeNull();
  });
});
