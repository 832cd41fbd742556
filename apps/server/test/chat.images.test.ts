// Images in the chat (decision 026), over real HTTP and SSE with `tessera-plus` (vision) routed to
// a fake OpenAI-compatible upstream on loopback that records what it gets: the upload, the image
// part the model receives (and again as history), the 765 tokens it is counted at, the thread
// showing it after a reload, and every refusal — a text-only model, a bad upload, someone else's
// image, too many — with nothing written.
import { TRPCClientError } from '@trpc/client';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeUpstream, startFakeUpstream } from './fake-openai-upstream.ts';
import {
  CookieFetch,
  chatStream,
  grantMarkInDb,
  type SseEvent,
  STRONG_PASSWORD,
  setCreditsInDb,
  startTestServer,
  type TestServer,
  trpcClient,
} from './harness.ts';

/** A real 3 × 2 px PNG. */
const PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAMAAAACCAIAAAASFvFNAAAAEElEQVR4nGM4IScHQQxwFgBBAAYZPEVBlgAAAABJRU5ErkJggg==';
const PNG_URL = `data:image/png;base64,${PNG_BASE64}`;

describe('images in the chat', () => {
  let server: TestServer;
  let upstream: FakeUpstream;
  afterEach(async () => {
    await server.stop();
    await upstream.close();
  });

  async function setup() {
    upstream = await startFakeUpstream();
    // No usage from the upstream: the answer is billed with the engine's own count of the prompt.
    upstream.reply = () => ({ text: ['A small ', 'red picture.'], finish: 'stop', usage: null });
    server = await startTestServer({
      seedDemo: true,
      demoTokensPerSecond: 5000,
      openai: { baseURL: upstream.url, apiKey: upstream.apiKey },
    });
    await server.storage.sql(
      "update models set provider_id = 'openai', upstream_model = 'fake-gpt' where id = $1",
      ['tessera-plus'],
    );
  }

  async function member(email: string, mark?: 'pro') {
    const browser = new CookieFetch(server.url);
    const api = trpcClient(server.url, browser);
    await api.auth.signUp.mutate({ email, password: STRONG_PASSWORD });
    const { id } = (await server.storage.stores.auth.userByEmail(email))!;
    await setCreditsInDb(server, id, 10_000_000);
    if (mark) await grantMarkInDb(server, id, mark);
    const cookie = [...browser.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    return { userId: id, api, cookie };
  }

  async function answer(cookie: string, input: Record<string, unknown>): Promise<SseEvent[]> {
    const events: SseEvent[] = [];
    const controller = new AbortController();
    for await (const event of chatStream(server, cookie, input, controller.signal)) {
      events.push(event);
      if (['done', 'refused', 'cut_off', 'replay'].includes(event.data.type)) break;
    }
    controller.abort();
    return events;
  }

  const count = async (sql: string, ...args: unknown[]) =>
    Number((await server.storage.sql<{ n: unknown }>(sql, args))[0]?.n);

  it('sends an uploaded image to a vision model as an image part, counts it, stores and shows it', async () => {
    await setup();
    const { api, cookie } = await member('pro@example.com', 'pro');
    const upload = await api.chat.images.upload.mutate({ dataUrl: PNG_URL });
    expect(upload).toMatchObject({ mediaType: 'image/png', bytes: 73 });

    const events = await answer(cookie, {
      requestId: 'image-request-0001',
      model: 'tessera-plus',
      content: 'What is in this picture?',
      images: [upload.id],
    });
    expect(events.at(-1)?.data).toMatchObject({ type: 'done', status: 'complete' });
    expect(upstream.requests[0]?.body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in this picture?' },
          { type: 'image_url', image_url: { url: PNG_URL, detail: 'auto' } },
        ],
      },
    ]);

    // The same words without the image: the image is counted as 765 input tokens (`auto`).
    await answer(cookie, {
      requestId: 'text-request-0001',
      model: 'tessera-plus',
      content: 'What is in this picture?',
    });
    const inputTokens = async (key: string) =>
      Number(
        (
          await server.storage.sql<{ n: unknown }>(
            "select input_tokens as n from messages where request_id like '%' || $1",
            [key],
          )
        )[0]?.n,
      );
    expect(
      (await inputTokens('image-request-0001')) - (await inputTokens('text-request-0001')),
    ).toBe(765);

    // After a reload the thread lists the image, and it loads as it was sent.
    const conversationId = events.find((e) => e.data.type === 'admitted')?.data as unknown as {
      conversationId: string;
    };
    const thread = await api.chat.conversations.messages.query({
      conversationId: conversationId.conversationId,
    });
    expect(thread[0]).toMatchObject({
      role: 'user',
      images: [{ id: upload.id, mediaType: 'image/png', bytes: 73 }],
    });
    expect(thread[1]?.images).toEqual([]);
    expect(await api.chat.images.byId.query({ id: upload.id })).toEqual({ dataUrl: PNG_URL });

    // The next turn sends the earlier image again as history.
    await answer(cookie, {
      requestId: 'image-request-0002',
      conversationId: conversationId.conversationId,
      model: 'tessera-plus',
      content: 'And the colour?',
    });
    const history = upstream.requests.at(-1)?.body.messages[0] as { content: unknown[] };
    expect(history.content[1]).toEqual({
      type: 'image_url',
      image_url: { url: PNG_URL, detail: 'auto' },
    });
  });

  it('regenerate sends the prompt’s images again; an edit keeps them on the new prompt', async () => {
    await setup();
    const { api, cookie } = await member('redo@example.com', 'pro');
    const { id } = await api.chat.images.upload.mutate({ dataUrl: PNG_URL });
    const first = await answer(cookie, {
      requestId: 'redo-image-0001',
      model: 'tessera-plus',
      content: 'What is this?',
      images: [id],
    });
    const { conversationId } = first.find((e) => e.data.type === 'admitted')!.data as unknown as {
      conversationId: string;
    };
    const promptId = (await api.chat.conversations.messages.query({ conversationId }))[0]!.id;
    const imagePart = { type: 'image_url', image_url: { url: PNG_URL, detail: 'auto' } };

    await answer(cookie, {
      requestId: 'redo-image-0002',
      conversationId,
      model: 'tessera-plus',
      content: 'ignored',
      regenerate: { promptId },
    });
    expect(upstream.requests[1]?.body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'What is this?' }, imagePart] },
    ]);

    await answer(cookie, {
      requestId: 'redo-image-0003',
      conversationId,
      model: 'tessera-plus',
      content: 'What colour is this?',
      edit: { promptId },
    });
    expect(upstream.requests[2]?.body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'What colour is this?' }, imagePart] },
    ]);
    const thread = await api.chat.conversations.messages.query({ conversationId });
    expect(thread[0]).toMatchObject({ content: 'What colour is this?', images: [{ id }] });
  });

  it('the offline demo model says it saw the image', async () => {
    await setup();
    await server.storage.sql("update models set provider_id = null where id = 'tessera-plus'");
    const { api, cookie } = await member('demo@example.com', 'pro');
    const { id } = await api.chat.images.upload.mutate({ dataUrl: PNG_URL });
    const events = await answer(cookie, {
      requestId: 'demo-image-0001',
      model: 'tessera-plus',
      content: 'Describe it',
      images: [id],
    });
    const text = events.map((e) => e.data.text ?? '').join('');
    expect(text).toContain('I see 1 image (PNG, 3×2 px).');
  });

  it('refuses images to a text-only model, and points a Free member at a plan with vision', async () => {
    await setup();
    const { api, cookie, userId } = await member('free@example.com');
    const { id } = await api.chat.images.upload.mutate({ dataUrl: PNG_URL });
    const events = await answer(cookie, {
      requestId: 'mini-image-0001',
      model: 'tessera-mini',
      content: 'Describe it',
      images: [id],
    });
    const refused = events.at(-1)?.data as SseEvent['data'] & {
      reason: { details: { visionModels: string[] }; unlock: { plans: { name: string }[] }[] };
    };
    expect(refused.type).toBe('refused');
    expect(refused.reason.code).toBe('MODEL_NOT_VISION_CAPABLE');
    expect(refused.reason.details.visionModels).toEqual([]);
    expect(refused.reason.unlock.flatMap((u) => u.plans.map((p) => p.name)).length).toBeGreaterThan(
      0,
    );
    // Nothing written: no conversation, no reservation, the upload still pending.
    expect(await count('select count(*) as n from conversations where user_id = $1', userId)).toBe(
      0,
    );
    expect(
      await count('select count(*) as n from credit_reservations where user_id = $1', userId),
    ).toBe(0);
    expect(
      await count('select count(*) as n from message_attachments where message_id is null'),
    ).toBe(1);
    expect(upstream.requests).toHaveLength(0);
  });

  it('refuses bad uploads and foreign or too many images, writing nothing', async () => {
    await setup();
    const { api, cookie } = await member('pro2@example.com', 'pro');
    const other = await member('other@example.com', 'pro');
    const fieldError = async (dataUrl: string) => {
      const error = await api.chat.images.upload.mutate({ dataUrl }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TRPCClientError);
      const data = (error as { data: { fieldErrors?: Record<string, string[]> } }).data;
      return data.fieldErrors?.dataUrl?.[0];
    };
    expect(await fieldError('data:text/plain;base64,aGVsbG8=')).toBe('IMAGE_TYPE');
    expect(await fieldError('https://example.com/cat.png')).toBe('NOT_DATA_URL');
    expect(await fieldError('data:image/png;base64,R0lGODlhAQABAAAAACw=')).toBe('IMAGE_CORRUPT');
    const big = Buffer.alloc(5 * 1024 * 1024 + 1);
    Buffer.from(PNG_BASE64, 'base64').copy(big);
    expect(await fieldError(`data:image/png;base64,${big.toString('base64')}`)).toBe(
      'IMAGE_TOO_LARGE',
    );
    expect(await count('select count(*) as n from message_attachments')).toBe(0);

    // Someone else's upload is not found; nothing is admitted.
    const foreign = await other.api.chat.images.upload.mutate({ dataUrl: PNG_URL });
    const events = await answer(cookie, {
      requestId: 'foreign-image-0001',
      model: 'tessera-plus',
      content: 'Whose is this?',
      images: [foreign.id],
    });
    expect(events.at(-1)?.data).toMatchObject({ type: 'refused', reason: { code: 'NOT_FOUND' } });
    await expect(api.chat.images.byId.query({ id: foreign.id })).rejects.toThrow(/No such image/);
    await expect(api.chat.images.discard.mutate({ id: foreign.id })).rejects.toThrow(/No such/);
    expect(
      await count('select count(*) as n from message_attachments where id = $1', foreign.id),
    ).toBe(1);

    // At most eight pending uploads per member, and four images per message.
    const ids: string[] = [];
    for (let i = 0; i < 8; i++)
      ids.push((await api.chat.images.upload.mutate({ dataUrl: PNG_URL })).id);
    expect(await fieldError(PNG_URL)).toBe('TOO_MANY_PENDING');
    const tooMany = await fetch(
      `${server.url}/trpc/chat.stream?input=${encodeURIComponent(
        JSON.stringify({
          requestId: 'many-images-01',
          model: 'tessera-plus',
          content: 'x',
          images: ids.slice(0, 5),
        }),
      )}`,
      { headers: { cookie, accept: 'text/event-stream' } },
    );
    // A subscription's bad input arrives as the stream's error event.
    const reader = (tooMany.body as ReadableStream<Uint8Array>).getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    expect(first).toContain('TOO_MANY_IMAGES');
    expect(await count('select count(*) as n from conversations')).toBe(0);
    expect(upstream.requests).toHaveLength(0);

    // The composer's × drops a pending upload.
    await api.chat.images.discard.mutate({ id: ids[0]! });
    expect(await count('select count(*) as n from message_attachments where id = $1', ids[0])).toBe(
      0,
    );
  });
});
