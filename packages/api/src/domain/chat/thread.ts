// A conversation as a thread of turns with alternatives (docs/decisions/020). A prompt may have
// several answers (regenerate); the member picks which one is shown, and that one — or the latest,
// until they pick — is what the model is sent as history. An edited prompt and everything after it
// are superseded: kept for the bill, never shown or sent again.
import type { Db } from '@tessera/db';
import { conversations, messages } from '@tessera/db';
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { DomainError } from '../../errors.ts';

export interface ThreadRow {
  id: string;
  role: 'system' | 'user' | 'assistant';
  content: string;
  replyTo: string | null;
  shownAnswerId: string | null;
}

/** The conversation's live messages (not superseded), in the order they were written. */
export function liveThread(db: Db, conversationId: string): ThreadRow[] {
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
    .orderBy(asc(messages.createdAt), sql`rowid`)
    .all();
}

/**
 * The path the member sees: each prompt followed by its shown answer (the one picked, else the
 * latest). Answers stored before regenerate existed (no `replyTo`) stay where they were written.
 */
export function shownPath(rows: readonly ThreadRow[]): ThreadRow[] {
  const answers = new Map<string, ThreadRow[]>();
  for (const row of rows)
    if (row.role === 'assistant' && row.replyTo)
      answers.set(row.replyTo, [...(answers.get(row.replyTo) ?? []), row]);
  const path: ThreadRow[] = [];
  for (const row of rows) {
    if (row.role === 'assistant' && row.replyTo) continue; // placed after its prompt below
    path.push(row);
    const alternatives = answers.get(row.id);
    if (!alternatives) continue;
    path.push(alternatives.find((a) => a.id === row.shownAnswerId) ?? alternatives.at(-1)!);
  }
  return path;
}

export type Turn = { kind: 'send' } | { kind: 'regenerate' | 'edit'; promptId: string };

/**
 * What the model is sent before the new prompt, and the prompt's text. Regenerate answers the
 * conversation's latest prompt again (an earlier one is edited instead: its later turns would no
 * longer follow from it); edit replaces any live prompt with `content`.
 */
export function contextFromThread(
  rows: readonly ThreadRow[],
  turn: Turn,
  content: string,
  limit = 40,
): { history: { id: string; role: ThreadRow['role']; content: string }[]; content: string } {
  const path = shownPath(rows);
  let before = path.length;
  if (turn.kind !== 'send') {
    before = path.findIndex((row) => row.id === turn.promptId && row.role === 'user');
    if (before < 0) throw new DomainError('NOT_FOUND', 'No such message in this conversation.');
    const latest = path.findLastIndex((row) => row.role === 'user');
    if (turn.kind === 'regenerate' && before !== latest)
      throw new DomainError('CONFLICT', 'Only the latest answer can be regenerated.');
  }
  return {
    history: path
      .slice(0, before)
      .slice(-limit)
      .map(({ id, role, content }) => ({ id, role, content })),
    content: turn.kind === 'regenerate' ? path[before]!.content : content,
  };
}

/**
 * Edit: the prompt and every live message written after it leave the thread. Runs after admission,
 * so it never throws: a prompt another tab's edit superseded in between leaves nothing to do.
 */
export function supersedeFrom(db: Db, conversationId: string, promptId: string, now: Date): void {
  const ids = supersededBy(liveThread(db, conversationId), promptId);
  if (ids.length === 0) return;
  db.update(messages).set({ supersededAt: now }).where(inArray(messages.id, ids)).run();
}

/** The live messages an edit of `promptId` supersedes: it and all after it (none if it is gone). */
export function supersededBy(rows: readonly ThreadRow[], promptId: string): string[] {
  const from = rows.findIndex((row) => row.id === promptId);
  return from < 0 ? [] : rows.slice(from).map((row) => row.id);
}

export const noSuchAnswer = () => new DomainError('NOT_FOUND', 'No such answer.');

/**
 * Flips a prompt's shown answer to `answerId` (one of its own, in the member's conversation);
 * false when the answer is not a live one of the member's (nothing written).
 */
export function flipShownAnswer(
  db: Db,
  input: { userId: string; conversationId: string; answerId: string },
): boolean {
  const answer = db
    .select({ replyTo: messages.replyTo })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(
      and(
        eq(messages.id, input.answerId),
        eq(messages.conversationId, input.conversationId),
        eq(conversations.userId, input.userId),
        eq(messages.role, 'assistant'),
        isNull(messages.supersededAt),
      ),
    )
    .get();
  if (!answer?.replyTo) return false;
  db.update(messages)
    .set({ shownAnswerId: input.answerId })
    .where(eq(messages.id, answer.replyTo))
    .run();
  return true;
}
