// PostgreSQL mirror of ../../schema/chat.ts (units and NULL meanings are documented there).
import { sql } from 'drizzle-orm';
import { boolean, check, foreignKey, index, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { imageMediaTypes, messageRoles, messageStatuses } from '../../schema/chat.ts';
import { users } from './auth.ts';
import { bytea, int, timestampMs } from './columns.ts';
import { marks } from './membership.ts';

export const conversations = pgTable(
  'conversations',
  {
    id: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    title: text().notNull(),
    modelId: text().notNull(),
    createdAt: timestampMs().notNull(),
    updatedAt: timestampMs().notNull(),
  },
  (t) => [index('conversations_user_idx').on(t.userId, t.updatedAt)],
);

export const messages = pgTable(
  'messages',
  {
    id: text().primaryKey(),
    conversationId: text()
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    role: text({ enum: messageRoles }).notNull(),
    content: text().notNull(),
    requestId: text().unique(),
    modelId: text(),
    status: text({ enum: messageStatuses }),
    endReason: jsonb().$type<Record<string, unknown>>(),
    inputTokens: int(),
    outputTokens: int(),
    credits: int(),
    assistantId: text(),
    plugin: jsonb().$type<{ id: string; options?: Record<string, string> }>(),
    replyTo: text(),
    shownAnswerId: text(),
    supersededAt: timestampMs(),
    createdAt: timestampMs().notNull(),
  },
  (t) => [
    index('messages_conversation_idx').on(t.conversationId, t.createdAt),
    index('messages_reply_to_idx').on(t.replyTo),
    check(
      'messages_tokens_check',
      sql`coalesce(${t.inputTokens}, 0) >= 0 and coalesce(${t.outputTokens}, 0) >= 0`,
    ),
  ],
);

export const messageAttachments = pgTable(
  'message_attachments',
  {
    id: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    messageId: text().references(() => messages.id, { onDelete: 'cascade' }),
    position: int().notNull().default(0),
    mediaType: text({ enum: imageMediaTypes }).notNull(),
    bytes: int().notNull(),
    data: bytea().notNull(),
    createdAt: timestampMs().notNull(),
  },
  (t) => [
    index('message_attachments_message_idx').on(t.messageId, t.position),
    index('message_attachments_pending_idx').on(t.userId, t.messageId),
    check('message_attachments_bytes_check', sql`${t.bytes} > 0`),
  ],
);

export const assistants = pgTable(
  'assistants',
  {
    id: text().primaryKey(),
    tenantId: text().notNull(),
    markId: text().notNull(),
    name: text().notNull(),
    description: text().notNull().default(''),
    systemPrompt: text().notNull(),
    modelId: text().notNull(),
    active: boolean().notNull().default(true),
    createdAt: timestampMs().notNull(),
    updatedAt: timestampMs().notNull(),
  },
  (t) => [
    foreignKey({
      columns: [t.tenantId, t.markId],
      foreignColumns: [marks.tenantId, marks.id],
    }).onDelete('cascade'),
    index('assistants_tenant_idx').on(t.tenantId),
  ],
);
