// The chat engine with its chats and money stores on PostgreSQL (`pnpm test:scale`): a whole answer,
// its replay, a regenerate and an edit store and read their conversation there only. The member
// context still comes from SQLite (that area is not part of this test), so the member's row and
// credit account are copied to PostgreSQL first. The second test runs the engine with no SQLite
// database at all: every store, the member-event bus and the stream's watcher are PostgreSQL's.
import { createTestPgDatabase, type TestPgDatabase } from '@tessera/db/testing-pg';
import { afterEach, expect, it } from 'vitest';
import type { ChatDeps, ChatEvent, ChatInput } from '../src/chat/chat-types.ts';
import { createDemoProvider } from '../src/chat/providers/demo-provider.ts';
import { createProviderRegistry } from '../src/chat/providers/registry.ts';
import type { ChatProvider } from '../src/chat/providers/types.ts';
import { runChat } from '../src/chat/run-chat.ts';
import type { MemberEventBus } from '../src/events/member-event-bus.ts';
import { createPgStores } from '../src/storage/pg/pg-stores.ts';
import { chatMember, createTestApi, type TestApi } from './harness.ts';
import type { EngineUnderTest } from './stores/engine.ts';
import { openPgEngine } from './stores/engine-pg.ts';
import { addSession, addUser } from './stores/members.fixtures.ts';

let api: TestApi | undefined;
let pg: TestPgDatabase | undefined;
let engine: EngineUnderTest | undefined;
let bus: MemberEventBus | undefined;
afterEach(async () => {
  api?.destroy();
  await pg?.drop();
  bus?.close();
  await engine?.close();
  api = pg = engine = bus = undefined;
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
  const ask = async (over: Partial<ChatInput>) =>
    collect(
      runChat(deps, {
        member: await m.context(),
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
      member: await stranger.context(),
      requestId: 'pg-4',
      modelId: 'tessera-mini',
      content: 'mine?',
      conversationId,
    }),
  );
  expect(refused).toMatchObject([{ type: 'refused', reason: { code: 'NOT_FOUND' } }]);
});

const backToBack: ChatProvider = {
  id: 'demo',
  async *stream() {
    for (let i = 0; i < 50; i++) yield { type: 'delta', text: `word${i} ` };
  },
};

it('runs on PostgreSQL stores only (no SQLite db), and a revoke mid-answer cuts the stream at the next chunk', async () => {
  engine = await openPgEngine('chatnodb');
  const { stores } = engine;
  const now = new Date();
  await stores.catalog.seedDemo(now);
  await addUser(engine, 'ada', { balance: 1_000_000 });
  const { token } = await addSession(engine, 'ada', {
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + 86_400_000),
  });
  const pro = await stores.catalog.getMarkByKey('pro');
  await stores.members.grantMark({
    userId: 'ada',
    markId: pro.id,
    days: 30,
    source: 'admin',
    actorUserId: null,
    now,
  });
  const auth = await stores.members.authenticate(token, now);
  const member = await auth!.member(now);
  expect(member.entitlements.models).toContain('tessera-plus');
  // The safety poll never fires in time: only the relay's awaited catch-up can deliver the revoke.
  bus = stores.ops.memberEventBus({ intervalMs: 60_000 });
  const deps: ChatDeps = {
    stores,
    events: bus,
    now: () => new Date(),
    timeZone: 'UTC',
    // Chunks back to back, with no pause: nothing but the relay's awaits lets a re-check land.
    providers: createProviderRegistry({ demo: backToBack, rows: stores.chats }),
  };
  expect(deps.db).toBeUndefined();

  const events: ChatEvent[] = [];
  let deltas = 0;
  for await (const event of runChat(deps, {
    member,
    requestId: 'nodb-1',
    modelId: 'tessera-plus',
    content: 'A long story',
  })) {
    events.push(event);
    if (event.type === 'delta' && ++deltas === 3) {
      // This process's own write: it pokes its bus, as the routers do after a change.
      await stores.members.revokeMark({ userId: 'ada', markId: pro.id, actorUserId: null, now });
      bus.poke();
    }
  }
  // Not one chunk after the revoke: the next one awaited the bus and the watcher's re-check.
  expect(events.filter((e) => e.type === 'delta')).toHaveLength(3);
  const last = events.at(-1) as Extract<ChatEvent, { type: 'cut_off' }>;
  expect(last).toMatchObject({ type: 'cut_off', reason: { code: 'MODEL_NOT_IN_PLAN' } });
  expect(last.charged).toBeGreaterThan(0);
  // What would unlock it again is named from the PostgreSQL catalog.
  expect(last.reason.unlock?.map((u) => u.markKey)).toContain('pro');
  const [account] = await engine.sql<{ reserved: string | number }>(
    "select reserved from credit_accounts where user_id = 'ada'",
  );
  expect(Number(account?.reserved)).toBe(0);
  const conversationId = (events[0] as Extract<ChatEvent, { type: 'admitted' }>).conversationId;
  const thread = await stores.chats.threadMessages({ userId: 'ada', conversationId });
  expect(thread?.map((r) => r.role)).toEqual(['user', 'assistant']);
  expect(thread?.[1]?.status).toBe('cut_off');

  // The verified-email gate and an assistant's lookup also read PostgreSQL only.
  await addUser(engine, 'bob', { verified: false, balance: 1_000_000 });
  const bobSession = await addSession(engine, 'bob', {
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + 86_400_000),
  });
  await stores.members.grantMark({
    userId: 'bob',
    markId: pro.id,
    days: 30,
    source: 'admin',
    actorUserId: null,
    now,
  });
  const bob = await (await stores.members.authenticate(bobSession.token, now))!.member(now);
  const unverified: ChatEvent[] = [];
  for await (const event of runChat(
    { ...deps, requireVerifiedEmail: true },
    { member: bob, requestId: 'nodb-2', modelId: 'tessera-mini', content: 'hi' },
  ))
    unverified.push(event);
  expect(unverified).toMatchObject([{ type: 'refused', reason: { code: 'EMAIL_NOT_VERIFIED' } }]);
  const noAssistant: ChatEvent[] = [];
  for await (const event of runChat(deps, {
    member: bob,
    requestId: 'nodb-3',
    modelId: 'tessera-mini',
    content: 'hi',
    assistantId: 'no-such-assistant',
  }))
    noAssistant.push(event);
  expect(noAssistant).toMatchObject([{ type: 'refused', reason: { code: 'NOT_FOUND' } }]);
});
