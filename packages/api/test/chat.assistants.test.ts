import { afterEach, describe, expect, it } from 'vitest';
import { createDemoProvider } from '../src/chat/providers/demo-provider.ts';
import { createProviderRegistry } from '../src/chat/providers/registry.ts';
import type { ChatProvider, ProviderRequest } from '../src/chat/providers/types.ts';
import { type ChatEvent, runChat } from '../src/chat/run-chat.ts';
import { chatDepsOf, demoIds, type EngineTestApi, openTestApi, signedUp } from './harness.ts';

describe("vendors' assistants", () => {
  let api: EngineTestApi;
  afterEach(() => api.destroy());

  it('are listed without their prompts, need the vendor mark, and answer with their own model and prompt', async () => {
    api = await openTestApi({ seedDemo: true, start: new Date() });
    const { browser, viewer } = await signedUp(api, 'writer@example.com');
    const caller = api.caller(browser);
    const listed = await caller.chat.assistants();
    expect(listed).toEqual([
      expect.objectContaining({
        id: 'acme-seo-writer',
        name: 'Acme SEO Writer',
        tenantName: 'Acme Writing Co.',
        markKey: 'acme:writer',
        allowed: false,
      }),
    ]);
    expect(listed[0]).not.toHaveProperty('systemPrompt');
    expect(listed[0]?.unlock.map((u) => u.plans.map((p) => p.name))).toEqual([['Acme Writer']]);

    const requests: ProviderRequest[] = [];
    const inner = createDemoProvider({ timeToFirstTokenMs: 0, tokensPerSecond: 5000 });
    const provider: ChatProvider = {
      id: 'rec',
      stream: (r) => {
        requests.push(r);
        return inner.stream(r);
      },
    };
    const deps = chatDepsOf(api, { providers: createProviderRegistry({ demo: provider }) });
    const session = (await caller.auth.sessions())[0]!;
    const member = async () => {
      const auth = { user: viewer.user, session: { ...session, userId: viewer.user.id } };
      const context = await api.stores.members.currentMember(auth, new Date());
      if (!context) throw new Error('not a member');
      return context;
    };
    const run = async (requestId: string) => {
      const events: ChatEvent[] = [];
      for await (const e of runChat(deps, {
        member: await member(),
        requestId,
        modelId: 'tessera-mini',
        content: 'Write about tea',
        assistantId: 'acme-seo-writer',
      }))
        events.push(e);
      return events;
    };

    expect(await run('a1')).toMatchObject([{ type: 'refused', reason: { code: 'MARK_REQUIRED' } }]);
    await caller.membership.startTrial({ planId: (await demoIds(api)).plans['Acme Writer']! });
    const answered = await run('a2');
    expect(answered.at(-1)).toMatchObject({ type: 'done', status: 'complete' });
    expect(requests[0]?.model).toBe('tessera-plus');
    expect(requests[0]?.messages[0]).toMatchObject({
      role: 'system',
      content: expect.stringContaining('You are Acme SEO Writer'),
    });
    // The conversation remembers who the message was for.
    const conversationId = (answered[0] as { conversationId: string }).conversationId;
    const stored = await caller.chat.conversations.messages({ conversationId });
    expect(stored.map((m) => [m.role, m.assistant?.name ?? null])).toEqual([
      ['user', 'Acme SEO Writer'],
      ['assistant', null],
    ]);
  });
});
