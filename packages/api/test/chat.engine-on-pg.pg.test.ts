// The chat engine with its chats and money stores on PostgreSQL (`pnpm test:scale`): a whole answer,
// its replay, a regenerate and an edit store and read their conversation there only. The member
// context still comes from SQLite (that area is not part of this test), so the member's row and
// credit account are copied to PostgreSQL first.
import { createTestPgDatabase, type TestPgDatabase } from '@tessera/db/testing-pg';
import { afterEach, expect, it } from 'vitest';
import type { ChatDeps, ChatEvent, ChatInput } from '../src/chat/chat-types.ts';
import { createDemoProvider } from '../src/chat/providers/demo-provider.ts';
import { createProviderRegistry } from '../src/chat/providers/registry.ts';
import { runChat } from '../src/chat/run-chat.ts';
import { createPgStores } from '../src/storage/pg/pg-stores.ts';
import { chatMember, createTestApi, type TestApi } from './harness.ts';

let api: TestApi | undefined;
let pg: TestPgDatabase | undefined;
afterEach(async () => {
  api?.destroy();
  await pg?.drop();
});

async function collect(events: AsyncIterable<ChatEvent>) {
  const all: ChatEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

it('answers, replays, regenerates and edits with the conversation stored on PostgreSQL', async () => {
  api = createTestApi({ seedDemo: true, start: new Date() });
  pg = await createTestPgDatabase('chatengine');
  const stores = createPgStores(pg);
  const m = await chatMember(api, 'pg-chat@example.com');
  await pg.pool.query(
    `insert into users (id, email, password_hash, created_at) values ($1, $2, 'x', $3)`,
    [m.userId, 'pg-chat@example.com', Date.now()],
  );
  await pg.pool.query(
    `insert into credit_accounts (user_id, balance, reserved, purchased, updated_at)
     values ($1, 1000000, 0, 0, $2)`,
    [m.userId, Date.now()],
  );
  const deps: ChatDeps = {
    db: api.db.db,
    money: stores.money,
    chats: stores.chats,
    events: api.events,
    now: () => new Date(),
    timeZone: 'UTC',
    providers: createProviderRegistry({
      demo: createDemoProvider({ timeToFirstTokenMs: 0, tokensPerSecond: 5000 }),
      rows: stores.chats,
    }),
  };
  const ask = (over: Partial<ChatInput>) =>
    collect(
      runChat(deps, {
        member: m.context(),
        requestId: 'pg-1',
        modelId: 'tessera-mini',
        content: 'Hello there',
        ...over,
      }),
    );

  const first = await ask({});
  expect(first.map((e) => e.type)).toEqual(expect.arrayContaining(['admitted', 'delta', 'done']));
  const admitted = first.find((e) => e.type === 'admitted');
  const conversationId = admitted?.type === 'admitted' ? admitted.conversationId : '';
  const thread = await stores.chats.threadMessages({ userId: m.userId, conversationId });
  expect(thread?.map((msg) => msg.role)).toEqual(['user', 'assistant']);
  expect(thread?.[1]).toMatchObject({ status: 'complete', requestId: `${m.userId}:pg-1` });
  expect(thread?.[1]?.content).toContain('You asked: "Hello there"');
  // Nothing of the conversation went to SQLite.
  expect(api.db.sqlite.prepare('select count(*) as n from messages').get()).toEqual({ n: 0 });

  // A reconnect after the answer was stored gets it replayed, not answered (or charged) again.
  const replay = await ask({});
  expect(replay).toEqual([
    { type: 'replay', conversationId, content: thread?.[1]?.content, status: 'complete' },
  ]);

  const promptId = thread![0]!.id;
  const regenerated = await ask({ requestId: 'pg-2', conversationId, regenerate: { promptId } });
  expect(regenerated.at(-1)?.type).toBe('done');
  const withAlternative = await stores.chats.liveThread(conversationId);
  expect(withAlternative.map((r) => r.role)).toEqual(['user', 'assistant', 'assistant']);
  expect(withAlternative[0]?.shownAnswerId).toBe(withAlternative[2]?.id);

  const edited = await ask({
    requestId: 'pg-3',
    conversationId,
    content: 'Hello again',
    edit: { promptId },
  });
  expect(edited.at(-1)?.type).toBe('done');
  const after = await stores.chats.threadMessages({ userId: m.userId, conversationId });
  expect(after?.map((msg) => [msg.role, msg.content.slice(0, 11)])).toEqual([
    ['user', 'Hello again'],
    ['assistant', 'You asked: '],
  ]);

  // Another member's conversation id is refused before anything is admitted.
  const stranger = await chatMember(api, 'stranger@example.com');
  const refused = await collect(
    runChat(deps, {
      member: stranger.context(),
      requestId: 'pg-4',
      modelId: 'tessera-mini',
      content: 'mine?',
      conversationId,
    }),
  );
  expect(refused).toMatchObject([{ type: 'refused', reason: { code: 'NOT_FOUND' } }]);
});
