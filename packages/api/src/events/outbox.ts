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
  /** A held mark's entitlements changed (models, plugins, limits…). */
  'mark.changed',
  /** A vendor's ceiling changed, or it was suspended or reinstated. */
  'tenant.changed',
  /** The account was disabled (or enabled again). */
  'account.changed',
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

/** The user id of an event meant for every member (user ids are base32: none is `*`). */
export const EVERY_MEMBER = '*';

/**
 * One event for every member at once (one row, whatever the number of holders): a mark's
 * entitlements or a vendor's ceiling changed. Every live stream re-checks what it relies on and
 * every open page refetches. One row per holder would make editing the Free mark write a row per
 * user, all under the write lock every chat's admission waits for.
 */
export function appendBroadcastEvent(
  db: DbOrTx,
  event: { kind: MemberEventKind; markKey?: string | null; now: Date },
): void {
  appendMemberEvent(db, { ...event, userId: EVERY_MEMBER });
}
