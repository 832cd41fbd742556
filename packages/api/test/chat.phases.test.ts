// Each phase of the chat engine on its own (run-chat.ts composes them; chat.engine.test.ts and
// the server's chat tests cover the whole).
import { afterEach, describe, expect, it } from 'vitest';
import { admitChat, storePrompt } from '../src/chat/admit-chat.ts';
import type { ChatDeps, ChatInput } from '../src/chat/chat-types.ts';
import { createDemoProvider } from '../src/chat/providers/demo-provider.ts';
import { createProviderRegistry } from '../src/chat/providers/registry.ts';
import { newRelayState, relayAnswer } from '../src/chat/relay-answer.ts';
import { resolveRequest } from '../src/chat/resolve-request.ts';
import { runChat } from '../src/chat/run-chat.ts';
import { answerStatus, finalEvent, settleAnswer } from '../src/chat/settle-answer.ts';
import type { ChatStore } from '../src/storage/chats-store.ts';
import type { MoneyStore } from '../src/storage/money-store.ts';
import {
  chatDepsOf,
  chatMember,
  demoIds,
  type EngineTestApi,
  openTestApi,
  withoutRefills,
} from './harness.ts';

describe('chat engine phases', () => {
  let api: EngineTestApi;
  afterEach(() => api?.destroy());

  const deps = (): ChatDeps =>
    chatDepsOf(api, {
      providers: createProviderRegistry({
        demo: createDemoProvider({ timeToFirstTokenMs: 0, tokensPerSecond: 5000 }),
      }),
    });
  const count = async (table: string) =>
    Number((await api.sql<{ n: number | string }>(`select count(*) as n from ${table}`))[0]?.n);

  it('resolve: refuses an unknown plugin, assistant, model or conversation, writing nothing', async () => {
    api = await openTestApi({ seedDemo: true, start: new Date() });
    const m = await chatMember(api, 'resolve@example.com');
    const base: ChatInput = {
      member: await m.context(),
      requestId: 'r-1',
      modelId: 'tessera-mini',
      content: 'hi',
    };
    const inputs = [
      { ...base, plugin: { id: 'nope' } },
      { ...base, assistantId: 'nope' },
      { ...base, conversationId: 'not-mine' },
      { ...base, modelId: 'tessera-plus' }, // outside the free plan
    ];
    const codes: string[] = [];
    for (const input of inputs) {
      const r = await resolveRequest(deps(), input);
      codes.push(r.ok ? 'ok' : r.event.type === 'refused' ? r.event.reason.code : r.event.type);
    }
    expect(codes).toEqual(['NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'MODEL_NOT_IN_PLAN']);
    await api.sql("update models set active = false where id = 'tessera-mini'");
    const off = await resolveRequest(deps(), base);
    expect(off).toMatchObject({
      ok: false,
      event: { type: 'refused', reason: { code: 'MODEL_UNAVAILABLE' } },
    });
    expect([
      await count('messages'),
      await count('conversations'),
      await count('credit_reservations'),
    ]).toEqual([0, 0, 0]);
  });

  it('resolve: counts the prompt it will send, with the history and the new message', async () => {
    api = await openTestApi({ seedDemo: true, start: new Date() });
    const m = await chatMember(api, 'prompt@example.com');
    const r = await resolveRequest(deps(), {
      member: await m.context(),
      requestId: 'r-2',
      modelId: 'tessera-mini',
      content: 'Hello there',
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.request.prompt).toEqual([{ role: 'user', content: 'Hello there' }]);
    expect(r.request.inputTokens).toBe(2 + 4);
    expect(r.request.key).toBe(`${m.userId}:r-2`);
  });

  it('admit: moves the request to the fallback model and says so; refuses with nothing stored', async () => {
    api = await openTestApi({ seedDemo: true, start: new Date() });
    await withoutRefills(api);
    const m = await chatMember(api, 'admit@example.com', 2000);
    await api.stores.members.grantMark({
      userId: m.userId,
      markId: (await demoIds(api)).marks.pro!,
      days: 30,
      source: 'admin',
      actorUserId: null,
      now: new Date(),
    });
    const input: ChatInput = {
      member: await m.context(),
      requestId: 'a-1',
      modelId: 'tessera-plus',
      content: 'hello',
    };
    const r = await resolveRequest(deps(), input);
    if (!r.ok) throw new Error('not resolved');
    const admitted = await admitChat(deps(), input, r.request);
    expect(admitted).toMatchObject({
      ok: true,
      notice: { from: 'tessera-plus', to: 'tessera-mini' },
    });
    expect(r.request.requirement.model).toBe('tessera-mini');
    expect(r.request.routed.model.id).toBe('tessera-mini');
    expect(await count('messages')).toBe(0); // the prompt is stored by storePrompt, after admission
    const { conversationId } = await storePrompt(deps(), input, r.request);
    expect(await count('messages')).toBe(1);

    const broke = await chatMember(api, 'broke@example.com', 0);
    const brokeInput = { ...input, member: await broke.context(), requestId: 'a-2' };
    const r2 = await resolveRequest(deps(), { ...brokeInput, modelId: 'tessera-mini' });
    if (!r2.ok) throw new Error('not resolved');
    const refused = await admitChat(deps(), { ...brokeInput, modelId: 'tessera-mini' }, r2.request);
    expect(refused).toMatchObject({ ok: false, event: { type: 'refused' } });
    expect(conversationId).not.toBe('');
  });

  it('admission and settlement go through the money store the engine is given', async () => {
    api = await openTestApi({ seedDemo: true, start: new Date() });
    const m = await chatMember(api, 'store@example.com');
    const inner = api.stores.money;
    const calls: string[] = [];
    const money: MoneyStore = {
      ...inner,
      admit: (input) => {
        calls.push(`admit ${input.requestId}`);
        return inner.admit(input);
      },
      settle: (input) => {
        calls.push(`settle ${input.requestId} ${input.announce}`);
        return inner.settle(input);
      },
    };
    const input: ChatInput = {
      member: await m.context(),
      requestId: 'store-1',
      modelId: 'tessera-mini',
      content: 'Hello there',
    };
    const types: string[] = [];
    for await (const e of runChat({ ...deps(), money }, input)) types.push(e.type);
    expect(types.at(-1)).toBe('done');
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatch(/^admit /);
    expect(calls[1]).toMatch(/^settle .* true$/);
  });

  it('reads and stores the conversation through the chat store the engine is given', async () => {
    api = await openTestApi({ seedDemo: true, start: new Date() });
    const m = await chatMember(api, 'chats@example.com');
    const inner = api.stores.chats;
    const calls: string[] = [];
    const chats: ChatStore = {
      ...inner,
      modelById: (id) => {
        calls.push(`model ${id}`);
        return inner.modelById(id);
      },
      findAnswer: (requestId, userId) => {
        calls.push(`find ${requestId}`);
        return inner.findAnswer(requestId, userId);
      },
      storePrompt: (input) => {
        calls.push(`prompt ${input.content}`);
        return inner.storePrompt(input);
      },
      recordAnswer: (input) => {
        calls.push(`answer ${input.requestId} ${input.status}`);
        return inner.recordAnswer(input);
      },
    };
    const input: ChatInput = {
      member: await m.context(),
      requestId: 'chats-1',
      modelId: 'tessera-mini',
      content: 'Hello there',
    };
    const types: string[] = [];
    for await (const e of runChat({ ...deps(), chats }, input)) types.push(e.type);
    expect(types.at(-1)).toBe('done');
    const key = `${m.userId}:chats-1`;
    expect(calls).toEqual([
      `find ${key}`,
      'find chats-1',
      'model tessera-mini',
      'prompt Hello there',
      `answer ${key} complete`,
    ]);
    // A reconnect after the answer was stored is replayed from the store.
    const again: string[] = [];
    for await (const e of runChat({ ...deps(), chats }, input)) again.push(e.type);
    expect(again).toEqual(['replay']);
  });

  it('relay + settle: the relay records what it delivered; settlement charges it once', async () => {
    api = await openTestApi({ seedDemo: true, start: new Date() });
    const m = await chatMember(api, 'relay@example.com');
    const input: ChatInput = {
      member: await m.context(),
      requestId: 's-1',
      modelId: 'tessera-mini',
      content: 'Hello there',
    };
    const r = await resolveRequest(deps(), input);
    if (!r.ok) throw new Error('not resolved');
    const admitted = await admitChat(deps(), input, r.request);
    if (!admitted.ok) throw new Error('not admitted');
    const stored = await storePrompt(deps(), input, r.request);
    const state = newRelayState();
    const types: string[] = [];
    for await (const e of relayAnswer(
      deps(),
      input,
      r.request,
      admitted.admission,
      stored.conversationId,
      state,
    ))
      types.push(e.type);
    expect(types[0]).toBe('admitted');
    expect(state).toMatchObject({ finished: true, failure: null, stop: null });
    expect(state.delivered).toContain('You asked: "Hello there"');
    const outcome = await settleAnswer(deps(), input, r.request, stored, state);
    expect(outcome.status).toBe('complete');
    expect(outcome.charged).toBeGreaterThan(0);
    // A second settlement of the same request charges nothing more.
    expect((await settleAnswer(deps(), input, r.request, stored, state)).charged).toBe(0);
    const [account] = await api.sql<{ balance: number | string; reserved: number | string }>(
      'select balance, reserved from credit_accounts where user_id = $1',
      [m.userId],
    );
    expect([Number(account?.balance), Number(account?.reserved)]).toEqual([
      1_000_000 - outcome.charged,
      0,
    ]);
  });

  it('settle: how an answer ended, and the event that ends it', () => {
    const state = (over: Partial<ReturnType<typeof newRelayState>>) => ({
      ...newRelayState(),
      ...over,
    });
    const stop = { code: 'MODEL_NOT_IN_PLAN' as const, message: 'gone' };
    expect(answerStatus(state({ finished: true }), false)).toBe('complete');
    expect(answerStatus(state({ finished: true, failure: 'boom' }), false)).toBe('error');
    expect(answerStatus(state({ finished: false }), false)).toBe('aborted');
    expect(answerStatus(state({ finished: true }), true)).toBe('aborted');
    expect(answerStatus(state({ finished: true, stop }), true)).toBe('cut_off');
    const usage = { inputTokens: 1, outputTokens: 2 };
    expect(
      finalEvent(state({ finished: true, stop }), { status: 'cut_off', usage, charged: 3 }),
    ).toEqual({
      type: 'cut_off',
      reason: stop,
      usage,
      charged: 3,
    });
    expect(finalEvent(state({}), { status: 'aborted', usage, charged: 0 })).toBeNull();
    expect(
      finalEvent(state({ finished: true, finishReason: 'length' }), {
        status: 'complete',
        usage,
        charged: 3,
      }),
    ).toEqual({ type: 'done', status: 'complete', usage, charged: 3, finishReason: 'length' });
  });
});
