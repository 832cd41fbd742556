import { afterEach, describe, expect, it } from 'vitest';
import { createDemoProvider } from '../src/chat/providers/demo-provider.ts';
import { createProviderRegistry } from '../src/chat/providers/registry.ts';
import { type ChatEvent, runChat } from '../src/chat/run-chat.ts';
import {
  chatDepsOf,
  chatMember,
  demoIds,
  type EngineTestApi,
  openTestApi,
  withoutRefills,
} from './harness.ts';

describe('the fallback model', () => {
  let api: EngineTestApi;
  afterEach(() => api.destroy());

  it("continues on the mark's fallback model with a notice when credits cannot cover the chosen one", async () => {
    api = await openTestApi({ seedDemo: true, start: new Date() });
    await withoutRefills(api);
    // Enough for the worst case of tessera-mini (≈ 820), not of tessera-plus (≈ 8,200).
    const thrifty = await chatMember(api, 'thrifty@example.com', 2000);
    await api.stores.members.grantMark({
      userId: thrifty.userId,
      markId: (await demoIds(api)).marks.pro!,
      days: 30,
      source: 'admin',
      actorUserId: null,
      now: new Date(),
    });
    const member = await thrifty.context();
    const deps = chatDepsOf(api, {
      providers: createProviderRegistry({
        demo: createDemoProvider({ timeToFirstTokenMs: 0, tokensPerSecond: 5000 }),
      }),
    });
    const events: ChatEvent[] = [];
    for await (const e of runChat(deps, {
      member,
      requestId: 'f1',
      modelId: 'tessera-plus',
      content: 'hello',
    }))
      events.push(e);
    expect(events[0]).toEqual({
      type: 'notice',
      code: 'FALLBACK_MODEL',
      from: 'tessera-plus',
      to: 'tessera-mini',
      reason: 'Not enough credits for this request.',
    });
    expect(events.at(-1)).toMatchObject({ type: 'done', status: 'complete' });
    expect(await api.sql("select model_id from messages where role = 'assistant'")).toEqual([
      { model_id: 'tessera-mini' },
    ]);
  });
});
