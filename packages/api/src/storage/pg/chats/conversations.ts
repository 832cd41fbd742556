// PostgreSQL: the member's conversations — list, search, one thread, rename, delete, the shown
// answer — and the thread reads the chat engine makes. Every statement is scoped to the owner.
//
// Order of a thread: SQLite breaks a tie of `created_at` by rowid (insertion order); PostgreSQL has
// no such order, so messages written here take a `created_at` at least 1 ms after the
// conversation's latest (see `nextMessageTime`), and `id` breaks what ties remain.
import type { PgDb } from '@tessera/db/pg';
import { assistants, conversations, messageAttachments, messages } from '@tessera/db/pg';
import { and, asc, desc, eq, exists, inArray, isNull, or, type SQL, sql } from 'drizzle-orm';
import { CONVERSATION_LIST_LIMIT, type ThreadMessage } from '../../../domain/chat/conversations.ts';
import type { AttachmentInfo } from '../../../domain/chat/image-attachments.ts';
import { likePattern, SEARCH_LIMIT, snippetOf } from '../../../domain/chat/search-conversations.ts';
import type { ThreadRow } from '../../../domain/chat/thread.ts';
import type { ChatStore } from '../../chats-store.ts';

type ConversationMethods = Pick<
  ChatStore,
  | 'listConversations'
  | 'searchConversations'
  | 'threadMessages'
  | 'renameConversation'
  | 'deleteConversation'
  | 'showAnswer'
  | 'ownsConversation'
  | 'liveThread'
>;

/** Insertion order for a thread on PostgreSQL: `created_at`, then `id` (see the header). */
export const threadOrder = [asc(messages.createdAt), asc(messages.id)] as const;

/**
 * A new message's `created_at`: `now`, or 1 ms after the conversation's latest message when that
 * is not earlier (a clock that did not move, or another instance's clock ahead of ours).
 */
export const nextMessageTime = (conversationId: string, now: Date) =>
  sql`greatest(${now.getTime()}::bigint, coalesce((select max(m.created_at) + 1 from messages m where m.conversation_id = ${conversationId}), 0))`;

export function pgConversationMethods(db: PgDb): ConversationMethods {
  return {
    async listConversations(userId, limit = CONVERSATION_LIST_LIMIT) {
      return db
        .select({
          id: conversations.id,
          title: conversations.title,
          modelId: conversations.modelId,
          updatedAt: conversations.updatedAt,
        })
        .from(conversations)
        .where(eq(conversations.userId, userId))
        .orderBy(desc(conversations.updatedAt), asc(conversations.id))
        .limit(limit);
    },

    async searchConversations(input) {
      const query = input.query.trim();
      if (!query) return [];
      const pattern = likePattern(query);
      // SQLite's LIKE ignores ASCII case; PostgreSQL's is case-sensitive, ILIKE is not.
      const like = (column: SQL | typeof messages.content) =>
        sql`${column} ilike ${pattern} escape '\\'`;
      const matchingMessage = and(
        eq(messages.conversationId, conversations.id),
        like(messages.content),
      );
      const rows = await db
        .select({
          id: conversations.id,
          title: conversations.title,
          modelId: conversations.modelId,
          updatedAt: conversations.updatedAt,
          firstMatch: sql<
            string | null
          >`(select ${messages.content} from ${messages} where ${matchingMessage} order by ${messages.createdAt}, ${messages.id} limit 1)`,
        })
        .from(conversations)
        .where(
          and(
            eq(conversations.userId, input.userId),
            or(
              like(sql`${conversations.title}`),
              exists(db.select({ one: sql`1` }).from(messages).where(matchingMessage)),
            ),
          ),
        )
        .orderBy(desc(conversations.updatedAt), asc(conversations.id))
        .limit(input.limit ?? SEARCH_LIMIT);
      return rows.map(({ firstMatch, ...row }) => ({
        ...row,
        snippet: firstMatch === null ? null : snippetOf(firstMatch, query),
      }));
    },

    async threadMessages(input) {
      const owned = await db
        .select({ id: conversations.id })
        .from(conversations)
        .where(
          and(eq(conversations.id, input.conversationId), eq(conversations.userId, input.userId)),
        );
      if (owned.length === 0) return null;
      const rows = await db
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
        .where(
          and(eq(messages.conversationId, input.conversationId), isNull(messages.supersededAt)),
        )
        .orderBy(...threadOrder);
      const prompts = rows.filter((row) => row.role === 'user').map((row) => row.id);
      const images = new Map<string, AttachmentInfo[]>();
      if (prompts.length > 0) {
        const attached = await db
          .select({
            id: messageAttachments.id,
            messageId: messageAttachments.messageId,
            mediaType: messageAttachments.mediaType,
            bytes: messageAttachments.bytes,
          })
          .from(messageAttachments)
          .where(inArray(messageAttachments.messageId, prompts))
          .orderBy(asc(messageAttachments.position));
        for (const { messageId, ...info } of attached)
          images.set(messageId!, [...(images.get(messageId!) ?? []), info]);
      }
      return rows.map(
        ({ assistantId, assistantName, ...message }): ThreadMessage => ({
          ...message,
          assistant: assistantId && assistantName ? { id: assistantId, name: assistantName } : null,
          images: images.get(message.id) ?? [],
        }),
      );
    },

    async renameConversation(input) {
      const renamed = await db
        .update(conversations)
        .set({ title: input.title })
        .where(
          and(eq(conversations.id, input.conversationId), eq(conversations.userId, input.userId)),
        )
        .returning({ id: conversations.id });
      return renamed.length > 0;
    },

    async deleteConversation(input) {
      const deleted = await db
        .delete(conversations)
        .where(
          and(eq(conversations.id, input.conversationId), eq(conversations.userId, input.userId)),
        )
        .returning({ id: conversations.id });
      return deleted.length > 0;
    },

    async showAnswer(input) {
      // One guarded statement: the answer must be a live one of the member's, in this conversation.
      const result = await db.execute(sql`
        update messages as prompt set shown_answer_id = answer.id
        from messages as answer
        join conversations as c on c.id = answer.conversation_id
        where answer.id = ${input.answerId}
          and answer.conversation_id = ${input.conversationId}
          and c.user_id = ${input.userId}
          and answer.role = 'assistant'
          and answer.superseded_at is null
          and prompt.id = answer.reply_to
        returning prompt.id`);
      return result.rows.length > 0;
    },

    async ownsConversation(userId, conversationId) {
      const rows = await db
        .select({ id: conversations.id })
        .from(conversations)
        .where(and(eq(conversations.id, conversationId), eq(conversations.userId, userId)));
      return rows.length > 0;
    },

    async liveThread(conversationId): Promise<ThreadRow[]> {
      return db
        .select({
          id: messages.id,
          role: messages.role,
          content: messages.content,
          replyTo: messages.replyTo,
          shownAnswerId: messages.shownAnswerId,
        })
        .from(messages)
        .where(and(eq(messages.conversationId, conversationId), isNull(messages.supersededAt)))
        .orderBy(...threadOrder);
    },
  };
}
