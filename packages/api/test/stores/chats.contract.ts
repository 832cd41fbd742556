// The chats store's contract (docs/decisions/034, 041), part 1: conversations, prompts and
// answers, and their races; part 2 is chats.media-and-usage.contract.ts. Fixtures in shared SQL.
import { describe, expect, it } from 'vitest';
import { newUpload } from '../../src/domain/chat/image-attachments.ts';
import { at, chatsFixture, PNG, T0 } from './chats.fixture.ts';
import type { OpenEngine } from './engine.ts';

export function chatsContract(openEngine: OpenEngine) {
  const f = chatsFixture(openEngine);

  describe('conversations', () => {
    it('stores a prompt and its answers in order, even at one instant; lists, renames, deletes', async () => {
      const first = await f.send('ada', '  Tell me   about mosaics  ');
      expect(first.promptId).toBeTruthy();
      await f.answer(first.conversationId, 'ada:r1', first.promptId);
      // Same instant (a clock that did not move): the order written is still the order read.
      const second = await f.send('ada', 'And tesserae?', T0, first.conversationId);
      await f.answer(first.conversationId, 'ada:r2', second.promptId);
      expect(await f.chats.listConversations('ada')).toEqual([
        expect.objectContaining({ id: first.conversationId, title: 'Tell me about mosaics' }),
      ]);
      const thread = await f.chats.threadMessages({
        userId: 'ada',
        conversationId: first.conversationId,
      });
      expect(thread?.map((m) => [m.role, m.content])).toEqual([
        ['user', '  Tell me   about mosaics  '],
        ['assistant', 'answer ada:r1'],
        ['user', 'And tesserae?'],
        ['assistant', 'answer ada:r2'],
      ]);
      expect(thread?.[1]).toMatchObject({
        requestId: 'ada:r1',
        status: 'complete',
        credits: 7,
        replyTo: first.promptId,
        endReason: null,
        assistant: null,
        images: [],
      });
      expect((await f.chats.liveThread(first.conversationId)).map((r) => r.role)).toEqual([
        'user',
        'assistant',
        'user',
        'assistant',
      ]);

      // Another member's conversation is not found, and nothing of it changes.
      expect(
        await f.chats.threadMessages({ userId: 'bob', conversationId: first.conversationId }),
      ).toBeNull();
      expect(await f.chats.ownsConversation('bob', first.conversationId)).toBe(false);
      expect(await f.chats.ownsConversation('ada', first.conversationId)).toBe(true);
      expect(
        await f.chats.renameConversation({
          userId: 'bob',
          conversationId: first.conversationId,
          title: 'x',
        }),
      ).toBe(false);
      expect(
        await f.chats.deleteConversation({ userId: 'bob', conversationId: first.conversationId }),
      ).toBe(false);
      await expect(f.send('bob', 'hi', T0, first.conversationId)).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      expect(await f.count('messages')).toBe(4);

      expect(
        await f.chats.renameConversation({
          userId: 'ada',
          conversationId: first.conversationId,
          title: 'Tiles',
        }),
      ).toBe(true);
      expect((await f.chats.listConversations('ada'))[0]?.title).toBe('Tiles');
      expect(
        await f.chats.deleteConversation({ userId: 'ada', conversationId: first.conversationId }),
      ).toBe(true);
      expect(await f.chats.listConversations('ada')).toEqual([]);
      expect(await f.count('messages')).toBe(0);
    });

    it('lists newest first, at most the limit', async () => {
      for (let i = 0; i < 3; i++) await f.send('ada', `chat ${i}`, at(i));
      await f.send('bob', 'not ada', at(9));
      const listed = await f.chats.listConversations('ada', 2);
      expect(listed.map((c) => c.title)).toEqual(['chat 2', 'chat 1']);
      expect(listed[0]?.updatedAt).toEqual(at(2));
    });

    it('searches titles and messages case-insensitively, literally, only the member’s', async () => {
      const tiles = await f.send('ada', 'Roman Mosaics', at(0));
      await f.answer(tiles.conversationId, 'ada:s1', tiles.promptId, at(1));
      const glass = await f.send('ada', 'stained glass', at(2));
      await f.send('ada', 'progress: 100% done', at(3));
      await f.send('bob', 'mosaics of bob', at(4));
      const titles = async (query: string) =>
        (await f.chats.searchConversations({ userId: 'ada', query })).map((m) => m.title);
      expect(await titles('MOSAIC')).toEqual(['Roman Mosaics']);
      expect(await titles('answer ADA:S1')).toEqual(['Roman Mosaics']);
      expect(await titles('100%')).toEqual(['progress: 100% done']);
      expect(await titles('0_')).toEqual([]);
      expect(await titles('   ')).toEqual([]);
      const [match] = await f.chats.searchConversations({ userId: 'ada', query: 'GLASS' });
      expect(match).toMatchObject({ id: glass.conversationId, snippet: 'stained glass' });
    });

    it('shows another answer of the member’s only; regenerate keeps both, edit supersedes', async () => {
      const c = await f.send('ada', 'first');
      await f.answer(c.conversationId, 'ada:a1', c.promptId, at(1));
      const regenerated = await f.chats.storePrompt({
        userId: 'ada',
        conversationId: c.conversationId,
        modelId: 'tessera-mini',
        content: '',
        turn: { kind: 'regenerate', promptId: c.promptId! },
        claimImages: [],
        now: at(2),
      });
      expect(regenerated).toEqual({ conversationId: c.conversationId, promptId: c.promptId });
      await f.answer(c.conversationId, 'ada:a2', c.promptId, at(2));
      const thread = await f.chats.threadMessages({
        userId: 'ada',
        conversationId: c.conversationId,
      });
      const [, a1, a2] = thread!;
      expect(thread![0]?.shownAnswerId).toBe(a2?.id); // a new answer becomes the one shown
      const show = (userId: string, answerId: string) =>
        f.chats.showAnswer({ userId, conversationId: c.conversationId, answerId });
      expect(await show('bob', a1!.id)).toBe(false);
      expect(await show('ada', thread![0]!.id)).toBe(false); // a prompt is not an answer
      expect(await show('ada', a1!.id)).toBe(true);
      expect((await f.chats.liveThread(c.conversationId))[0]?.shownAnswerId).toBe(a1!.id);

      const edited = await f.chats.storePrompt({
        userId: 'ada',
        conversationId: c.conversationId,
        modelId: 'tessera-mini',
        content: 'first, better',
        turn: { kind: 'edit', promptId: c.promptId! },
        claimImages: [],
        now: at(3),
      });
      expect((await f.chats.liveThread(c.conversationId)).map((r) => r.id)).toEqual([
        edited.promptId,
      ]);
      expect(await f.count('messages', 'superseded_at is not null')).toBe(3);
      expect(await show('ada', a2!.id)).toBe(false); // superseded
    });
  });

  describe('answers', () => {
    it('stores one answer per request id, finds it for its owner only, and nothing once deleted', async () => {
      const c = await f.send('ada', 'hello');
      await f.answer(c.conversationId, 'ada:x', c.promptId);
      await f.answer(c.conversationId, 'ada:x', c.promptId); // a second settlement's record
      expect(await f.count('messages', "role = 'assistant'")).toBe(1);
      expect(await f.chats.findAnswer('ada:x', 'ada')).toEqual({
        content: 'answer ada:x',
        status: 'complete',
        conversationId: c.conversationId,
      });
      expect(await f.chats.findAnswer('ada:x', 'bob')).toBeUndefined();
      const cut = { code: 'MODEL_NOT_IN_PLAN', message: 'gone' };
      await f.chats.recordAnswer({
        conversationId: c.conversationId,
        requestId: 'ada:y',
        modelId: 'tessera-plus',
        content: 'part',
        status: 'cut_off',
        endReason: cut,
        inputTokens: 1,
        outputTokens: 1,
        credits: 0,
        now: at(5),
      });
      const thread = await f.chats.threadMessages({
        userId: 'ada',
        conversationId: c.conversationId,
      });
      expect(thread?.at(-1)).toMatchObject({ status: 'cut_off', endReason: cut, replyTo: null });
      expect((await f.chats.listConversations('ada'))[0]?.updatedAt).toEqual(at(5));
      expect(
        (await f.engine.sql<{ model_id: string }>('select model_id from conversations'))[0]
          ?.model_id,
      ).toBe('tessera-plus');

      await f.chats.deleteConversation({ userId: 'ada', conversationId: c.conversationId });
      await f.answer(c.conversationId, 'ada:z'); // its conversation was deleted meanwhile
      expect(await f.count('messages')).toBe(0);
      expect(await f.chats.findAnswer('ada:z', 'ada')).toBeUndefined();
    });
  });

  describe('races (several connections on PostgreSQL)', () => {
    it('concurrent uploads stop at the pending limit', async () => {
      for (let i = 0; i < 6; i++)
        await f.chats.storeUpload(newUpload({ userId: 'ada', dataUrl: PNG, now: T0 }));
      const results = await Promise.all(
        Array.from({ length: 8 }, () =>
          f.chats.storeUpload(newUpload({ userId: 'ada', dataUrl: PNG, now: T0 })),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(2);
      expect(await f.count('message_attachments', "user_id = 'ada'")).toBe(8);
    });

    it('concurrent records of one request store one answer', async () => {
      const c = await f.send('ada', 'hello');
      await Promise.all(
        Array.from({ length: 5 }, () => f.answer(c.conversationId, 'ada:same', c.promptId)),
      );
      expect(await f.count('messages', "request_id = 'ada:same'")).toBe(1);
      const [prompt] = await f.chats.liveThread(c.conversationId);
      const [stored] = await f.engine.sql<{ id: string }>(
        "select id from messages where request_id = 'ada:same'",
      );
      expect(prompt?.shownAnswerId).toBe(stored?.id);
    });

    it('concurrent prompts in one conversation at one instant all land, in a strict order', async () => {
      const c = await f.send('ada', 'p0');
      await Promise.all([1, 2, 3].map((i) => f.send('ada', `p${i}`, T0, c.conversationId)));
      const thread = await f.chats.liveThread(c.conversationId);
      expect(thread[0]?.content).toBe('p0');
      expect(thread.map((r) => r.content).sort()).toEqual(['p0', 'p1', 'p2', 'p3']);
      if (f.engine.name === 'PostgreSQL') {
        // No rowid to break ties: each message is stored after the one before it.
        const times = await f.engine.sql<{ created_at: number | string }>(
          'select created_at from messages order by created_at',
        );
        expect(new Set(times.map((t) => Number(t.created_at))).size).toBe(4);
      }
    });
  });
}
