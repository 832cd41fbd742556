// The member's conversations as the chat page lists them: the list, one thread with its images'
// metadata, rename and delete. Every read and write is scoped to the owner: another member's
// conversation is simply not found.
import type { Db } from '@tessera/db';
import { assistants, conversations, messages } from '@tessera/db';
import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import { type AttachmentInfo, attachmentsOfMessages } from './image-attachments.ts';

export const CONVERSATION_LIST_LIMIT = 200;

export interface ConversationSummary {
  id: string;
  title: string;
  modelId: string;
  updatedAt: Date;
}

/** A live message of a thread as the chat page shows it (request ids as stored: user-scoped). */
export interface ThreadMessage {
  id: string;
  role: 'system' | 'user' | 'assistant';
  content: string;
  requestId: string | null;
  status: 'complete' | 'cut_off' | 'aborted' | 'error' | null;
  modelId: string | null;
  credits: number | null;
  endReason: Record<string, unknown> | null;
  plugin: { id: string; options?: Record<string, string> } | null;
  replyTo: string | null;
  shownAnswerId: string | null;
  /** The vendor's assistant the prompt was sent to, while it exists. */
  assistant: { id: string; name: string } | null;
  /** The prompt's images (metadata; the bytes are read one by one). */
  images: AttachmentInfo[];
  createdAt: Date;
}

export function listConversations(
  db: Db,
  userId: string,
  limit = CONVERSATION_LIST_LIMIT,
): ConversationSummary[] {
  return db
    .select({
      id: conversations.id,
      title: conversations.title,
      modelId: conversations.modelId,
      updatedAt: conversations.updatedAt,
    })
    .from(conversations)
    .where(eq(conversations.userId, userId))
    .orderBy(desc(conversations.updatedAt))
    .limit(limit)
    .all();
}

function owns(db: Db, userId: string, conversationId: string): boolean {
  return (
    db
      .select({ id: conversations.id })
      .from(conversations)
      .where(and(eq(conversations.id, conversationId), eq(conversations.userId, userId)))
      .get() !== undefined
  );
}

/** The conversation's live messages in the order written; null when it is not the member's. */
export function threadMessages(
  db: Db,
  input: { userId: string; conversationId: string },
): ThreadMessage[] | null {
  if (!owns(db, input.userId, input.conversationId)) return null;
  const rows = db
    .select({
      id: messages.id,
      role: messages.role,
      content: messages.content,
      requestId: messages.requestId,
      status: messages.status,
      modelId: messages.modelId,
      credits: messages.credits,
      endReason: messages.endReason,
      plugin: messages.plugin,
      replyTo: messages.replyTo,
      shownAnswerId: messages.shownAnswerId,
      assistantId: assistants.id,
      assistantName: assistants.name,
      createdAt: messages.createdAt,
    })
    .from(messages)
    .leftJoin(assistants, eq(assistants.id, messages.assistantId))
    .where(and(eq(messages.conversationId, input.conversationId), isNull(messages.supersededAt)))
    .orderBy(asc(messages.createdAt), sql`${messages}.rowid`)
    .all();
  const images = attachmentsOfMessages(
    db,
    rows.filter((row) => row.role === 'user').map((row) => row.id),
  );
  return rows.map(({ assistantId, assistantName, ...message }) => ({
    ...message,
    assistant: assistantId && assistantName ? { id: assistantId, name: assistantName } : null,
    images: images.get(message.id) ?? [],
  }));
}

/** Renames the member's conversation; false when it is not theirs (nothing written). */
export function renameConversation(
  db: Db,
  input: { userId: string; conversationId: string; title: string },
): boolean {
  const result = db
    .update(conversations)
    .set({ title: input.title })
    .where(and(eq(conversations.id, input.conversationId), eq(conversations.userId, input.userId)))
    .run();
  return result.changes > 0;
}

/** Deletes the member's conversation and its messages; false when it is not theirs. */
export function deleteConversation(
  db: Db,
  input: { userId: string; conversationId: string },
): boolean {
  const result = db
    .delete(conversations)
    .where(and(eq(conversations.id, input.conversationId), eq(conversations.userId, input.userId)))
    .run();
  return result.changes > 0;
}
