// Regenerate and edit-and-resend (docs/decisions/020): each is a new request — admitted, counted
// and charged once — and regenerate keeps the earlier answer as an alternative the member can flip
// to; the model is sent the alternative shown. An edit replaces the prompt and what followed it.
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatInput } from '../src/chat/chat-types.ts';
import { createProviderRegistry } from '../src/chat/providers/registry.ts';
import type { ChatProvider, ProviderMessage } from '../src/chat/providers/types.ts';
import { type ChatEvent, runChat } from '../src/chat/run-chat.ts';
import { chatDepsOf, chatMember, type EngineTestApi, openTestApi } from './harness.ts';

/** Answers "answer N to <prompt>" and records every prompt it was sent. */
function recorder() {
  const prompts: ProviderMessage[][] = [];
  const provider: ChatProvider = {
    id: 'recorder',
    async *stream(request) {
      prompts.push(request.messages);
      const last = request.messages.at(-1)?.content ?? '';
      yield { type: 'delta', text: `answer ${prompts.length} to ${last}` };
    },
  };
  return { provider, prompts };
}

describe('regenerate and edit', () => {
  let api: EngineTestApi;
  afterEach(() => api.destroy());

  async function setup() {
    api = await openTestApi({ seedDemo: true, start: new Date() });
    const m = await chatMember(api, 'regen@example.com');
    const { provider, prompts } = recorder();
    let n = 0;
    const chat = async (input: Partial<ChatInput>) => {
      const events: ChatEvent[] = [];
      for await (const e of runChat(
        chatDepsOf(api, { providers: createProviderRegistry({ demo: provider }) }),
        {
          member: await m.context(),
          requestId: `req-${++n}`,
          modelId: 'tessera-mini',
          content: '',
          ...input,
        },
      ))
        events.push(e);
      return events;
    };
    const caller = api.caller(m.browser);
    const ledger = () =>
      api.sql<{ reference: string; delta: number | string }>(
        "select reference, delta from credit_ledger where user_id = $1 and kind = 'charge' order by id",
        [m.userId],
      );
    const requestsToday = async () => {
      const [row] = await api.sql<{ requests: number | string }>(
        `select requests from usage_counters where user_id = $1 and "window" = 'day'`,
        [m.userId],
      );
      return Number(row?.requests);
    };
    return { m, chat, prompts, caller, ledger, requestsToday };
  }

  it('regenerate: a second request, admitted and charged once, both answers kept; the flip decides the history', async () => {
    const { chat, prompts, caller, ledger, requestsToday } = await setup();
    const first = await chat({ content: 'Name a colour' });
    const conversationId = (first[0] as Extract<ChatEvent, { type: 'admitted' }>).conversationId;
    const stored = await caller.chat.conversations.messages({ conversationId });
    const promptId = stored[0]!.id;
    expect(await requestsToday()).toBe(1);
    const charges = (await ledger()).length;

    const again = await chat({ conversationId, regenerate: { promptId }, content: 'ignored' });
    expect(again.at(-1)).toMatchObject({ type: 'done', status: 'complete' });
    expect(prompts[1]).toEqual([{ role: 'user', content: 'Name a colour' }]);
    // Billed as its own request: one more in today's count, one more charge in the ledger.
    expect(await requestsToday()).toBe(2);
    expect(await ledger()).toHaveLength(charges + 1);

    const thread = await caller.chat.conversations.messages({ conversationId });
    expect(thread.map((x) => [x.role, x.content, x.replyTo])).toEqual([
      ['user', 'Name a colour', null],
      ['assistant', 'answer 1 to Name a colour', promptId],
      ['assistant', 'answer 2 to Name a colour', promptId],
    ]);
    // The newest answer is shown, and it is the one the model is sent next.
    expect(thread[0]!.shownAnswerId).toBe(thread[2]!.id);
    await chat({ conversationId, content: 'Another?' });
    expect(prompts[2]).toEqual([
      { role: 'user', content: 'Name a colour' },
      { role: 'assistant', content: 'answer 2 to Name a colour' },
      { role: 'user', content: 'Another?' },
    ]);

    // Flip back to the first answer: the history follows what is shown.
    await caller.chat.conversations.showAnswer({ conversationId, answerId: thread[1]!.id });
    await chat({ conversationId, content: 'And now?' });
    expect(prompts[3]?.[1]).toEqual({ role: 'assistant', content: 'answer 1 to Name a colour' });
    expect((await api.stores.money.checkInvariants()).ok).toBe(true);
  });

  it('regenerate refuses a prompt that is not the latest, or not the member’s, writing nothing', async () => {
    const { chat, caller, ledger } = await setup();
    const first = await chat({ content: 'One' });
    const conversationId = (first[0] as Extract<ChatEvent, { type: 'admitted' }>).conversationId;
    await chat({ conversationId, content: 'Two' });
    const [one] = await caller.chat.conversations.messages({ conversationId });
    const charges = (await ledger()).length;
    expect((await chat({ conversationId, regenerate: { promptId: one!.id } }))[0]).toMatchObject({
      type: 'refused',
      reason: { code: 'CONFLICT' },
    });
    expect((await chat({ conversationId, regenerate: { promptId: 'nope' } }))[0]).toMatchObject({
      type: 'refused',
      reason: { code: 'NOT_FOUND' },
    });
    expect(await ledger()).toHaveLength(charges);
    await expect(
      caller.chat.conversations.showAnswer({ conversationId, answerId: one!.id }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' }); // a prompt is not an answer
  });

  it('edit and resend: the edited prompt replaces the old one and what followed, as a new billed request', async () => {
    const { chat, prompts, caller, ledger, requestsToday } = await setup();
    const first = await chat({ content: 'Tell me about cats' });
    const conversationId = (first[0] as Extract<ChatEvent, { type: 'admitted' }>).conversationId;
    await chat({ conversationId, content: 'And their whiskers?' });
    const before = await caller.chat.conversations.messages({ conversationId });
    const charges = (await ledger()).length;

    const edited = await chat({
      conversationId,
      edit: { promptId: before[2]!.id },
      content: 'And their tails?',
    });
    expect(edited.at(-1)).toMatchObject({ type: 'done', status: 'complete' });
    expect(prompts.at(-1)).toEqual([
      { role: 'user', content: 'Tell me about cats' },
      { role: 'assistant', content: 'answer 1 to Tell me about cats' },
      { role: 'user', content: 'And their tails?' },
    ]);
    expect(await requestsToday()).toBe(3);
    expect(await ledger()).toHaveLength(charges + 1);
    const after = await caller.chat.conversations.messages({ conversationId });
    expect(after.map((x) => x.content)).toEqual([
      'Tell me about cats',
      'answer 1 to Tell me about cats',
      'And their tails?',
      'answer 3 to And their tails?',
    ]);
    // Kept for the bill, out of the thread.
    const [superseded] = await api.sql<{ n: number | string }>(
      'select count(*) as n from messages where superseded_at is not null',
    );
    expect(Number(superseded?.n)).toBe(2);

    // Editing the first prompt replaces the whole thread after it.
    await chat({ conversationId, edit: { promptId: after[0]!.id }, content: 'Tell me about dogs' });
    expect(
      (await caller.chat.conversations.messages({ conversationId })).map((x) => x.content),
    ).toEqual(['Tell me about dogs', 'answer 4 to Tell me about dogs']);
    expect(prompts.at(-1)).toEqual([{ role: 'user', content: 'Tell me about dogs' }]);
  });
});
