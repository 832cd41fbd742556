// Writing a chat exchange: the user's message (and a new conversation) once admitted, the
// assistant's message once settled. One row per request id: a replay finds the existing answer.
import type { Db } from '@tessera/db';
import { conversations, type MessageStatus, messages } from '@tessera/db';
import { and, eq } from 'drizzle-orm';
import { DomainError } from '../../errors.ts';
import { randomId } from '../../lib/ids.ts';
import { IMMEDIATE } from '../../lib/transactions.ts';

/** The conversation (owned by `userId`) a new message goes to; creates one when none is given. */
export function openConversation(
  db: Db,
  input: {
    userId: string;
    conversationId?: string;
    modelId: string;
    firstMessage: string;
    now: Date;
  },
) {
  if (input.conversationId) {
    const existing = db
      .select({ id: conversations.id })
      .from(conversations)
      .where(
        and(eq(conversations.id, input.conversationId), eq(conversations.userId, input.userId)),
      )
      .get();
    if (!existing) throw new DomainError('NOT_FOUND', 'No such conversation.');
    return { id: existing.id, created: false };
  }
  const id = randomId();
  db.insert(conversations)
    .values({
      id,
      userId: input.userId,
      title: input.firstMessage.replace(/\s+/g, ' ').trim().slice(0, 60) || 'New chat',
      modelId: input.modelId,
      createdAt: input.now,
      updatedAt: input.now,
    })
    .run();
  return { id, created: true };
}

export function appendUserMessage(
  db: Db,
  input: {
    conversationId: string;
    content: string;
    assistantId?: string;
    plugin?: { id: string; options?: Record<string, string> };
    now: Date;
  },
): string {
  const id = randomId();
  db.insert(messages)
    .values({
      id,
      conversationId: input.conversationId,
      role: 'user',
      content: input.content,
      assistantId: input.assistantId ?? null,
      plugin: input.plugin ? { id: input.plugin.id, options: input.plugin.options } : null,
      createdAt: input.now,
    })
    .run();
  return id;
}

export function recordAnswer(
  db: Db,
  input: {
    conversationId: string;
    requestId: string;
    modelId: string;
    content: string;
    status: MessageStatus;
    endReason: Record<string, unknown> | null;
    inputTokens: number;
    outputTokens: number;
    credits: number;
    /** The prompt this answers; a new answer becomes the one shown (thread.ts). */
    replyTo?: string;
    now: Date;
  },
) {
  db.transaction((tx) => {
    // The conversation may have been deleted (another tab) while its answer streamed: the
    // settlement still stands; there is just nowhere left to store the text.
    const exists = tx
      .select({ id: conversations.id })
      .from(conversations)
      .where(eq(conversations.id, input.conversationId))
      .get();
    if (!exists) return;
    const id = randomId();
    const inserted = tx
      .insert(messages)
      .values({ id, role: 'assistant', ...input, createdAt: input.now })
      .onConflictDoNothing({ target: messages.requestId })
      .run();
    if (inserted.changes > 0 && input.replyTo)
      tx.update(messages).set({ shownAnswerId: id }).where(eq(messages.id, input.replyTo)).run();
    tx.update(conversations)
      .set({ updatedAt: input.now, modelId: input.modelId })
      .where(eq(conversations.id, input.conversationId))
      .run();
  }, IMMEDIATE);
}

export function findAnswer(db: Db, requestId: string, userId: string) {
  return db
    .select({
      content: messages.content,
      status: messages.status,
      conversationId: messages.conversationId,
    })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(and(eq(messages.requestId, requestId), eq(conversations.userId, userId)))
    .get();
}
