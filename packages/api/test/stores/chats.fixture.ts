// Shared set-up of the chats store's contract suites: a fresh engine per test with two members,
// and helpers that write through the store itself.
import { afterEach, beforeEach } from 'vitest';
import type { ChatStore } from '../../src/storage/chats-store.ts';
import type { EngineUnderTest, OpenEngine } from './engine.ts';

export const T0 = new Date('2026-03-10T12:00:00Z');
export const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
/** A 1×1 PNG. */
export const PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

export interface ChatsFixture {
  engine: EngineUnderTest;
  chats: ChatStore;
  count(table: string, where?: string, params?: unknown[]): Promise<number>;
  /** A prompt through the store (a new conversation unless one is given). */
  send(
    userId: string,
    content: string,
    now?: Date,
    conversationId?: string,
  ): Promise<{ conversationId: string; promptId?: string }>;
  answer(conversationId: string, requestId: string, replyTo?: string, now?: Date): Promise<void>;
}

/** Registers the per-test engine (members `ada` and `bob`) and returns its fixture. */
export function chatsFixture(openEngine: OpenEngine): ChatsFixture {
  const f = {} as ChatsFixture;
  beforeEach(async () => {
    f.engine = await openEngine();
    f.chats = f.engine.stores.chats;
    for (const id of ['ada', 'bob'])
      await f.engine.sql(
        `insert into users (id, email, password_hash, created_at) values ($1, $2, 'x', $3)`,
        [id, `${id}@example.test`, T0],
      );
  });
  afterEach(() => f.engine.close());
  f.count = async (table, where = 'true', params = []) =>
    Number(
      (
        await f.engine.sql<{ n: number | string }>(
          `select count(*) as n from ${table} where ${where}`,
          params,
        )
      )[0]!.n,
    );
  f.send = (userId, content, now = T0, conversationId) =>
    f.chats.storePrompt({
      userId,
      conversationId,
      modelId: 'tessera-mini',
      content,
      turn: { kind: 'send' },
      claimImages: [],
      now,
    });
  f.answer = (conversationId, requestId, replyTo, now = T0) =>
    f.chats.recordAnswer({
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
  return f;
}
