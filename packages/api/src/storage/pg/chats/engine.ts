// PostgreSQL: what the chat engine reads and stores for an answer. The reads every answer makes
// (its model row, its provider, the replay check) and the recorded answer are named statements on
// the pool, so each pooled connection parses and plans them once (as SQLite keeps them prepared);
// the prompt's transaction, run once per SPA message, uses the query builder.
import type { PgDb } from '@tessera/db/pg';
import { conversations, messageAttachments, messages } from '@tessera/db/pg';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { conversationTitle, noSuchConversation } from '../../../domain/chat/exchanges.ts';
import { supersededBy } from '../../../domain/chat/thread.ts';
import { randomId } from '../../../lib/ids.ts';
import type { ChatStore } from '../../chats-store.ts';
import { withRetry } from '../retry.ts';
import { nextMessageTime, threadOrder } from './conversations.ts';

type EngineMethods = Pick<
  ChatStore,
  | 'modelById'
  | 'visionModelIds'
  | 'activeModels'
  | 'apiModels'
  | 'providerById'
  | 'findAnswer'
  | 'storePrompt'
  | 'recordAnswer'
>;

const TRANSIENT = new Set(['40001', '40P01']);

/**
 * Runs a transaction again when PostgreSQL rolled it back for a serialization failure or a
 * deadlock — and only then: the prompt has no idempotency key, so a commit whose answer was lost
 * with the connection must not be repeated.
 */
async function retryRolledBack<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt >= 5 || typeof code !== 'string' || !TRANSIENT.has(code)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 2 ** attempt * (0.5 + Math.random())));
    }
  }
}

