// Search over one member's conversations: a case-insensitive (ASCII) substring match on the title
// or on any message's content, newest first. `%`, `_` and the escape character in the query are
// matched literally. Only `userId`'s conversations are ever read.
import type { Db } from '@tessera/db';
import { conversations, messages } from '@tessera/db';
import { and, desc, eq, exists, or, type SQL, sql } from 'drizzle-orm';

export const SEARCH_LIMIT = 30;
/** Characters of context either side of the match in a snippet. */
const SNIPPET_CONTEXT = 60;

/** The query as a LIKE pattern: its wildcards and the escape character escaped with `\`. */
export function likePattern(query: string): string {
  return `%${query.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

export interface ConversationMatch {
  id: string;
  title: string;
  modelId: string;
  updatedAt: Date;
  /** Where a message matched (around the first match), or null when only the title did. */
  snippet: string | null;
}

/** An excerpt of `content` around the first (case-insensitive) occurrence of `query`. */
export function snippetOf(content: string, query: string): string {
  const flat = content.replace(/\s+/g, ' ').trim();
  const at = flat.toLowerCase().indexOf(query.toLowerCase());
  if (at < 0) return flat.slice(0, SNIPPET_CONTEXT * 2);
  const start = Math.max(0, at - SNIPPET_CONTEXT);
  const end = Math.min(flat.length, at + query.length + SNIPPET_CONTEXT);
  return `${start > 0 ? '…' : ''}${flat.slice(start, end)}${end < flat.length ? '…' : ''}`;
}

export function searchConversations(
  db: Db,
  input: { userId: string; query: string; limit?: number },
): ConversationMatch[] {
  const query = input.query.trim();
  if (!query) return [];
  const pattern = likePattern(query);
  const like = (column: SQL | typeof messages.content) =>
    sql`${column} like ${pattern} escape '\\'`;
  const matchingMessage = and(
    eq(messages.conversationId, conversations.id),
    like(messages.content),
  );
  const rows = db
    .select({
      id: conversations.id,
      title: conversations.title,
      modelId: conversations.modelId,
      updatedAt: conversations.updatedAt,
      firstMatch: sql<
        string | null
      >`(select ${messages.content} from ${messages} where ${matchingMessage} order by ${messages.createdAt} limit 1)`,
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
    .orderBy(desc(conversations.updatedAt))
    .limit(input.limit ?? SEARCH_LIMIT)
    .all();
  return rows.map(({ firstMatch, ...row }) => ({
    ...row,
    snippet: firstMatch === null ? null : snippetOf(firstMatch, query),
  }));
}
