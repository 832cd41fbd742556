// The member-event outbox. Any change that can alter what a member may do appends a row here in
// the same transaction as the change; every server process tails the table (member-event-bus.ts),
// so a change made by the CLI or another process reaches live streams everywhere.
import type { DbOrTx, Sqlite } from '@tessera/db';
import { memberEvents } from '@tessera/db';

export const memberEventKinds = [
  'membership.granted',
  'membership.extended',
  'membership.revoked',
  'membership.expired',
  'credits.changed',
] as const;
export type MemberEventKind = (typeof memberEventKinds)[number];

const creditsChangedStatements = new WeakMap<Sqlite, { run(user: string, at: number): unknown }>();

/**
 * `credits.changed` for a user, as a prepared statement: the chat engine appends one per charged
 * answer, inside the settlement's transaction.
 */
export function appendCreditsChanged(sqlite: Sqlite, userId: string, now: Date): void {
  let statement = creditsChangedStatements.get(sqlite);
  if (!statement) {
    statement = sqlite.prepare(
      "insert into member_events (user_id, kind, created_at) values (?, 'credits.changed', ?)",
    );
    creditsChangedStatements.set(sqlite, statement);
  }
  statement.run(userId, now.getTime());
}

export function appendMemberEvent(
  db: DbOrTx,
  event: {
    userId: string;
    kind: MemberEventKind;
    markKey?: string | null;
    data?: Record<string, unknown>;
    now: Date;
  },
): void {
  db.insert(memberEvents)
    .values({
      userId: event.userId,
      kind: event.kind,
      markKey: event.markKey ?? null,
      data: event.data ?? null,
      createdAt: event.now,
    })
    .run();
}
