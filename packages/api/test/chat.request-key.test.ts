// Request ids are scoped per user (chat/request-key.ts). An answer stored before the scoping, under
// the bare id, is still replayed to its owner — and to nobody else.
import { afterEach, describe, expect, it } from 'vitest';
import { createDemoProvider } from '../src/chat/providers/demo-provider.ts';
import { createProviderRegistry } from '../src/chat/providers/registry.ts';
import { requestKey } from '../src/chat/request-key.ts';
import { type ChatEvent, runChat } from '../src/chat/run-chat.ts';
import { chatDepsOf, chatMember, type EngineTestApi, openTestApi } from './harness.ts';

describe('user-scoped request ids', () => {
  let api: EngineTestApi;
  afterEach(() => api.destroy());

  async function ask(
    context: Awaited<ReturnType<Awaited<ReturnType<typeof chatMember>>['context']>>,
  ) {
    const events: ChatEvent[] = [];
    for await (const event of runChat(
      chatDepsOf(api, {
        providers: createProviderRegistry({
          demo: createDemoProvider({ timeToFirstTokenMs: 0, tokensPerSecond: 5000 }),
        }),
      }),
      { member: context, requestId: 'older-request-1', modelId: 'tessera-mini', content: 'Hi' },
    ))
      events.push(event);
    return events;
  }

  it("replays an answer stored under the bare id to its owner only; another user's is new", async () => {
    api = await openTestApi({ seedDemo: true, start: new Date() });
    const alice = await chatMember(api, 'alice@example.com');
    const bob = await chatMember(api, 'bob@example.com');
    expect((await ask(await alice.context())).at(-1)).toMatchObject({ type: 'done' });
    // As a row written before ids were scoped would be.
    const key = requestKey(alice.userId, 'older-request-1');
    await api.sql('update messages set request_id = $1 where request_id = $2', [
      'older-request-1',
      key,
    ]);
    await api.sql('update credit_reservations set id = $1 where id = $2', ['older-request-1', key]);
    await api.sql('update credit_ledger set idempotency_key = $1 where idempotency_key = $2', [
      'charge:older-request-1',
      `charge:${key}`,
    ]);

    expect((await ask(await alice.context())).map((e) => e.type)).toEqual(['replay']);
    expect((await ask(await bob.context())).map((e) => e.type)).toEqual(
      expect.arrayContaining(['admitted', 'done']),
    );
    const [charges] = await api.sql<{ n: number | string }>(
      "select count(*) as n from credit_ledger where kind = 'charge'",
    );
    expect(Number(charges?.n)).toBe(2);
  });
});