export function pgEngineMethods(db: PgDb): EngineMethods {
  const pool = db.$client;
  const rows = async <R>(name: string, text: string, values: unknown[] = []) =>
    (await pool.query<R & Record<string, unknown>>({ name, text, values })).rows;

  return {
    async modelById(id) {
      const [row] = await rows<{
        id: string;
        active: boolean;
        provider_id: string | null;
        upstream_model: string | null;
        vision: boolean;
      }>(
        'tessera_chat_model_by_id',
        'select id, active, provider_id, upstream_model, vision from models where id = $1',
        [id],
      );
      return row
        ? {
            id: row.id,
            active: row.active,
            providerId: row.provider_id,
            upstreamModel: row.upstream_model,
            vision: row.vision,
          }
        : undefined;
    },

    async visionModelIds() {
      const found = await rows<{ id: string }>(
        'tessera_chat_vision_models',
        'select id from models where vision and active order by input_price_per_million, id',
      );
      return found.map((row) => row.id);
    },

    async activeModels() {
      const found = await rows<{
        id: string;
        display_name: string;
        input_price_per_million: number;
        output_price_per_million: number;
        vision: boolean;
      }>(
        'tessera_chat_active_models',
        `select id, display_name, input_price_per_million, output_price_per_million, vision
         from models where active order by input_price_per_million, id`,
      );
      return found.map((row) => ({
        id: row.id,
        displayName: row.display_name,
        inputPricePerMillion: row.input_price_per_million,
        outputPricePerMillion: row.output_price_per_million,
        vision: row.vision,
      }));
    },

    async apiModels() {
      const found = await rows<{ id: string; created_at: number }>(
        'tessera_chat_api_models',
        'select id, created_at from models where active order by id',
      );
      return found.map((row) => ({ id: row.id, createdAt: row.created_at }));
    },

    async providerById(id) {
      const [row] = await rows<{
        id: string;
        base_url: string;
        api_key: string | null;
        active: boolean;
        updated_at: number;
      }>(
        'tessera_chat_provider_by_id',
        'select id, base_url, api_key, active, updated_at from providers where id = $1',
        [id],
      );
      return row
        ? {
            id: row.id,
            baseUrl: row.base_url,
            apiKey: row.api_key,
            active: row.active,
            updatedAt: row.updated_at,
          }
        : undefined;
    },

    async findAnswer(requestId, userId) {
      const [row] = await rows<{
        content: string;
        status: 'complete' | 'cut_off' | 'aborted' | 'error' | null;
        conversation_id: string;
      }>(
        'tessera_chat_find_answer',
        `select m.content, m.status, m.conversation_id
         from messages m join conversations c on c.id = m.conversation_id
         where m.request_id = $1 and c.user_id = $2`,
        [requestId, userId],
      );
      return row
        ? { content: row.content, status: row.status, conversationId: row.conversation_id }
        : undefined;
    },

    async storePrompt(input) {
      const { turn } = input;
      return retryRolledBack(() =>
        db.transaction(async (tx) => {
          // The conversation's row first (locked): the prompt and an answer being recorded
          // meanwhile take turns on it, so their `created_at` order is the order written.
          let conversationId: string;
          if (input.conversationId) {
            const owned = await tx
              .select({ id: conversations.id })
              .from(conversations)
              .where(
                and(
                  eq(conversations.id, input.conversationId),
                  eq(conversations.userId, input.userId),
                ),
              )
              .for('update');
            if (owned.length === 0) throw noSuchConversation();
            conversationId = input.conversationId;
          } else {
            conversationId = randomId();
            await tx.insert(conversations).values({
              id: conversationId,
              userId: input.userId,
              title: conversationTitle(input.content),
              modelId: input.modelId,
              createdAt: input.now,
              updatedAt: input.now,
            });
          }
          if (turn.kind === 'regenerate') return { conversationId, promptId: turn.promptId };
          if (turn.kind === 'edit') {
            const live = await tx
              .select({
                id: messages.id,
                role: messages.role,
                content: messages.content,
                replyTo: messages.replyTo,
                shownAnswerId: messages.shownAnswerId,
              })
              .from(messages)
              .where(
                and(eq(messages.conversationId, conversationId), isNull(messages.supersededAt)),
              )
              .orderBy(...threadOrder);
            const ids = supersededBy(live, turn.promptId);
            if (ids.length > 0)
              await tx
                .update(messages)
                .set({ supersededAt: input.now })
                .where(inArray(messages.id, ids));
          }
          const promptId = randomId();
          await tx.insert(messages).values({
            id: promptId,
            conversationId,
            role: 'user',
            content: input.content,
            assistantId: input.assistantId ?? null,
            plugin: input.plugin ? { id: input.plugin.id, options: input.plugin.options } : null,
            createdAt: nextMessageTime(conversationId, input.now),
          });
          // Guarded: only the member's still-pending uploads move, in the order sent.
          for (const [position, id] of input.claimImages.entries())
            await tx
              .update(messageAttachments)
              .set({ messageId: promptId, position })
              .where(
                and(
                  eq(messageAttachments.id, id),
                  eq(messageAttachments.userId, input.userId),
                  isNull(messageAttachments.messageId),
                ),
              );
          if (input.carryImagesFrom)
            await tx
              .update(messageAttachments)
              .set({ messageId: promptId })
              .where(eq(messageAttachments.messageId, input.carryImagesFrom));
          return { conversationId, promptId };
        }),
      );
    },

    async recordAnswer(input) {
      // One statement, so one round trip and one transaction: touching the conversation locks its
      // row (and finds it gone when another tab deleted it: nothing is stored); the answer is
      // inserted once per request id; a new answer becomes its prompt's shown one. Retrying after
      // a lost connection is safe: the request id's unique key makes a second insert a no-op.
      const now = input.now.getTime();
      await withRetry(() =>
        pool.query({
          name: 'tessera_chat_record_answer',
          text: `with conversation as (
              update conversations set updated_at = $11, model_id = $5 where id = $2 returning id
            ), answer as (
              insert into messages (id, conversation_id, role, content, request_id, model_id, status,
                end_reason, input_tokens, output_tokens, credits, reply_to, created_at)
              select $1, conversation.id, 'assistant', $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $12,
                greatest($11::bigint, coalesce((select max(m.created_at) + 1 from messages m
                                                where m.conversation_id = $2), 0))
              from conversation
              on conflict (request_id) do nothing
              returning id
            )
            update messages set shown_answer_id = answer.id
            from answer where messages.id = $12`,
          values: [
            randomId(),
            input.conversationId,
            input.content,
            input.requestId,
            input.modelId,
            input.status,
            input.endReason ? JSON.stringify(input.endReason) : null,
            input.inputTokens,
            input.outputTokens,
            input.credits,
            now,
            input.replyTo ?? null,
          ],
        }),
      );
    },
  };
}
