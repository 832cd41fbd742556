// The chats store's contract (docs/decisions/034): conversations, images, the chat engine's reads
// and writes, and the usage reads behave alike on every engine. Fixtures in shared SQL.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newUpload } from '../../src/domain/chat/image-attachments.ts';
import { NO_ENTITLEMENTS } from '../../src/domain/entitlements/entitlements.ts';
import type { ChatStore } from '../../src/storage/chats-store.ts';
import type { EngineUnderTest, OpenEngine } from './engine.ts';

const T0 = new Date('2026-03-10T12:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
/** A 1×1 PNG. */
const PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

export function chatsContract(openEngine: OpenEngine) {
  let engine: EngineUnderTest;
  let chats: ChatStore;
  beforeEach(async () => {
    engine = await openEngine();
    chats = engine.stores.chats;
    for (const id of ['ada', 'bob'])
      await engine.sql(
        `insert into users (id, email, password_hash, created_at) values ($1, $2, 'x', $3)`,
        [id, `${id}@example.test`, T0],
      );
  });
  afterEach(() => engine.close());

  const count = async (table: string, where = 'true', params: unknown[] = []) =>
    Number(
      (
        await engine.sql<{ n: number | string }>(
          `select count(*) as n from ${table} where ${where}`,
          params,
        )
      )[0]!.n,
    );

  /** A new conversation with its first prompt, through the store. */
  const send = (userId: string, content: string, now = T0, conversationId?: string) =>
    chats.storePrompt({
      userId,
      conversationId,
      modelId: 'tessera-mini',
      content,
      turn: { kind: 'send' },
      claimImages: [],
      now,
    });
  const answer = (conversationId: string, requestId: string, replyTo?: string, now = T0) =>
    chats.recordAnswer({
      conversationId,
      requestId,
      modelId: 'tessera-mini',
      content: `answer ${requestId}`,
      status: 'complete',
      endReason: null,
      inputTokens: 3,
      outputTokens: 5,
      credits: 7,
      replyTo,
      now,
    });

  describe('conversations', () => {
    it('stores a prompt and its answers in order, even at one instant; lists, renames, deletes', async () => {
      const first = await send('ada', '  Tell me   about mosaics  ');
      expect(first.promptId).toBeTruthy();
      await answer(first.conversationId, 'ada:r1', first.promptId);
      // Same instant (a clock that did not move): the order written is still the order read.
      const second = await send('ada', 'And tesserae?', T0, first.conversationId);
      await answer(first.conversationId, 'ada:r2', second.promptId);
      expect(await chats.listConversations('ada')).toEqual([
        expect.objectContaining({ id: first.conversationId, title: 'Tell me about mosaics' }),
      ]);
      const thread = await chats.threadMessages({
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
      expect((await chats.liveThread(first.conversationId)).map((r) => r.role)).toEqual([
        'user',
        'assistant',
        'user',
        'assistant',
      ]);

      // Another member's conversation is not found, and nothing of it changes.
      expect(
        await chats.threadMessages({ userId: 'bob', conversationId: first.conversationId }),
      ).toBeNull();
      expect(await chats.ownsConversation('bob', first.conversationId)).toBe(false);
      expect(await chats.ownsConversation('ada', first.conversationId)).toBe(true);
      expect(
        await chats.renameConversation({
          userId: 'bob',
          conversationId: first.conversationId,
          title: 'x',
        }),
      ).toBe(false);
      expect(
        await chats.deleteConversation({ userId: 'bob', conversationId: first.conversationId }),
      ).toBe(false);
      await expect(send('bob', 'hi', T0, first.conversationId)).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      expect(await count('messages')).toBe(4);

      expect(
        await chats.renameConversation({
          userId: 'ada',
          conversationId: first.conversationId,
          title: 'Tiles',
        }),
      ).toBe(true);
      expect((await chats.listConversations('ada'))[0]?.title).toBe('Tiles');
      expect(
        await chats.deleteConversation({ userId: 'ada', conversationId: first.conversationId }),
      ).toBe(true);
      expect(await chats.listConversations('ada')).toEqual([]);
      expect(await count('messages')).toBe(0);
    });

    it('lists newest first, at most the limit', async () => {
      for (let i = 0; i < 3; i++) await send('ada', `chat ${i}`, at(i));
      await send('bob', 'not ada', at(9));
      const listed = await chats.listConversations('ada', 2);
      expect(listed.map((c) => c.title)).toEqual(['chat 2', 'chat 1']);
      expect(listed[0]?.updatedAt).toEqual(at(2));
    });

    it('searches titles and messages case-insensitively, literally, only the member’s', async () => {
      const tiles = await send('ada', 'Roman Mosaics', at(0));
      await answer(tiles.conversationId, 'ada:s1', tiles.promptId, at(1));
      const glass = await send('ada', 'stained glass', at(2));
      await send('ada', 'progress: 100% done', at(3));
      await send('bob', 'mosaics of bob', at(4));
      const titles = async (query: string) =>
        (await chats.searchConversations({ userId: 'ada', query })).map((m) => m.title);
      expect(await titles('MOSAIC')).toEqual(['Roman Mosaics']);
      expect(await titles('answer ADA:S1')).toEqual(['Roman Mosaics']);
      expect(await titles('100%')).toEqual(['progress: 100% done']);
      expect(await titles('0_')).toEqual([]);
      expect(await titles('   ')).toEqual([]);
      const [match] = await chats.searchConversations({ userId: 'ada', query: 'GLASS' });
      expect(match).toMatchObject({ id: glass.conversationId, snippet: 'stained glass' });
    });

    it('shows another answer of the member’s only; regenerate keeps both, edit supersedes', async () => {
      const c = await send('ada', 'first');
      await answer(c.conversationId, 'ada:a1', c.promptId, at(1));
      const regenerated = await chats.storePrompt({
        userId: 'ada',
        conversationId: c.conversationId,
        modelId: 'tessera-mini',
        content: '',
        turn: { kind: 'regenerate', promptId: c.promptId! },
        claimImages: [],
        now: at(2),
      });
      expect(regenerated).toEqual({ conversationId: c.conversationId, promptId: c.promptId });
      await answer(c.conversationId, 'ada:a2', c.promptId, at(2));
      const thread = await chats.threadMessages({
        userId: 'ada',
        conversationId: c.conversationId,
      });
      const [, a1, a2] = thread!;
      expect(thread![0]?.shownAnswerId).toBe(a2?.id); // a new answer becomes the one shown
      const show = (userId: string, answerId: string) =>
        chats.showAnswer({ userId, conversationId: c.conversationId, answerId });
      expect(await show('bob', a1!.id)).toBe(false);
      expect(await show('ada', thread![0]!.id)).toBe(false); // a prompt is not an answer
      expect(await show('ada', a1!.id)).toBe(true);
      expect((await chats.liveThread(c.conversationId))[0]?.shownAnswerId).toBe(a1!.id);

      const edited = await chats.storePrompt({
        userId: 'ada',
        conversationId: c.conversationId,
        modelId: 'tessera-mini',
        content: 'first, better',
        turn: { kind: 'edit', promptId: c.promptId! },
        claimImages: [],
        now: at(3),
      });
      expect((await chats.liveThread(c.conversationId)).map((r) => r.id)).toEqual([
        edited.promptId,
      ]);
      expect(await count('messages', 'superseded_at is not null')).toBe(3);
      expect(await show('ada', a2!.id)).toBe(false); // superseded
    });
  });

  describe('answers', () => {
    it('stores one answer per request id, finds it for its owner only, and nothing once deleted', async () => {
      const c = await send('ada', 'hello');
      await answer(c.conversationId, 'ada:x', c.promptId);
      await answer(c.conversationId, 'ada:x', c.promptId); // a second settlement's record
      expect(await count('messages', "role = 'assistant'")).toBe(1);
      expect(await chats.findAnswer('ada:x', 'ada')).toEqual({
        content: 'answer ada:x',
        status: 'complete',
        conversationId: c.conversationId,
      });
      expect(await chats.findAnswer('ada:x', 'bob')).toBeUndefined();
      const cut = { code: 'MODEL_NOT_IN_PLAN', message: 'gone' };
      await chats.recordAnswer({
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
      const thread = await chats.threadMessages({
        userId: 'ada',
        conversationId: c.conversationId,
      });
      expect(thread?.at(-1)).toMatchObject({ status: 'cut_off', endReason: cut, replyTo: null });
      expect((await chats.listConversations('ada'))[0]?.updatedAt).toEqual(at(5));
      expect(
        (await engine.sql<{ model_id: string }>('select model_id from conversations'))[0]?.model_id,
      ).toBe('tessera-plus');

      await chats.deleteConversation({ userId: 'ada', conversationId: c.conversationId });
      await answer(c.conversationId, 'ada:z'); // its conversation was deleted meanwhile
      expect(await count('messages')).toBe(0);
      expect(await chats.findAnswer('ada:z', 'ada')).toBeUndefined();
    });
  });

  describe('images', () => {
    it('stores uploads up to the pending limit, claims them in order, reads them back', async () => {
      const up = () => newUpload({ userId: 'ada', dataUrl: PNG, now: T0 });
      const uploads = [];
      for (let i = 0; i < 8; i++) {
        const upload = up();
        expect(await chats.storeUpload(upload)).toBe(true);
        uploads.push(upload);
      }
      expect(await chats.storeUpload(up())).toBe(false); // nine pending: refused, nothing stored
      expect(await count('message_attachments')).toBe(8);
      const [a, b, c] = uploads.map((u) => u.id);

      expect(await chats.imageOf('ada', a!)).toMatchObject({ mediaType: 'image/png' });
      expect((await chats.imageOf('ada', a!))?.data.equals(uploads[0]!.data)).toBe(true);
      expect(await chats.imageOf('bob', a!)).toBeUndefined();
      expect((await chats.pendingUploads('ada', [a!, 'nope'])).map((r) => r.id)).toEqual([a]);
      expect(await chats.pendingUploads('bob', [a!])).toEqual([]);

      expect(await chats.discardUpload('bob', c!)).toBe(false);
      expect(await chats.discardUpload('ada', c!)).toBe(true);
      expect(await chats.discardUpload('ada', c!)).toBe(false);

      const sent = await chats.storePrompt({
        userId: 'ada',
        modelId: 'tessera-plus',
        content: 'look',
        turn: { kind: 'send' },
        claimImages: [b!, a!],
        now: T0,
      });
      expect(await chats.pendingUploads('ada', [a!, b!])).toEqual([]);
      expect(await chats.discardUpload('ada', a!)).toBe(false); // sent images stay
      const images = await chats.imagesOfMessages([sent.promptId!]);
      expect(images.get(sent.promptId!)?.map((i) => i.id)).toEqual([b, a]);
      expect(images.get(sent.promptId!)?.[0]?.url).toBe(PNG);
      const thread = await chats.threadMessages({
        userId: 'ada',
        conversationId: sent.conversationId,
      });
      expect(thread?.[0]?.images).toEqual([
        { id: b, mediaType: 'image/png', bytes: uploads[1]!.data.length },
        { id: a, mediaType: 'image/png', bytes: uploads[0]!.data.length },
      ]);

      // An edit without new images carries the old prompt's over.
      const edited = await chats.storePrompt({
        userId: 'ada',
        conversationId: sent.conversationId,
        modelId: 'tessera-plus',
        content: 'look again',
        turn: { kind: 'edit', promptId: sent.promptId! },
        claimImages: [],
        carryImagesFrom: sent.promptId,
        now: at(1),
      });
      expect((await chats.imagesOfMessages([edited.promptId!])).get(edited.promptId!)).toHaveLength(
        2,
      );
    });

    it('drops the member’s stale pending uploads before counting', async () => {
      for (let i = 0; i < 8; i++)
        await chats.storeUpload(newUpload({ userId: 'ada', dataUrl: PNG, now: T0 }));
      const dayLater = new Date(T0.getTime() + 24 * 60 * 60 * 1000 + 1);
      expect(
        await chats.storeUpload(newUpload({ userId: 'ada', dataUrl: PNG, now: dayLater })),
      ).toBe(true);
      expect(await count('message_attachments')).toBe(1);
    });
  });

  describe('races (several connections on PostgreSQL)', () => {
    it('concurrent uploads stop at the pending limit', async () => {
      for (let i = 0; i < 6; i++)
        await chats.storeUpload(newUpload({ userId: 'ada', dataUrl: PNG, now: T0 }));
      const results = await Promise.all(
        Array.from({ length: 8 }, () =>
          chats.storeUpload(newUpload({ userId: 'ada', dataUrl: PNG, now: T0 })),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(2);
      expect(await count('message_attachments', "user_id = 'ada'")).toBe(8);
    });

    it('concurrent records of one request store one answer', async () => {
      const c = await send('ada', 'hello');
      await Promise.all(
        Array.from({ length: 5 }, () => answer(c.conversationId, 'ada:same', c.promptId)),
      );
      expect(await count('messages', "request_id = 'ada:same'")).toBe(1);
      const [prompt] = await chats.liveThread(c.conversationId);
      const [stored] = await engine.sql<{ id: string }>(
        "select id from messages where request_id = 'ada:same'",
      );
      expect(prompt?.shownAnswerId).toBe(stored?.id);
    });

    it('concurrent prompts in one conversation at one instant all land, in a strict order', async () => {
      const c = await send('ada', 'p0');
      await Promise.all([1, 2, 3].map((i) => send('ada', `p${i}`, T0, c.conversationId)));
      const thread = await chats.liveThread(c.conversationId);
      expect(thread[0]?.content).toBe('p0');
      expect(thread.map((r) => r.content).sort()).toEqual(['p0', 'p1', 'p2', 'p3']);
      if (engine.name === 'PostgreSQL') {
        // No rowid to break ties: each message is stored after the one before it.
        const times = await engine.sql<{ created_at: number | string }>(
          'select created_at from messages order by created_at',
        );
        expect(new Set(times.map((t) => Number(t.created_at))).size).toBe(4);
      }
    });
  });

  describe('models and providers', () => {
    it('reads model rows, the picker, vision models, /v1 models and provider rows', async () => {
      expect(await chats.modelById('tessera-mini')).toEqual({
        id: 'tessera-mini',
        active: true,
        providerId: null,
        upstreamModel: null,
        vision: false,
      });
      expect(await chats.modelById('nope')).toBeUndefined();
      expect(await chats.visionModelIds()).toEqual(['tessera-plus', 'tessera-ultra']);
      await engine.sql(
        `insert into providers (id, name, base_url, api_key, active, created_at, updated_at)
         values ('p1', 'Up', 'http://127.0.0.1:9/v1', null, true, $1, $1)`,
        [T0],
      );
      await engine.sql(
        `insert into models (id, display_name, input_price_per_million, output_price_per_million,
           provider_id, upstream_model, vision, active, created_at)
         values ('up-1', 'Up One', 1, 2, 'p1', 'llama', false, false, $1)`,
        [T0],
      );
      expect(await chats.modelById('up-1')).toEqual({
        id: 'up-1',
        active: false,
        providerId: 'p1',
        upstreamModel: 'llama',
        vision: false,
      });
      expect(await chats.providerById('p1')).toEqual({
        id: 'p1',
        baseUrl: 'http://127.0.0.1:9/v1',
        apiKey: null,
        active: true,
        updatedAt: T0.getTime(),
      });
      expect(await chats.providerById('nope')).toBeUndefined();
      const picker = await chats.activeModels();
      expect(picker.map((m) => m.id)).toEqual(['tessera-mini', 'tessera-plus', 'tessera-ultra']);
      expect(picker[0]).toMatchObject({ inputPricePerMillion: 50000, vision: false });
      await engine.sql(`update models set active = true where id = 'up-1'`);
      expect((await chats.apiModels()).map((m) => m.id)).toEqual([
        'tessera-mini',
        'tessera-plus',
        'tessera-ultra',
        'up-1',
      ]);
      expect((await chats.apiModels()).at(-1)?.createdAt).toBe(T0.getTime());
    });
  });

  describe('usage reads', () => {
    const entitlements = {
      ...NO_ENTITLEMENTS,
      requestsPerDay: 20,
      requestsPerMonth: 100,
      requestsPerMinute: 5,
    };
    const unlimited = {
      ...entitlements,
      requestsPerDay: null,
      requestsPerMonth: null,
      requestsPerMinute: null,
    };
    const counter = (window: string, start: number, requests: number, credits: number) =>
      engine.sql(
        `insert into usage_counters (user_id, "window", period_start, requests, input_tokens, output_tokens, credits)
         values ('ada', $1, $2, $3, 10, 20, $4)`,
        [window, start, requests, credits],
      );
    const day = Date.parse('2026-03-10T00:00:00Z');
    const month = Date.parse('2026-03-01T00:00:00Z');
    const minute = Date.parse('2026-03-10T12:00:00Z');
    const input = { userId: 'ada', entitlements, now: T0, timeZone: 'UTC' };

    it('summarises the day and month with the account, caps and resets', async () => {
      await counter('day', day, 4, 30);
      await counter('day', day - 86_400_000, 9, 90); // yesterday: not today's
      await counter('month', month, 13, 120);
      await engine.sql(
        `insert into credit_accounts (user_id, balance, reserved, purchased, daily_request_cap, updated_at)
         values ('ada', 1000, 100, 300, 10, $1)`,
        [T0],
      );
      expect(await chats.usageSummary(input)).toEqual({
        day: { requests: 4, limit: 10, planLimit: 20, resetsAt: new Date('2026-03-11T00:00:00Z') },
        month: {
          requests: 13,
          limit: 100,
          creditsSpent: 120,
          resetsAt: new Date('2026-04-01T00:00:00Z'),
        },
        requestsPerMinute: 5,
        credits: { balance: 1000, reserved: 100, available: 900, allowance: 700, purchased: 300 },
        caps: { dailyRequestCap: 10, monthlyCreditCap: null },
        timeZone: 'UTC',
      });
      const bob = await chats.usageSummary({ ...input, userId: 'bob' });
      expect(bob.day.requests).toBe(0);
      expect(bob.credits.balance).toBe(0);
    });

    it('gives the daily series zero-filled, oldest first', async () => {
      await counter('day', day, 4, 30);
      await counter('day', day - 2 * 86_400_000, 9, 90);
      await counter('month', month, 13, 120);
      const series = await chats.dailyUsage({ userId: 'ada', days: 3, now: T0, timeZone: 'UTC' });
      expect(series).toEqual([
        { day: new Date(day - 2 * 86_400_000), requests: 9, credits: 90, tokens: 30 },
        { day: new Date(day - 86_400_000), requests: 0, credits: 0, tokens: 0 },
        { day: new Date(day), requests: 4, credits: 30, tokens: 30 },
      ]);
    });

    it('sets the personal caps, refusing a daily cap above the plan with nothing written', async () => {
      await engine.sql(
        `insert into credit_accounts (user_id, balance, reserved, purchased, updated_at)
         values ('ada', 0, 0, 0, $1)`,
        [T0],
      );
      const caps = { userId: 'ada', entitlements, now: at(1) };
      await expect(
        chats.setPersonalCaps({ ...caps, dailyRequestCap: 21, monthlyCreditCap: 5 }),
      ).rejects.toMatchObject({ code: 'VALIDATION', details: { planLimit: 20 } });
      expect((await chats.usageSummary(input)).caps).toEqual({
        dailyRequestCap: null,
        monthlyCreditCap: null,
      });
      expect(
        await chats.setPersonalCaps({ ...caps, dailyRequestCap: 20, monthlyCreditCap: 5 }),
      ).toEqual({ dailyRequestCap: 20, monthlyCreditCap: 5 });
      expect((await chats.usageSummary(input)).caps).toEqual({
        dailyRequestCap: 20,
        monthlyCreditCap: 5,
      });
      const [row] = await engine.sql<{ updated_at: number | string }>(
        "select updated_at from credit_accounts where user_id = 'ada'",
      );
      expect(Number(row?.updated_at)).toBe(at(1).getTime());
    });

    it('finds the tightest request window, with the personal cap', async () => {
      expect(await chats.requestWindow({ ...input, entitlements: unlimited })).toBeNull();
      await counter('minute', minute, 1, 0);
      await counter('day', day, 4, 0);
      await counter('month', month, 98, 0);
      expect(await chats.requestWindow(input)).toMatchObject({ window: 'month', remaining: 2 });
      await engine.sql(
        `insert into credit_accounts (user_id, balance, reserved, purchased, daily_request_cap, updated_at)
         values ('ada', 0, 0, 0, 5, $1)`,
        [T0],
      );
      expect(await chats.requestWindow(input)).toEqual({
        window: 'day',
        limit: 5,
        remaining: 1,
        resetsAt: new Date('2026-03-11T00:00:00Z'),
      });
    });
  });
}
