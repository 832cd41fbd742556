// Conversations and their messages. A message produced by a model records the request it came
// from (unique: one answer per request id, however often the client reconnects), what it cost, and
// how it ended: complete, cut_off (the member stopped qualifying), aborted (the client left) or
// error. Token counts are the provider's when it reported them, else counted with a tokenizer.
import { sql } from 'drizzle-orm';
import {
  blob,
  check,
  foreignKey,
  index,
  integer,
  sqliteTable,
  text,
} from 'drizzle-orm/sqlite-core';
import { users } from './auth.ts';
import { marks } from './membership.ts';

export const conversations = sqliteTable(
  'conversations',
  {
    id: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    title: text().notNull(),
    modelId: text().notNull(),
    createdAt: integer({ mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer({ mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('conversations_user_idx').on(t.userId, t.updatedAt)],
);
export type Conversation = typeof conversations.$inferSelect;

export const messageRoles = ['system', 'user', 'assistant'] as const;
export const messageStatuses = ['complete', 'cut_off', 'aborted', 'error'] as const;
export type MessageStatus = (typeof messageStatuses)[number];

export const messages = sqliteTable(
  'messages',
  {
    id: text().primaryKey(),
    conversationId: text()
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    role: text({ enum: messageRoles }).notNull(),
    content: text().notNull(),
    // Assistant messages only (NULL for the user's own).
    requestId: text().unique(),
    modelId: text(),
    status: text({ enum: messageStatuses }),
    // Why a stream ended early: a JSON object with the typed reason (which mark, what unlocks it).
    endReason: text({ mode: 'json' }).$type<Record<string, unknown>>(),
    inputTokens: integer(),
    outputTokens: integer(),
    credits: integer(),
    // User messages only: what the message was sent with — a vendor's assistant (by id; its name
    // is looked up when read, so a deleted assistant simply stops showing) and a server plugin.
    assistantId: text(),
    plugin: text({ mode: 'json' }).$type<{ id: string; options?: Record<string, string> }>(),
    // Regenerate and edit (docs/decisions/020). Assistant messages: the user message they answer
    // (NULL on answers stored before regenerate existed — they answer the prompt before them).
    // A prompt answered more than once has alternatives; `shownAnswerId` on the prompt says which
    // one the member is looking at (NULL = the latest), and it is the one the model is sent as
    // history. `supersededAt`: set on a prompt that was edited and on everything after it — kept
    // (the bill refers to them) but no longer shown or sent.
    replyTo: text(),
    shownAnswerId: text(),
    supersededAt: integer({ mode: 'timestamp_ms' }),
    createdAt: integer({ mode: 'timestamp_ms' }).notNull(),
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
export type Message = typeof messages.$inferSelect;

// Images attached to a user's message (docs/decisions/026). Uploaded first (`messageId` NULL: a
// pending upload, owned by `userId`, claimed by the message it is sent with), then kept with the
// message so the thread shows them again. The bytes live here, apart from `messages`, so listing
// or searching conversations never reads them. `bytes` is the decoded size in bytes.
export const imageMediaTypes = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;
export type ImageMediaType = (typeof imageMediaTypes)[number];

export const messageAttachments = sqliteTable(
  'message_attachments',
  {
    id: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    messageId: text().references(() => messages.id, { onDelete: 'cascade' }),
    // Order within the message (0-based); 0 while pending.
    position: integer().notNull().default(0),
    mediaType: text({ enum: imageMediaTypes }).notNull(),
    bytes: integer().notNull(),
    data: blob({ mode: 'buffer' }).notNull(),
    createdAt: integer({ mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('message_attachments_message_idx').on(t.messageId, t.position),
    index('message_attachments_pending_idx').on(t.userId, t.messageId),
    check('message_attachments_bytes_check', sql`${t.bytes} > 0`),
  ],
);
export type MessageAttachment = typeof messageAttachments.$inferSelect;

// A vendor's assistant: a system prompt on a model, usable by members holding the vendor's mark.
// The composite key keeps the required mark inside the assistant's own tenant.
export const assistants = sqliteTable(
  'assistants',
  {
    id: text().primaryKey(),
    tenantId: text().notNull(),
    markId: text().notNull(),
    name: text().notNull(),
    description: text().notNull().default(''),
    systemPrompt: text().notNull(),
    modelId: text().notNull(),
    active: integer({ mode: 'boolean' }).notNull().default(true),
    createdAt: integer({ mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer({ mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    foreignKey({
      columns: [t.tenantId, t.markId],
      foreignColumns: [marks.tenantId, marks.id],
    }).onDelete('cascade'),
    index('assistants_tenant_idx').on(t.tenantId),
  ],
);
export type Assistant = typeof assistants.$inferSelect;
