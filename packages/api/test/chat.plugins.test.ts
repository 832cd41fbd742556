import { afterEach, describe, expect, it } from 'vitest';
import { createDemoProvider } from '../src/chat/providers/demo-provider.ts';
import { createProviderRegistry } from '../src/chat/providers/registry.ts';
import type { ChatProvider, ProviderMessage } from '../src/chat/providers/types.ts';
import { type ChatEvent, runChat } from '../src/chat/run-chat.ts';
import { chatDepsOf, demoIds, type EngineTestApi, openTestApi, signedUp } from './harness.ts';

describe('plugins', () => {
  let api: EngineTestApi;
  afterEach(() => api.destroy());

  async function setup() {
    api = await openTestApi({ seedDemo: true, start: new Date() });
    const { browser, viewer } = await signedUp(api, 'plugins@example.com');
    const session = (await api.caller(browser).auth.sessions())[0]!;
    const context = async () => {
      const auth = { user: viewer.user, session: { ...session, userId: viewer.user.id } };
      const member = await api.stores.members.currentMember(auth, new Date());
      if (!member) throw new Error('not a member');
      return member;
    };
    return { browser, userId: viewer.user.id, context };
  }

  function recording(inner: ChatProvider) {
    const prompts: ProviderMessage[][] = [];
    const provider: ChatProvider = {
      id: 'rec',
      stream: (r) => {
        prompts.push(r.messages);
        return inner.stream(r);
      },
    };
    return { provider, prompts };
  }
  async function collect(stream: AsyncIterable<ChatEvent>) {
    const events: ChatEvent[] = [];
    for await (const e of stream) events.push(e);
    return events;
  }

  it('are listed with what unlocks them, refused outside the plan, and run through the model inside it', async () => {
    const { browser, userId, context } = await setup();
    const listed = await api.caller(browser).chat.plugins();
    expect(listed.map((p) => [p.id, p.allowed])).toEqual([
      ['translate', false],
      ['summarize', false],
      ['seo-analysis', false],
    ]);
    expect(
      listed
        .find((p) => p.id === 'seo-analysis')
        ?.unlock.map((u) => u.markKey)
        .sort(),
    ).toEqual(['acme:writer', 'enterprise']);

    const { provider, prompts } = recording(
      createDemoProvider({ timeToFirstTokenMs: 0, tokensPerSecond: 5000 }),
    );
    const deps = chatDepsOf(api, { providers: createProviderRegistry({ demo: provider }) });
    const refused = await collect(
      runChat(deps, {
        member: await context(),
        requestId: 'p1',
        modelId: 'tessera-mini',
        content: 'Long text…',
        plugin: { id: 'summarize' },
      }),
    );
    expect(refused).toMatchObject([{ type: 'refused', reason: { code: 'FEATURE_NOT_IN_PLAN' } }]);
    expect(prompts).toHaveLength(0);

    await api.stores.members.grantMark({
      userId,
      markId: (await demoIds(api)).marks.pro!,
      days: 30,
      source: 'admin',
      actorUserId: null,
      now: new Date(),
    });
    const ran = await collect(
      runChat(deps, {
        member: await context(),
        requestId: 'p2',
        modelId: 'tessera-mini',
        content: 'Bonjour',
        plugin: { id: 'translate', options: { language: 'German' } },
      }),
    );
    expect(ran.at(-1)).toMatchObject({ type: 'done', status: 'complete' });
    expect(prompts[0]?.[0]).toEqual({
      role: 'system',
      content: "Translate the user's last message into German. Reply with the translation only.",
    });
    expect(prompts[0]?.at(-1)).toEqual({ role: 'user', content: 'Bonjour' });
    // The conversation remembers what the message was sent through.
    const conversationId = (ran.find((e) => e.type === 'admitted') as { conversationId: string })
      .conversationId;
    const stored = await api.caller(browser).chat.conversations.messages({ conversationId });
    expect(stored.map((m) => [m.role, m.plugin])).toEqual([
      ['user', { id: 'translate', options: { language: 'German' } }],
      ['assistant', null],
    ]);
  });

  it('cut a plugin stream off when the plan that lists the plugin goes away', async () => {
    const { userId, context } = await setup();
    const { marks } = await demoIds(api);
    await api.stores.members.grantMark({
      userId,
      markId: marks.pro!,
      days: 30,
      source: 'admin',
      actorUserId: null,
      now: new Date(),
    });
    const deps = chatDepsOf(api, {
      providers: createProviderRegistry({
        demo: createDemoProvider({ timeToFirstTokenMs: 0, tokensPerSecond: 100 }),
      }),
    });
    const events: ChatEvent[] = [];
    let revoked = false;
    for await (const e of runChat(deps, {
      member: await context(),
      requestId: 'p3',
      modelId: 'tessera-mini',
      content: 'text',
      plugin: { id: 'summarize' },
    })) {
      events.push(e);
      if (!revoked && events.filter((x) => x.type === 'delta').length === 2) {
        revoked = true;
        await api.stores.members.revokeMark({
          userId,
          markId: marks.pro!,
          actorUserId: null,
          now: new Date(),
        });
        api.events.poke();
      }
    }
    // tessera-mini is still in the free plan: it is the plugin that is lost.
    expect(events.at(-1)).toMatchObject({
      type: 'cut_off',
      reason: { code: 'FEATURE_NOT_IN_PLAN' },
    });
  });
});
