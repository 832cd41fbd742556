// The chats store's contract, part 2: images, model and provider rows, usage reads.
import { describe, expect, it } from 'vitest';
import { newUpload } from '../../src/domain/chat/image-attachments.ts';
import { NO_ENTITLEMENTS } from '../../src/domain/entitlements/entitlements.ts';
import { at, chatsFixture, PNG, T0 } from './chats.fixture.ts';
import type { OpenEngine } from './engine.ts';

export function chatsMediaAndUsageContract(openEngine: OpenEngine) {
  const f = chatsFixture(openEngine);

  describe('images', () => {
    it('stores uploads up to the pending limit, claims them in order, reads them back', async () => {
      const up = () => newUpload({ userId: 'ada', dataUrl: PNG, now: T0 });
      const uploads = [];
      for (let i = 0; i < 8; i++) {
        const upload = up();
        expect(await f.chats.storeUpload(upload)).toBe(true);
        uploads.push(upload);
      }
      expect(await f.chats.storeUpload(up())).toBe(false); // nine pending: refused, nothing stored
      expect(await f.count('message_attachments')).toBe(8);
      const [a, b, c] = uploads.map((u) => u.id);

      expect(await f.chats.imageOf('ada', a!)).toMatchObject({ mediaType: 'image/png' });
      expect((await f.chats.imageOf('ada', a!))?.data.equals(uploads[0]!.data)).toBe(true);
      expect(await f.chats.imageOf('bob', a!)).toBeUndefined();
      expect((await f.chats.pendingUploads('ada', [a!, 'nope'])).map((r) => r.id)).toEqual([a]);
      expect(await f.chats.pendingUploads('bob', [a!])).toEqual([]);

      expect(await f.chats.discardUpload('bob', c!)).toBe(false);
      expect(await f.chats.discardUpload('ada', c!)).toBe(true);
      expect(await f.chats.discardUpload('ada', c!)).toBe(false);

      const sent = await f.chats.storePrompt({
        userId: 'ada',
        modelId: 'tessera-plus',
        content: 'look',
        turn: { kind: 'send' },
        claimImages: [b!, a!],
        now: T0,
      });
      expect(await f.chats.pendingUploads('ada', [a!, b!])).toEqual([]);
      expect(await f.chats.discardUpload('ada', a!)).toBe(false); // sent images stay
      const images = await f.chats.imagesOfMessages([sent.promptId!]);
      expect(images.get(sent.promptId!)?.map((i) => i.id)).toEqual([b, a]);
      expect(images.get(sent.promptId!)?.[0]?.url).toBe(PNG);
      const thread = await f.chats.threadMessages({
        userId: 'ada',
        conversationId: sent.conversationId,
      });
      expect(thread?.[0]?.images).toEqual([
        { id: b, mediaType: 'image/png', bytes: uploads[1]!.data.length },
        { id: a, mediaType: 'image/png', bytes: uploads[0]!.data.length },
      ]);

      // An edit without new images carries the old prompt's over.
      const edited = await f.chats.storePrompt({
        userId: 'ada',
        conversationId: sent.conversationId,
        modelId: 'tessera-plus',
        content: 'look again',
        turn: { kind: 'edit', promptId: sent.promptId! },
        claimImages: [],
        carryImagesFrom: sent.promptId,
        now: at(1),
      });
      expect(
        (await f.chats.imagesOfMessages([edited.promptId!])).get(edited.promptId!),
      ).toHaveLength(2);
    });

    it('drops the member’s stale pending uploads before counting', async () => {
      for (let i = 0; i < 8; i++)
        await f.chats.storeUpload(newUpload({ userId: 'ada', dataUrl: PNG, now: T0 }));
      const dayLater = new Date(T0.getTime() + 24 * 60 * 60 * 1000 + 1);
      expect(
        await f.chats.storeUpload(newUpload({ userId: 'ada', dataUrl: PNG, now: dayLater })),
      ).toBe(true);
      expect(await f.count('message_attachments')).toBe(1);
    });
  });

  describe('models and providers', () => {
    it('reads model rows, the picker, vision models, /v1 models and provider rows', async () => {
      expect(await f.chats.modelById('tessera-mini')).toEqual({
        id: 'tessera-mini',
        active: true,
        providerId: null,
        upstreamModel: null,
        vision: false,
      });
      expect(await f.chats.modelById('nope')).toBeUndefined();
      expect(await f.chats.visionModelIds()).toEqual(['tessera-plus', 'tessera-ultra']);
      await f.engine.sql(
        `insert into providers (id, name, base_url, api_key, active, created_at, updated_at)
         values ('p1', 'Up', 'http://127.0.0.1:9/v1', null, true, $1, $1)`,
        [T0],
      );
      await f.engine.sql(
        `insert into models (id, display_name, input_price_per_million, output_price_per_million,
           provider_id, upstream_model, vision, active, created_at)
         values ('up-1', 'Up One', 1, 2, 'p1', 'llama', false, false, $1)`,
        [T0],
      );
      expect(await f.chats.modelById('up-1')).toEqual({
        id: 'up-1',
        active: false,
        providerId: 'p1',
        upstreamModel: 'llama',
        vision: false,
      });
      expect(await f.chats.providerById('p1')).toEqual({
        id: 'p1',
        baseUrl: 'http://127.0.0.1:9/v1',
        apiKey: null,
        active: true,
        updatedAt: T0.getTime(),
      });
      expect(await f.chats.providerById('nope')).toBeUndefined();
      const picker = await f.chats.activeModels();
      expect(picker.map((m) => m.id)).toEqual(['tessera-mini', 'tessera-plus', 'tessera-ultra']);
      expect(picker[0]).toMatchObject({ inputPricePerMillion: 50000, vision: false });
      await f.engine.sql(`update models set active = true where id = 'up-1'`);
      expect((await f.chats.apiModels()).map((m) => m.id)).toEqual([
        'tessera-mini',
        'tessera-plus',
        'tessera-ultra',
        'up-1',
      ]);
      expect((await f.chats.apiModels()).at(-1)?.createdAt).toBe(T0.getTime());
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
      f.engine.sql(
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
      await f.engine.sql(
        `insert into credit_accounts (user_id, balance, reserved, purchased, daily_request_cap, updated_at)
         values ('ada', 1000, 100, 300, 10, $1)`,
        [T0],
      );
      expect(await f.chats.usageSummary(input)).toEqual({
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
      const bob = await f.chats.usageSummary({ ...input, userId: 'bob' });
      expect(bob.day.requests).toBe(0);
      expect(bob.credits.balance).toBe(0);
    });

    it('gives the daily series zero-filled, oldest first', async () => {
      await counter('day', day, 4, 30);
      await counter('day', day - 2 * 86_400_000, 9, 90);
      await counter('month', month, 13, 120);
      const series = await f.chats.dailyUsage({ userId: 'ada', days: 3, now: T0, timeZone: 'UTC' });
      expect(series).toEqual([
        { day: new Date(day - 2 * 86_400_000), requests: 9, credits: 90, tokens: 30 },
        { day: new Date(day - 86_400_000), requests: 0, credits: 0, tokens: 0 },
        { day: new Date(day), requests: 4, credits: 30, tokens: 30 },
      ]);
    });

    it('sets the personal caps, refusing a daily cap above the plan with nothing written', async () => {
      await f.engine.sql(
        `insert into credit_accounts (user_id, balance, reserved, purchased, updated_at)
         values ('ada', 0, 0, 0, $1)`,
        [T0],
      );
      const caps = { userId: 'ada', entitlements, now: at(1) };
      await expect(
        f.chats.setPersonalCaps({ ...caps, dailyRequestCap: 21, monthlyCreditCap: 5 }),
      ).rejects.toMatchObject({ code: 'VALIDATION', details: { planLimit: 20 } });
      expect((await f.chats.usageSummary(input)).caps).toEqual({
        dailyRequestCap: null,
        monthlyCreditCap: null,
      });
      expect(
        await f.chats.setPersonalCaps({ ...caps, dailyRequestCap: 20, monthlyCreditCap: 5 }),
      ).toEqual({ dailyRequestCap: 20, monthlyCreditCap: 5 });
      expect((await f.chats.usageSummary(input)).caps).toEqual({
        dailyRequestCap: 20,
        monthlyCreditCap: 5,
      });
      const [row] = await f.engine.sql<{ updated_at: number | string }>(
        "select updated_at from credit_accounts where user_id = 'ada'",
      );
      expect(Number(row?.updated_at)).toBe(at(1).getTime());
    });

    it('finds the tightest request window, with the personal cap', async () => {
      expect(await f.chats.requestWindow({ ...input, entitlements: unlimited })).toBeNull();
      await counter('minute', minute, 1, 0);
      await counter('day', day, 4, 0);
      await counter('month', month, 98, 0);
      expect(await f.chats.requestWindow(input)).toMatchObject({ window: 'month', remaining: 2 });
      await f.engine.sql(
        `insert into credit_accounts (user_id, balance, reserved, purchased, daily_request_cap, updated_at)
         values ('ada', 0, 0, 0, 5, $1)`,
        [T0],
      );
      expect(await f.chats.requestWindow(input)).toEqual({
        window: 'day',
        limit: 5,
        remaining: 1,
        resetsAt: new Date('2026-03-11T00:00:00Z'),
      });
    });
  });
}
