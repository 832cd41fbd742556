import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createDemoProvider } from '../src/chat/providers/demo-provider.ts';
import { createOpenAIProvider } from '../src/chat/providers/openai-provider.ts';
import { createProviderRegistry } from '../src/chat/providers/registry.ts';
import type { ChatProvider } from '../src/chat/providers/types.ts';
import { type ChatEvent, runChat } from '../src/chat/run-chat.ts';
import { chatDepsOf, chatMember, demoIds, type EngineTestApi, openTestApi } from './harness.ts';

/** Wraps a provider to record whether the engine aborted the upstream request. */
function spy(provider: ChatProvider) {
  const seen = { aborted: false, started: 0 };
  const wrapped: ChatProvider = {
    id: provider.id,
    async *stream(request) {
      seen.started++;
      request.signal.addEventListener('abort', () => {
        seen.aborted = true;
      });
      yield* provider.stream(request);
    },
  };
  return { provider: wrapped, seen };
}

describe('the chat engine', () => {
  let api: EngineTestApi;
  afterEach(() => api.destroy());

  const member = (email: string, balance?: number) => chatMember(api, email, balance);
  function chat(
    provider: ChatProvider,
    input: Omit<Parameters<typeof runChat>[1], 'requestId'> & { requestId?: string },
  ) {
    return runChat(chatDepsOf(api, { providers: createProviderRegistry({ demo: provider }) }), {
      requestId: `req-${Math.random().toString(36).slice(2)}`,
      ...input,
    });
  }
  async function collect(
    stream: AsyncIterable<ChatEvent>,
    onEvent?: (e: ChatEvent, all: ChatEvent[]) => void | Promise<void>,
  ) {
    const events: ChatEvent[] = [];
    for await (const event of stream) {
      events.push(event);
      await onEvent?.(event, events);
    }
    return events;
  }
  const balance = async (userId: string) => {
    const [row] = await api.sql<{ balance: number | string; reserved: number | string }>(
      'select balance, reserved from credit_accounts where user_id = $1',
      [userId],
    );
    return { balance: Number(row?.balance), reserved: Number(row?.reserved) };
  };
  /** The member's answer row (there is one per test where it is read). */
  const answerRow = async () => {
    const [row] = await api.sql<Record<string, unknown>>(
      "select status, content, credits, output_tokens from messages where role = 'assistant'",
    );
    return {
      status: row?.status,
      content: row?.content,
      credits: row?.credits === null ? null : Number(row?.credits),
      outputTokens: Number(row?.output_tokens),
    };
  };
  const count = async (table: string) =>
    Number((await api.sql<{ n: number | string }>(`select count(*) as n from ${table}`))[0]?.n);
  const invariantsHold = async () => (await api.stores.money.checkInvariants()).ok;

  it('admits, streams, settles what was used and stores the exchange', async () => {
    api = await openTestApi({ seedDemo: true, start: new Date() });
    const m = await member('chatter@example.com');
    const events = await collect(
      chat(createDemoProvider({ timeToFirstTokenMs: 0, tokensPerSecond: 2000 }), {
        member: await m.context(),
        modelId: 'tessera-mini',
        content: 'Hello there',
      }),
    );
    expect(events[0]).toMatchObject({ type: 'admitted' });
    const text = events
      .filter((e) => e.type === 'delta')
      .map((e) => (e as { text: string }).text)
      .join('');
    expect(text).toContain('You asked: "Hello there"');
    const done = events.at(-1) as Extract<ChatEvent, { type: 'done' }>;
    expect(done).toMatchObject({ type: 'done', status: 'complete' });
    expect(done.charged).toBeGreaterThan(0);
    expect(await balance(m.userId)).toEqual({ balance: 1_000_000 - done.charged, reserved: 0 });
    const stored = await api.sql<{ credits: number | string | null }>(
      'select role, content, status, credits from messages order by created_at, role desc',
    );
    expect(
      stored.map((row) => ({ ...row, credits: row.credits === null ? null : Number(row.credits) })),
    ).toEqual([
      { role: 'user', content: 'Hello there', status: null, credits: null },
      { role: 'assistant', content: text, status: 'complete', credits: done.charged },
    ]);
    expect(await invariantsHold()).toBe(true);
  });

  it('refuses a model outside the plan with what unlocks it, writing nothing', async () => {
    api = await openTestApi({ seedDemo: true, start: new Date() });
    const m = await member('free@example.com');
    const events = await collect(
      chat(createDemoProvider(), {
        member: await m.context(),
        modelId: 'tessera-plus',
        content: 'hi',
      }),
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'refused', reason: { code: 'MODEL_NOT_IN_PLAN' } });
    expect(
      (events[0] as { reason: { unlock: { markKey: string }[] } }).reason.unlock.map(
        (u) => u.markKey,
      ),
    ).toContain('pro');
    for (const table of ['conversations', 'messages', 'credit_reservations', 'usage_counters']) {
      expect(await count(table), table).toBe(0);
    }
  });

  it('cuts a stream off when the mark it relies on is revoked: ≤ 1 chunk after, upstream aborted, delivered part charged', async () => {
    api = await openTestApi({ seedDemo: true, start: new Date() });
    const { marks } = await demoIds(api);
    const m = await member('pro@example.com');
    await api.stores.members.grantMark({
      userId: m.userId,
      markId: marks.pro!,
      days: 30,
      source: 'admin',
      actorUserId: null,
      now: new Date(),
    });
    const { provider, seen } = spy(
      createDemoProvider({ timeToFirstTokenMs: 0, tokensPerSecond: 100 }),
    );
    let deltasAtRevoke = -1;
    const events = await collect(
      chat(provider, {
        member: await m.context(),
        modelId: 'tessera-plus',
        content: 'Tell me a long story',
      }),
      async (event, all) => {
        if (event.type === 'delta' && all.filter((e) => e.type === 'delta').length === 5) {
          await api.stores.members.revokeMark({
            userId: m.userId,
            markId: marks.pro!,
            actorUserId: null,
            now: new Date(),
          });
          api.events.poke();
          deltasAtRevoke = 5;
        }
      },
    );
    const deltas = events.filter((e) => e.type === 'delta').length;
    expect(deltas - deltasAtRevoke).toBeLessThanOrEqual(1);
    const last = events.at(-1) as Extract<ChatEvent, { type: 'cut_off' }>;
    expect(last).toMatchObject({ type: 'cut_off', reason: { code: 'MODEL_NOT_IN_PLAN' } });
    expect(last.reason.unlock?.map((u) => u.markKey)).toContain('pro');
    expect(seen.aborted).toBe(true);
    expect(last.usage.outputTokens).toBeGreaterThan(0);
    expect(last.charged).toBeGreaterThan(0);
    expect((await answerRow()).status).toBe('cut_off');
    expect(await balance(m.userId)).toMatchObject({ reserved: 0 });
    expect(await invariantsHold()).toBe(true);
  });

  it('cuts a stream off at the moment the mark expires', async () => {
    api = await openTestApi({ seedDemo: true, start: new Date() });
    const { marks } = await demoIds(api);
    const m = await member('trial@example.com');
    await api.stores.members.grantMark({
      userId: m.userId,
      markId: marks.pro!,
      days: 1,
      source: 'trial',
      actorUserId: null,
      now: new Date(),
    });
    await api.sql('update memberships set expires_at = $1 where user_id = $2 and mark_id = $3', [
      Date.now() + 300,
      m.userId,
      marks.pro,
    ]);
    const started = Date.now();
    const events = await collect(
      chat(createDemoProvider({ timeToFirstTokenMs: 0, tokensPerSecond: 50 }), {
        member: await m.context(),
        modelId: 'tessera-plus',
        content: 'go',
      }),
    );
    expect(events.at(-1)).toMatchObject({ type: 'cut_off', reason: { code: 'MODEL_NOT_IN_PLAN' } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('charges nothing when the client leaves before the first token, and replays a finished answer once', async () => {
    api = await openTestApi({ seedDemo: true, start: new Date() });
    const m = await member('leaver@example.com');
    const controller = new AbortController();
    const slow = createDemoProvider({ timeToFirstTokenMs: 5000 });
    setTimeout(() => controller.abort(), 50);
    const events = await collect(
      chat(slow, {
        member: await m.context(),
        modelId: 'tessera-mini',
        content: 'hi',
        signal: controller.signal,
      }),
    );
    expect(events.map((e) => e.type)).toEqual(['admitted']);
    expect(await balance(m.userId)).toEqual({ balance: 1_000_000, reserved: 0 });
    expect(await answerRow()).toMatchObject({ status: 'aborted', credits: 0 });

    const fast = createDemoProvider({ timeToFirstTokenMs: 0, tokensPerSecond: 5000 });
    const first = await collect(
      chat(fast, {
        member: await m.context(),
        modelId: 'tessera-mini',
        content: 'again',
        requestId: 'same-request',
      }),
    );
    const charged = (first.at(-1) as { charged: number }).charged;
    const again = await collect(
      chat(fast, {
        member: await m.context(),
        modelId: 'tessera-mini',
        content: 'again',
        requestId: 'same-request',
      }),
    );
    expect(again).toMatchObject([{ type: 'replay', status: 'complete' }]);
    expect(await balance(m.userId)).toEqual({ balance: 1_000_000 - charged, reserved: 0 });
    expect(await invariantsHold()).toBe(true);
  });

  it('settles and aborts the upstream request when its reader stops right after admission', async () => {
    // The resume registry parks an answer at whatever event was last pulled; a Stop or an expired
    // grace period then return()s the engine there — also at `admitted`, before any delta.
    api = await openTestApi({ seedDemo: true, start: new Date() });
    const m = await member('parked@example.com');
    const { provider, seen } = spy(createDemoProvider({ timeToFirstTokenMs: 5000 }));
    const engine = chat(provider, {
      member: await m.context(),
      modelId: 'tessera-mini',
      content: 'hi',
    });
    expect((await engine.next()).value).toMatchObject({ type: 'admitted' });
    expect((await balance(m.userId)).reserved).toBeGreaterThan(0);
    expect(seen.started).toBe(1); // the upstream request left before the client heard of it
    await engine.return(undefined);
    expect(seen.aborted).toBe(true);
    expect(await balance(m.userId)).toEqual({ balance: 1_000_000, reserved: 0 });
    expect(await answerRow()).toMatchObject({ status: 'aborted', credits: 0 });
    expect(await invariantsHold()).toBe(true);
  });

  it('neither delivers nor bills a delta that arrives after the client left, before its paced stop', async () => {
    // /v1 marks a leave with `left` at once and aborts `signal` when the stop's turn comes
    // (paced-stops.ts); a delta the upstream sends in between must not count.
    api = await openTestApi({ seedDemo: true, start: new Date() });
    const m = await member('left@example.com');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const provider: ChatProvider = {
      id: 'demo',
      async *stream() {
        yield { type: 'delta', text: 'one ' };
        await gate;
        yield { type: 'delta', text: 'two three four ' };
      },
    };
    let left = false;
    const client = new AbortController();
    const engine = chat(provider, {
      member: await m.context(),
      modelId: 'tessera-mini',
      content: 'hi',
      signal: client.signal,
      left: () => left,
    });
    expect((await engine.next()).value).toMatchObject({ type: 'admitted' });
    expect((await engine.next()).value).toEqual({ type: 'delta', text: 'one ' });
    const pending = engine.next(); // in flight when the client leaves
    let settled = false;
    void pending.then(() => {
      settled = true;
    });
    left = true;
    release();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settled).toBe(false); // waits for its stop; nothing more is read
    client.abort(); // its turn in the stop queue
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(await answerRow()).toMatchObject({
      status: 'aborted',
      content: 'one ',
      outputTokens: 2,
    });
    expect((await balance(m.userId)).reserved).toBe(0);
    expect(await invariantsHold()).toBe(true);
  });

  it('bills the provider usage from an OpenAI-compatible upstream, and counts when it reports nonsense', async () => {
    api = await openTestApi({ seedDemo: true, start: new Date() });
    const m = await member('upstream@example.com');
    let usageBlock: unknown = { prompt_tokens: 11, completion_tokens: 3, total_tokens: 14 };
    const upstream = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
        `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 0, model: 'x', choices: [{ index: 0, delta, finish_reason: null }], ...extra })}\n\n`;
      res.write(chunk({ role: 'assistant', content: 'Hi ' }));
      res.write(chunk({ content: 'from upstream.' }));
      res.write(
        `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 0, model: 'x', choices: [], usage: usageBlock })}\n\n`,
      );
      res.end('data: [DONE]\n\n');
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const { port } = upstream.address() as AddressInfo;
    try {
      const provider = createOpenAIProvider({
        baseURL: `http://127.0.0.1:${port}/v1`,
        apiKey: 'test',
        maxRetries: 0,
      });
      const ok = await collect(
        chat(provider, { member: await m.context(), modelId: 'tessera-mini', content: 'hi' }),
      );
      expect(ok.at(-1)).toMatchObject({
        type: 'done',
        usage: { inputTokens: 11, outputTokens: 3 },
      });
      usageBlock = { prompt_tokens: -5, completion_tokens: 1e12, total_tokens: 0 };
      const absurd = await collect(
        chat(provider, { member: await m.context(), modelId: 'tessera-mini', content: 'hi' }),
      );
      const done = absurd.at(-1) as Extract<ChatEvent, { type: 'done' }>;
      expect(done.usage.inputTokens).toBeGreaterThan(0);
      expect(done.usage.outputTokens).toBeLessThan(20);
      expect(await invariantsHold()).toBe(true);
    } finally {
      upstream.close();
    }
  });

  it('settles even when the conversation is deleted while its answer streams', async () => {
    api = await openTestApi({ seedDemo: true, start: new Date() });
    const m = await member('deleter@example.com');
    const events: ChatEvent[] = [];
    let deleted = false;
    for await (const e of chat(
      createDemoProvider({ timeToFirstTokenMs: 0, tokensPerSecond: 200 }),
      { member: await m.context(), modelId: 'tessera-mini', content: 'hi' },
    )) {
      events.push(e);
      if (e.type === 'delta' && !deleted) {
        deleted = true;
        await api.sql('delete from conversations'); // another tab deletes it
      }
    }
    expect(events.at(-1)).toMatchObject({ type: 'done', status: 'complete' });
    expect(await balance(m.userId)).toMatchObject({ reserved: 0 });
    expect(await invariantsHold()).toBe(true);
  });

  it('names the plans with more requests when the daily quota is used up', async () => {
    api = await openTestApi({ seedDemo: true, start: new Date() });
    const m = await member('quota@example.com');
    const today = new Date();
    today.setUTCHours(0, 0, 0, 0);
    await api.sql(
      `insert into usage_counters (user_id, "window", period_start, requests) values ($1, 'day', $2, 20)`,
      [m.userId, today.getTime()],
    );
    const [refused] = await collect(
      chat(createDemoProvider(), {
        member: await m.context(),
        modelId: 'tessera-mini',
        content: 'one more',
      }),
    );
    expect(refused).toMatchObject({
      type: 'refused',
      reason: { code: 'QUOTA_EXCEEDED', details: { window: 'day', limit: 20 } },
    });
    const unlock = (refused as { reason: { unlock: { markKey: string }[] } }).reason.unlock.map(
      (u) => u.markKey,
    );
    expect(unlock).toEqual(expect.arrayContaining(['pro', 'enterprise']));
    expect(unlock).not.toContain('free');
  });
});
