// Writing a chat exchange: the user's message (and a new conversation) once admitted, the
// assistant's message once settled. One row per request id: a replay finds the existing answer.
import type { Db, Sqlite } from '@tessera/db';
import { conversations, type MessageStatus, messages } from '@tessera/db';
import { and, eq } from 'drizzle-orm';
import { DomainError } from '../../errors.ts';
import { randomId } from '../../lib/ids.ts';

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
    if (!existing) throw noSuchConversation();
    return { id: existing.id, created: false };
  }
  const id = randomId();
  db.insert(conversations)
    .values({
      id,
      userId: input.userId,
      title: conversationTitle(input.firstMessage),
      modelId: input.modelId,
      createdAt: input.now,
      updatedAt: input.now,
    })
    .run();
  return { id, created: true };
}

export const noSuchConversation = () => new DomainError('NOT_FOUND', 'No such conversation.');

/** A new conversation's title: its first message on one line, cut to 60 characters. */
export function conversationTitle(firstMessage: string): string {
  return firstMessage.replace(/\s+/g, ' ').trim().slice(0, 60) || 'New chat';
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

type AnswerRow = [
  ...[id: string, conversation: string, content: string, request: string, model: string],
  ...[status: string, endReason: string | null, input: number, output: number, credits: number],
  ...[replyTo: string | null, now: number],
];

/** recordAnswer's statements, prepared once per connection: it runs once per answer. */
function compileAnswerStatements(sqlite: Sqlite) {
  return {
    conversationExists: sqlite
      .prepare<[string], number>('select 1 from conversations where id = ?')
      .pluck(),
    insertAnswer: sqlite.prepare<AnswerRow>(
      // id, conversation, content, request, model, status, end reason, input, output, credits,
      // reply to, now
      `insert into messages (id, conversation_id, role, content, request_id, model_id, status,
         end_reason, input_tokens, output_tokens, credits, reply_to, created_at)
       values (?, ?, 'assistant', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       on conflict(request_id) do nothing`,
    ),
    showAnswer: sqlite.prepare<[string, string]>(
      'update messages set shown_answer_id = ? where id = ?',
    ),
    touchConversation: sqlite.prepare<[number, string, string]>(
      'update conversations set updated_at = ?, model_id = ? where id = ?',
    ),
  };
}
const answerStatements = new WeakMap<Sqlite, ReturnType<typeof compileAnswerStatements>>();

/**
 * Stores the assistant's message once (one row per request id). Prepared statements, not the query
 * builder: every answer ends here, and a crowd of answers ending together (clients leaving at once)
 * must each cost little (docs/decisions/032). Runs as a savepoint inside the caller's transaction.
 */
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
  let s = answerStatements.get(db.$client);
  if (!s) {
    s = compileAnswerStatements(db.$client);
    answerStatements.set(db.$client, s);
  }
  const statements = s;
  db.$client
    .transaction(() => {
      // The conversation may have been deleted (another tab) while its answer streamed: the
      // settlement still stands; there is just nowhere left to store the text.
      if (!statements.conversationExists.get(input.conversationId)) return;
      const id = randomId();
      const now = input.now.getTime();
      const inserted = statements.insertAnswer.run(
        id,
        input.conversationId,
        input.content,
        input.requestId,
        input.modelId,
        input.status,
        input.endReason ? JSON.stringify(input.endReason) : null,
        input.inputTokens,
        input.outputTokens,
        input.credits,
        input.replyTo ?? null,
        now,
      );
      if (inserted.changes > 0 && input.replyTo) statements.showAnswer.run(id, input.replyTo);
      statements.touchConversation.run(now, input.modelId, input.conversationId);
    })
    .immediate();
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
